"""Articles written for the analyst's tools' tests, their correct summaries, and a real batch output
made from them (``summarizer batch`` against the fake server, which answers each article with its
summary). The names are invented; ``tests/data/linking/`` lists some of them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from summarizer import Summarizer, run_batch
from tests.fakeserver import FakeOpenAIServer, Step

TREASURY = (
    "WASHINGTON, March 12, 2025 \u2014 The Department of the Treasury's Office of Foreign Assets "
    "Control (OFAC) today sanctioned two individuals, two companies and two vessels that ship Iranian "
    "petroleum to buyers in East Asia, pursuant to Executive Order 13846.\r\n\r\n"
    "Aleksandr Ivanovich Petrov, a Russian national, directed the network's payments through front "
    "companies in the United Arab Emirates.\r\n\r\n"
    "Petrov controls Northern Star Shipping LLC, a UAE-based ship manager, which operated the tanker "
    "ADRIATIC DAWN (IMO 9187629) and the tanker SEA ORCHID (IMO 9321483) on the network's behalf.\r\n\r\n"
    "Hossein Karimi, an Iranian national, arranged the cargoes through Tabriz Petro Trading Company, "
    "which he directs.\r\n\r\n"
    "As a result of today's action, all property and interests in property of the designated persons "
    "that are in the United States are blocked."
)
EU_PARAGRAPHS = [
    "Brussels, 24 February 2025",
    "The Council today adopted restrictive measures against Dmitri Sergeyevich Volkov and "
    "Arktika Logistics JSC, a Russian company that supplies drones to the armed forces of Russia.",
    "The listed person and entity are subject to an asset freeze, and the person to a travel ban, "
    "under Council Regulation (EU) 269/2014.",
    "The Council also decided to prolong the existing sectoral measures against Russia until "
    "31 July 2025.",
]
EU_HTML = (
    "<!DOCTYPE html><html><head><title>Council of the EU</title></head><body>"
    "<nav><a href='/'>Home</a> | <a href='/press'>Press releases</a></nav><main><article>"
    "<h1>Russia: EU lists a drone supplier and its owner</h1>"
    + "".join(f"<p>{p}</p>" for p in EU_PARAGRAPHS)
    + "</article></main><footer>Privacy | Cookies | Contact</footer></body></html>"
)
KIRBY = (Path(__file__).resolve().parents[1] / "examples" / "treasury_iran_russia.txt").read_text(
    encoding="utf-8"
)
SPORT = (
    "The football federation imposed sanctions on two clubs on Monday after fans threw flares onto "
    "the pitch during the cup final; both clubs must play their next home match without spectators."
)


def _action(**fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "authority": None, "target_countries": [], "targets": [], "measures": [], "reason": None,
        "legal_basis": [], "target_count": None, "count_qualifier": None, "effective_date": None,
    }  # fmt: skip
    return {**base, **fields}


SUMMARIES: dict[str, dict[str, Any]] = {
    "treasury": {
        "is_sanctions_news": True,
        "headline": "OFAC sanctions an Iranian oil network, its ship manager and two tankers",
        "summary": "OFAC sanctioned Aleksandr Ivanovich Petrov, Hossein Karimi, two companies and "
        "two tankers that ship Iranian petroleum, pursuant to Executive Order 13846.",
        "published_date": "2025-03-12",
        "officials": [],
        "actions": [
            _action(
                imposer="US",
                authority="Office of Foreign Assets Control",
                status="imposed",
                target_countries=["IR"],
                targets=[
                    {"name": "Aleksandr Ivanovich Petrov", "kind": "person", "country": "RU"},
                    {"name": "Northern Star Shipping LLC", "kind": "organization", "country": "AE"},
                    {"name": "ADRIATIC DAWN", "kind": "vessel", "country": None},
                    {"name": "SEA ORCHID", "kind": "vessel", "country": None},
                    {"name": "Hossein Karimi", "kind": "person", "country": "IR"},
                    {
                        "name": "Tabriz Petro Trading Company",
                        "kind": "organization",
                        "country": "IR",
                    },
                ],
                measures=["asset_freeze"],
                reason="shipping Iranian petroleum to buyers in East Asia",
                legal_basis=["E.O. 13846"],
                target_count=6,
                count_qualifier="exact",
                evidence=[
                    "today sanctioned two individuals, two companies and two vessels that ship "
                    "Iranian petroleum to buyers in East Asia",
                    "which operated the tanker ADRIATIC DAWN (IMO 9187629) and the tanker SEA "
                    "ORCHID (IMO 9321483)",
                ],
            )
        ],
    },
    "eu": {
        "is_sanctions_news": True,
        "headline": "EU lists Dmitri Volkov and Arktika Logistics, prolongs measures on Russia",
        "summary": "The Council adopted restrictive measures against Dmitri Sergeyevich Volkov and "
        "Arktika Logistics JSC and prolonged the sectoral measures against Russia until 31 July 2025.",
        "published_date": "2025-02-24",
        "officials": [],
        "actions": [
            _action(
                imposer="EU",
                authority="Council of the European Union",
                status="imposed",
                target_countries=["RU"],
                targets=[
                    {"name": "Dmitri Sergeyevich Volkov", "kind": "person", "country": "RU"},
                    {"name": "Arktika Logistics JSC", "kind": "organization", "country": "RU"},
                ],
                measures=["asset_freeze", "travel_ban"],
                reason="supplying drones to the armed forces of Russia",
                legal_basis=["Regulation (EU) 269/2014"],
                evidence=[
                    "The Council today adopted restrictive measures against Dmitri Sergeyevich Volkov"
                ],
            ),
            _action(
                imposer="EU",
                authority="Council of the European Union",
                status="extended",
                target_countries=["RU"],
                effective_date="2025-07-31",
                evidence=[
                    "prolong the existing sectoral measures against Russia until 31 July 2025"
                ],
            ),
        ],
    },
    "kirby": {
        "is_sanctions_news": True,
        "headline": "US to sanction Iran over drones for Russia",
        "summary": "The United States will impose additional sanctions on Iran in the coming days, "
        "John Kirby said.",
        "published_date": "2022-10-18",
        "officials": [],
        "actions": [
            _action(
                imposer="US",
                status="announced",
                target_countries=["IR"],
                reason="supply of attack drones to Russia",
                evidence=[
                    "The United States will be imposing additional sanctions on Iran in the coming days"
                ],
            ),
            _action(
                imposer="US",
                status="threatened",
                target_countries=["IR"],
                evidence=[
                    "the administration was prepared to go further if that transfer took place"
                ],
            ),
        ],
    },
    "sport": {
        "is_sanctions_news": False,
        "headline": "Football federation punishes two clubs",
        "summary": "Two clubs must play a home match without spectators.",
        "published_date": None,
        "officials": [],
        "actions": [],
    },
}
INPUTS = [
    {"id": "treasury", "text": TREASURY},
    {"id": "eu", "html": EU_HTML},
    {"id": "kirby", "text": KIRBY},
    {"id": "sport", "text": SPORT},
    {"id": "broken", "text": "   "},  # an empty article: a failed record the readers skip
]
_MARKERS = {
    "treasury": "Northern Star",
    "eu": "Arktika",
    "kirby": "Kirby",
    "sport": "football",
}


def _respond(body: dict[str, Any]) -> Step:
    user = next(m["content"] for m in body["messages"] if m["role"] == "user")
    name = next(name for name, marker in _MARKERS.items() if marker in user)
    return Step(json.dumps(SUMMARIES[name]))


def write_results(folder: Path, *, keep_source: bool = True) -> Path:
    """A batch output of the articles above, made by ``run_batch`` against the fake server."""
    inputs, output = folder / "articles.jsonl", folder / "results.jsonl"
    inputs.write_text("".join(json.dumps(line) + "\n" for line in INPUTS), encoding="utf-8")
    with FakeOpenAIServer(default=_respond) as server:
        summarizer = Summarizer(
            model="fake-model", base_url=server.base_url, api_key="sk-test", max_reasks=0
        )
        report = run_batch(summarizer, inputs, output, concurrency=2, keep_source=keep_source)
    assert (report.ok, report.failed) == (4, 1), output.read_text(encoding="utf-8")
    return output
