"""Lean imports: the package, the public names and the command's help load no SDK, model runtime,
HTML extractor or terminal library; each is imported where it is used."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import ROOT

HEAVY = ("openai", "httpx2", "llama_cpp", "trafilatura", "rich", "ray")


def _loaded(code: str) -> set[str]:
    probe = f"{code}\nimport sys\nprint(' '.join(m for m in {HEAVY!r} if m in sys.modules))"
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, check=True
    )
    return set(done.stdout.split())


@pytest.mark.parametrize(
    "code",
    [
        "import summarizer",
        "from summarizer import Summarizer, SanctionsSummary, SummarizerConfig, run_batch",
        "from summarizer.cli import build_parser\nbuild_parser().format_help()",
        "from summarizer import Summarizer\nSummarizer(model='local:smollm2-135m')",
    ],
)
def test_nothing_heavy_is_imported_before_it_is_needed(code: str) -> None:
    assert _loaded(code) == set()


def test_a_remote_model_loads_the_sdk_and_html_loads_trafilatura() -> None:
    remote = "from summarizer import Summarizer\nSummarizer(model='m', base_url='http://127.0.0.1:9/v1', api_key='k')"
    assert {"openai", "httpx2"} <= _loaded(remote)
    html = "from summarizer.ingest import html_to_text\ntry:\n    html_to_text('<html><p>x</p></html>')\nexcept Exception:\n    pass"
    assert "trafilatura" in _loaded(html)
