-- Header cells of a table's head say what they head: <th scope="col"> in HTML and EPUB.
function Table(table)
  for _, row in ipairs(table.head.rows) do
    for _, cell in ipairs(row.cells) do
      cell.attributes.scope = "col"
    end
  end
  return table
end
