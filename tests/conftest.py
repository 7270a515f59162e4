from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

from summarizer import Summarizer
from summarizer.retry import transient_policy
from tests.fakeserver import FakeOpenAIServer

# Property tests draw the same examples on every run and machine: a red run can be reproduced, and
# CI does not fail on a case a previous run never drew. (HYPOTHESIS_PROFILE=explore draws anew.)
settings.register_profile("ci", derandomize=True, print_blob=True)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "treasury_iran_russia.txt"


@pytest.fixture
def article() -> str:
    return EXAMPLE.read_text(encoding="utf-8").strip()


@pytest.fixture
def good_summary() -> dict[str, Any]:
    """A correct summary of the example article (the worked example of docs/schema.md)."""
    return {
        "is_sanctions_news": True,
        "headline": "US to sanction Iran over drones for Russia and plans more than 500 sanctions on Russia",
        "summary": "The United States will impose additional sanctions on Iran in the coming days "
        "over drones supplied to Russia, John Kirby said. The Treasury plans more than 500 new "
        "sanctions against Russia on Friday.",
        "published_date": "2022-10-18",
        "actions": [
            {
                "imposer": "US",
                "authority": None,
                "status": "announced",
                "target_countries": ["IR"],
                "targets": [],
                "measures": [],
                "reason": "supply of attack drones to Russia",
                "legal_basis": [],
                "target_count": None,
                "count_qualifier": None,
                "effective_date": None,
                "evidence": [
                    "The United States will be imposing additional sanctions on Iran in the coming days"
                ],
            },
            {
                "imposer": "US",
                "authority": None,
                "status": "threatened",
                "target_countries": ["IR"],
                "targets": [],
                "measures": [],
                "reason": "sending ballistic missiles to Moscow",
                "legal_basis": [],
                "target_count": None,
                "count_qualifier": None,
                "effective_date": None,
                "evidence": [
                    "the administration was prepared to go further if that transfer took place"
                ],
            },
            {
                "imposer": "US",
                "authority": "Treasury Department",
                "status": "announced",
                "target_countries": ["RU"],
                "targets": [],
                "measures": [],
                "reason": None,
                "legal_basis": [],
                "target_count": 500,
                "count_qualifier": "more_than",
                "effective_date": None,
                "evidence": [
                    "plans to unveil more than 500 new sanctions against Russia on Friday"
                ],
            },
        ],
        "officials": [
            {
                "name": "John Kirby",
                "title": "coordinator for strategic communications",
                "organization": "National Security Council",
            }
        ],
    }


@pytest.fixture
def server() -> Iterator[FakeOpenAIServer]:
    with FakeOpenAIServer() as fake:
        yield fake


@pytest.fixture
def make_summarizer(server: FakeOpenAIServer) -> Callable[..., Summarizer]:
    def make(**options: Any) -> Summarizer:
        options.setdefault("retrying", transient_policy(initial=0.01, maximum=0.05))
        return Summarizer(
            model="fake-model", base_url=server.base_url, api_key="sk-test-key", **options
        )

    return make


def as_json(data: dict[str, Any]) -> str:
    return json.dumps(data)
