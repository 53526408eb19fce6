"""Render: the pack's Markdown (compose_markdown) written as DOCX, EPUB 3 and HTML.

    markdown = compose_markdown(report, briefs, corrections)
    paths = render_pack(markdown, out_dir, "roundtable-2010", ["docx", "epub", "html"], templates)
"""

from __future__ import annotations

from pathlib import Path

from tasks.render import pandoc as _pandoc  # noqa: F401  (registers the pandoc formats)
from tasks.render import pdf as _pdf  # noqa: F401  (registers the PDF format)
from tasks.render.base import REGISTRY, Renderer, normalise_zip, register, renderer, renderer_names
from tasks.render.compose import compose_markdown
from tasks.render.quality import QualityNote, quality_notes

# Bump when rendering changes its output for the same Markdown and templates, so cached
# renders are not reused (template edits are keyed on the templates' content instead).
VERSION = "4"

__all__ = [
    "QualityNote",
    "REGISTRY",
    "Renderer",
    "VERSION",
    "compose_markdown",
    "normalise_zip",
    "quality_notes",
    "register",
    "render_pack",
    "renderer",
    "renderer_names",
]


def render_pack(markdown: str, out_dir: Path, stem: str, formats: list[str], templates: Path) -> list[Path]:
    """Write one file per requested format as out_dir/<stem><suffix>; return their paths in order."""
    renderers = [renderer(name) for name in formats]  # unknown names fail before any file is written
    paths = []
    for each in renderers:
        path = out_dir / f"{stem}{each.suffix}"
        each.render(markdown, path, templates)
        paths.append(path)
    return paths
