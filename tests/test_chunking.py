"""Long articles: split on sentence boundaries with overlap, summarized per chunk, merged schema-aware."""

from __future__ import annotations

import itertools
import json
import re
from typing import Any

from summarizer import Summarizer
from summarizer.eval.dataset import load_dataset
from summarizer.ingest import chunk, estimate_tokens
from summarizer.sentences import split_sentences
from tests.conftest import ROOT
from tests.fakeserver import FakeOpenAIServer, Step

LONG = next(c for c in load_dataset(ROOT / "evals" / "datasets" / "dev.jsonl") if c.id == "dev-a15")


def test_chunks_cover_the_text_on_sentence_boundaries_with_overlap() -> None:
    pieces = chunk(LONG.text, 600, estimate_tokens, overlap=2)
    assert len(pieces) >= 4
    assert all(estimate_tokens(p.text) <= 600 for p in pieces)
    for piece in pieces:
        assert LONG.text[piece.start : piece.start + len(piece.text)] == piece.text
    for previous, current in itertools.pairwise(pieces):
        assert current.start < previous.start + len(previous.text)  # overlap
    spans = [(p.start, p.start + len(p.text)) for p in pieces]
    for sentence in split_sentences(LONG.text):
        assert any(start <= sentence.start and sentence.end <= end for start, end in spans)


COUNTED = "20 individuals and 44 entities"


def _chunk_reply(body: dict[str, Any]) -> Step:
    """Summarize one chunk the way a good model would: the gold targets named in it."""
    piece = body["messages"][1]["content"].split("<article>\n", 1)[1].rsplit("\n</article>", 1)[0]
    gold = LONG.gold.actions[0]
    targets = [t.model_dump(mode="json") for t in gold.targets if t.name in piece]
    first = next(s for s in re.split(r"(?<=\.)\s+", piece) if len(s) > 30)
    action = {
        "imposer": "US", "authority": "Office of Foreign Assets Control", "status": "imposed",
        "target_countries": ["RU"], "targets": targets, "measures": ["asset_freeze"], "reason": None,
        "legal_basis": ["E.O. 14024"] if "14024" in piece else [], "target_count": 64 if COUNTED in piece else None,
        "count_qualifier": "exact" if COUNTED in piece else None, "effective_date": None, "evidence": [first],
    }  # fmt: skip
    summary = {
        "is_sanctions_news": True, "headline": "Treasury sanctions a procurement network", "summary": "OFAC acted.",
        "published_date": None, "actions": [action],
        "officials": [{"name": "Brian E. Nelson", "title": None, "organization": None}],
    }  # fmt: skip
    return Step(json.dumps(summary))


def test_long_article_is_chunked_and_merged() -> None:
    with FakeOpenAIServer(default=_chunk_reply) as server:
        summarizer = Summarizer(model="m", base_url=server.base_url, api_key="k", max_tokens=1000)
        summarizer.backend._context_window = 4000  # type: ignore[attr-defined]
        result = summarizer.summarize(LONG.text)
    chunks = len(server.requests)
    assert chunks >= 3 and result.meta.details["chunks"] == chunks
    assert result.meta.attempts == chunks and result.meta.usage.calls == chunks
    (action,) = result.summary.actions
    gold_names = {t.name for t in LONG.gold.actions[0].targets}
    assert {t.name for t in action.targets} == gold_names  # every name once, though chunks overlap
    assert len(action.targets) == len(gold_names) == 64
    assert action.target_count == 64 and action.legal_basis == ["E.O. 14024"]
    assert len(action.evidence) == 3 and len(action.evidence_spans) == 3
    assert [o.name for o in result.summary.officials] == ["Brian E. Nelson"]
