"""The corrector's word lists and language model kept as pickles between processes (tasks/typos.py)."""

from __future__ import annotations

import pytest

from tasks import typos


@pytest.fixture
def kept(tmp_path):
    typos.keep_resources_in(tmp_path)
    yield tmp_path
    typos.keep_resources_in(None)


def loader(value, calls):
    def load():
        calls.append(value)
        return value

    return load


def test_a_second_process_reads_the_pickle_instead_of_loading(kept):
    calls = []
    assert typos._kept("words", loader({"the": 3}, calls), "lib==1") == {"the": 3}
    assert typos._kept("words", loader({"other": 1}, calls), "lib==1") == {"the": 3}  # from the pickle
    assert calls == [{"the": 3}]
    assert len(list(kept.glob("words-*.pickle"))) == 1


def test_a_new_library_version_loads_afresh_and_replaces_the_old_copy(kept):
    calls = []
    typos._kept("words", loader("old", calls), "lib==1")
    assert typos._kept("words", loader("new", calls), "lib==2") == "new"
    assert calls == ["old", "new"]
    assert len(list(kept.glob("words-*.pickle"))) == 1
    assert typos._kept("words", loader("unused", calls), "lib==2") == "new"


def test_a_damaged_pickle_is_loaded_afresh_and_rewritten(kept):
    calls = []
    typos._kept("words", loader([1, 2], calls), "lib==1")
    (stored,) = kept.glob("words-*.pickle")
    stored.write_bytes(stored.read_bytes()[:5])
    assert typos._kept("words", loader([1, 2], calls), "lib==1") == [1, 2]
    assert typos._kept("words", loader("unused", calls), "lib==1") == [1, 2]
    assert calls == [[1, 2], [1, 2]]


def test_without_a_folder_nothing_is_written(tmp_path):
    typos.keep_resources_in(None)
    calls = []
    typos._kept("words", loader("a", calls), "lib==1")
    typos._kept("words", loader("a", calls), "lib==1")
    assert calls == ["a", "a"]
    assert not list(tmp_path.iterdir())


def test_a_folder_that_cannot_be_written_still_gives_the_value(tmp_path):
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    typos.keep_resources_in(blocked)
    try:
        assert typos._kept("words", lambda: "value", "lib==1") == "value"
    finally:
        typos.keep_resources_in(None)


def test_the_language_model_from_its_pickle_classifies_as_the_original(tmp_path):
    from py3langid.langid import _load_identifier

    typos.keep_resources_in(tmp_path)
    try:
        typos._kept("langid", lambda: _load_identifier(norm_probs=True), "test")
        restored = typos._kept("langid", lambda: None, "test")
    finally:
        typos.keep_resources_in(None)
    text = "The panel agreed that the programme would report back to the committee next year."
    assert restored.classify(text) == _load_identifier(norm_probs=True).classify(text)
