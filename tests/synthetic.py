"""Synthetic articles numbered ``i``, and a fake-server responder that answers each with its
correct, grounded summary (or a "no sanctions news" summary for any other text)."""

from __future__ import annotations

import json
import re
from typing import Any

from tests.fakeserver import Step

_NAME = re.compile(r"Ocean Star (\d+) Shipping")


def article(i: int) -> str:
    return (
        f"WASHINGTON, March 3, 2025 - The U.S. Treasury Department on Monday imposed sanctions on "
        f"Ocean Star {i} Shipping, a company it said had carried Iranian oil to buyers in Asia. "
        f"The designation freezes any assets the company holds in the United States, a Treasury "
        f"spokesperson said. Case number {i} was opened last year."
    )


def summary(i: int) -> dict[str, Any]:
    name = f"Ocean Star {i} Shipping"
    return {
        "is_sanctions_news": True,
        "headline": f"US Treasury sanctions {name} over Iranian oil",
        "summary": f"The U.S. Treasury Department imposed sanctions on {name}, "
        "a company it said had carried Iranian oil.",
        "published_date": "2025-03-03",
        "actions": [
            {
                "imposer": "US",
                "authority": "Treasury Department",
                "status": "imposed",
                "target_countries": ["IR"],
                "targets": [{"name": name, "kind": "organization", "country": None}],
                "measures": ["asset_freeze"],
                "reason": "carrying Iranian oil",
                "legal_basis": [],
                "target_count": None,
                "count_qualifier": None,
                "effective_date": None,
                "evidence": [f"imposed sanctions on {name}"],
            }
        ],
        "officials": [],
    }


NOT_NEWS: dict[str, Any] = {
    "is_sanctions_news": False,
    "headline": "No new sanctions development",
    "summary": "The text reports no new sanctions development.",
    "published_date": None,
    "actions": [],
    "officials": [],
}


def article_number(body: dict[str, Any]) -> int | None:
    """The number of the synthetic article in a request's first user message, if any."""
    user = next(m["content"] for m in body["messages"] if m["role"] == "user")
    match = _NAME.search(user)
    return int(match.group(1)) if match else None


def respond(body: dict[str, Any]) -> Step:
    number = article_number(body)
    return Step(json.dumps(NOT_NEWS if number is None else summary(number)))
