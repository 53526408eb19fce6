"""Word lists, models and code fingerprints kept as pickles between processes (tasks/kept.py)."""

from __future__ import annotations

import pytest

from flows import stagecode
from tasks import typos
from tasks.kept import kept as keep


@pytest.fixture
def kept(tmp_path):
    return tmp_path


def loader(value, calls):
    def load():
        calls.append(value)
        return value

    return load


def test_a_second_process_reads_the_pickle_instead_of_loading(kept):
    calls = []
    assert keep(kept, "words", loader({"the": 3}, calls), "lib==1") == {"the": 3}
    assert keep(kept, "words", loader({"other": 1}, calls), "lib==1") == {"the": 3}  # from the pickle
    assert calls == [{"the": 3}]
    assert len(list(kept.glob("words-*.pickle"))) == 1


def test_a_new_library_version_loads_afresh_and_replaces_the_old_copy(kept):
    calls = []
    keep(kept, "words", loader("old", calls), "lib==1")
    assert keep(kept, "words", loader("new", calls), "lib==2") == "new"
    assert calls == ["old", "new"]
    assert len(list(kept.glob("words-*.pickle"))) == 1
    assert keep(kept, "words", loader("unused", calls), "lib==2") == "new"


def test_a_damaged_pickle_is_loaded_afresh_and_rewritten(kept):
    calls = []
    keep(kept, "words", loader([1, 2], calls), "lib==1")
    (stored,) = kept.glob("words-*.pickle")
    stored.write_bytes(stored.read_bytes()[:5])
    assert keep(kept, "words", loader([1, 2], calls), "lib==1") == [1, 2]
    assert keep(kept, "words", loader("unused", calls), "lib==1") == [1, 2]
    assert calls == [[1, 2], [1, 2]]


def test_without_a_folder_nothing_is_written(tmp_path):
    calls = []
    keep(None, "words", loader("a", calls), "lib==1")
    keep(None, "words", loader("a", calls), "lib==1")
    assert calls == ["a", "a"]
    assert not list(tmp_path.iterdir())


def test_a_folder_that_cannot_be_written_still_gives_the_value(tmp_path):
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    assert keep(blocked, "words", lambda: "value", "lib==1") == "value"


def test_the_language_model_from_its_pickle_classifies_as_the_original(tmp_path):
    from py3langid.langid import _load_identifier

    keep(tmp_path, "langid", lambda: _load_identifier(norm_probs=True), "test")
    restored = keep(tmp_path, "langid", lambda: None, "test")
    text = "The panel agreed that the programme would report back to the committee next year."
    assert restored.classify(text) == _load_identifier(norm_probs=True).classify(text)


def test_the_corrector_keeps_its_word_lists_where_it_is_told(tmp_path, monkeypatch):
    monkeypatch.setattr(typos, "_kept_in", None)
    typos.keep_resources_in(tmp_path)
    try:
        assert typos._kept("unigrams", lambda: {"word": 1}, "test") == {"word": 1}
    finally:
        typos.keep_resources_in(None)
    assert [p.name.split("-")[0] for p in tmp_path.iterdir()] == ["unigrams"]


def test_kept_stage_fingerprints_equal_computed_ones_and_follow_an_edit(tmp_path, monkeypatch):
    import shutil

    copy = tmp_path / "tasks"
    shutil.copytree(stagecode.TASKS, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(stagecode, "TASKS", copy)
    store = tmp_path / "resources"
    computed = stagecode.fingerprint("correct")
    assert stagecode.fingerprint("correct", store) == computed
    stagecode._all.cache_clear()  # as a new process would
    assert stagecode.fingerprint("correct", store) == computed and list(store.glob("stagecode-*"))
    (copy / "data" / "confusions.yaml").write_text("# an edited rule file\n", encoding="utf-8")
    assert stagecode.fingerprint("correct", store) != computed
    assert len(list(store.glob("stagecode-*"))) == 1
