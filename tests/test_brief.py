"""Briefs: sourced key points, length bounds, determinism, and the gated OpenAI-compatible backend."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest

from tasks.brief import (
    PANEL_WORD_LIMIT,
    SUMMARY_WORD_LIMIT,
    OpenAISummariser,
    PanelPassage,
    brief_panel,
    brief_words,
    get_summariser,
    is_faithful,
    keynote_passage,
    panel_passage,
    summarise,
)
from tasks.clean import clean
from tasks.extract import extract_pages
from tasks.model import Briefs, Report
from tasks.structure import structure

FIXTURES = Path(__file__).parent / "fixtures"


def build(report: Report, summariser=None) -> Briefs:
    passages = [p for p in [keynote_passage(report)] if p] + [panel_passage(report, p) for p in report.panels]
    return summarise(report, [brief_panel(p, summariser) for p in passages])


@pytest.fixture(scope="module", params=["roundtable-2010.pdf", "expert-meeting-2019.md"])
def report(request) -> Report:
    return structure(clean(extract_pages(FIXTURES / request.param)))


@pytest.fixture(scope="module")
def sample() -> Report:
    return structure(clean(extract_pages(FIXTURES / "roundtable-2010.pdf")))


def block_at(report: Report, source):
    matches = [b for b in report.document.blocks if b.source == source]
    assert len(matches) == 1, source
    return matches[0]


def test_one_brief_per_panel_plus_keynote(report):
    briefs = build(report)
    assert [b.panel for b in briefs.briefs] == ["keynote", *(p.number for p in report.panels)]
    for brief, panel in zip(briefs.briefs[1:], report.panels):
        assert brief.title == panel.title
        assert brief.speakers == panel.panellists and brief.chair == panel.moderator
    assert briefs.briefs[0].speakers == [report.keynote]


def test_every_key_point_is_in_its_source_block(report):
    briefs = build(report)
    points = [k for b in briefs.briefs for k in b.key_points] + list(briefs.summary_points)
    assert points
    for point in points:
        assert point.text in block_at(report, point.source).text


def test_key_points_within_their_panel_one_per_paragraph_in_reading_order(report):
    for brief, panel in zip(build(report).briefs[1:], report.panels):
        assert 3 <= len(brief.key_points) <= 5
        sources = [k.source for k in brief.key_points]
        assert len(set(sources)) == len(sources)
        panel_sources = [b.source for b in report.document.blocks[panel.first_block : panel.last_block]]
        assert all(s in panel_sources for s in sources)
        assert [panel_sources.index(s) for s in sources] == sorted(panel_sources.index(s) for s in sources)
        assert not any(p.name in k.text for k in brief.key_points for p in brief.speakers if "(" in k.text)


def test_length_bounds(report):
    briefs = build(report)
    for brief in briefs.briefs:
        assert brief.words == brief_words(brief) <= PANEL_WORD_LIMIT
        assert brief.aim and len(brief.aim.split()) > 3
    assert 0 < len(briefs.executive_summary.split()) <= SUMMARY_WORD_LIMIT
    assert briefs.executive_summary == " ".join(" ".join(p.text.split()) for p in briefs.summary_points)


def test_outcomes_are_condensed_and_prefer_prescriptive_sentences(sample):
    briefs = build(sample).briefs
    panel_one = briefs[1]
    assert panel_one.outcomes, "outcomes fit the budget"
    assert all(o in " ".join(sample.panels[0].outcomes) for o in panel_one.outcomes)
    assert panel_one.outcomes[0] == (
        "International partnerships for development should therefore focus on promoting favourable "
        "policies across the full range of relevant areas."
    )
    assert any(o.startswith("Systematic coordination among government offices") for o in briefs[4].outcomes)


def test_related_recommendations_come_from_the_report(sample):
    briefs = build(sample).briefs
    overall = " ".join(sample.recommendations)
    assert all(r in overall for b in briefs for r in b.recommendations)
    assert any("remittances" in r.lower() or "families" in r.lower() for r in briefs[1].recommendations)


def test_executive_summary_opens_with_the_stated_aim(sample):
    summary = build(sample).executive_summary
    assert summary.startswith("The aim of the event was to advance and inform the debate")


def test_deterministic(report):
    assert build(report).model_dump_json() == build(report).model_dump_json()


def test_passage_holds_only_its_panel(sample):
    passage = panel_passage(sample, sample.panels[2])
    assert passage.blocks[0].text.startswith("Panel III")
    assert passage.blocks == sample.document.blocks[sample.panels[2].first_block : sample.panels[2].last_block]
    assert PanelPassage.model_validate_json(passage.model_dump_json()) == passage
    # A change elsewhere in the report leaves this panel's passage, hence its brief, unchanged.
    other = sample.model_copy(update={"title": "Changed"})
    assert panel_passage(other, sample.panels[2]) == passage


def test_keynote_passage_absent_without_keynote(sample):
    assert keynote_passage(sample.model_copy(update={"keynote": None, "keynote_section": None})) is None


# --- faithfulness gate and the OpenAI-compatible backend ----------------------------------


PARAGRAPH = "Caritas Lebanon described the difficulties facing migrants in Lebanon. Foreign workers often receive no pay."


def test_faithfulness_gate():
    assert is_faithful("Foreign workers in Lebanon often receive no pay.", PARAGRAPH, set())
    assert is_faithful("Migrants in Lebanon face difficulties.", PARAGRAPH, set())  # inflections allowed
    assert not is_faithful("Foreign workers are always paid late.", PARAGRAPH, set())  # new content words
    assert not is_faithful("Migrants in Lebanon met Caritaz staff.", PARAGRAPH, set())  # misspelt name
    assert not is_faithful("", PARAGRAPH, set())


class FakeChat(BaseHTTPRequestHandler):
    """An OpenAI-compatible /chat/completions that shortens faithfully unless the sentence mentions ILO."""

    requests: list[dict] = []

    def do_POST(self):  # noqa: N802 (http.server's name)
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        FakeChat.requests.append({"path": self.path, "body": body})
        sentence = body["messages"][-1]["content"].split("SENTENCE: ", 1)[1]
        if "ILO" in sentence:
            reply = "The ILO invented a brand new treaty yesterday."  # unfaithful: must be rejected
        else:
            reply = " ".join(sentence.split()[:12]).rstrip(",;:") + "."
        payload = json.dumps({"choices": [{"message": {"role": "assistant", "content": reply}}]}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


@pytest.fixture()
def chat_server():
    server = HTTPServer(("127.0.0.1", 0), FakeChat)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    FakeChat.requests = []
    yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    server.shutdown()
    server.server_close()


def test_openai_backend_is_gated(sample, chat_server):
    summariser = get_summariser("openai", url=chat_server, model="tiny")
    assert isinstance(summariser, OpenAISummariser)
    panel_three = panel_passage(sample, sample.panels[2])  # has ILO sentences
    brief = brief_panel(panel_three, summariser)
    extractive = brief_panel(panel_three)
    assert FakeChat.requests and FakeChat.requests[0]["path"] == "/v1/chat/completions"
    assert FakeChat.requests[0]["body"]["model"] == "tiny"
    assert brief.method == "openai+extractive"  # shortened where faithful; the ILO replies were rejected
    paragraphs = {b.source: b.text for b in panel_three.blocks}
    for written, original in zip(brief.key_points, extractive.key_points, strict=True):
        assert written.source == original.source
        assert "invented" not in written.text
        if "ILO" in original.text:
            assert written.text == original.text
        assert written.text == original.text or is_faithful(written.text, paragraphs[written.source], set())
    assert brief.words <= PANEL_WORD_LIMIT
    assert brief.model_copy(update={"method": "x"}) != extractive.model_copy(update={"method": "x"})


def test_openai_backend_unreachable_keeps_extractive(sample):
    summariser = OpenAISummariser("http://127.0.0.1:9", timeout=0.5)
    passage = panel_passage(sample, sample.panels[0])
    assert brief_panel(passage, summariser) == brief_panel(passage)


def test_unknown_summariser_name():
    with pytest.raises(ValueError):
        get_summariser("nope")
    with pytest.raises(ValueError):
        get_summariser("openai")
