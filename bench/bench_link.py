"""Linking targets to a sanctions list: 1,000 targets against a synthetic 100,000-entity list.

    .venv/bin/python bench/bench_link.py [--entities 100000] [--targets 1000] [--exhaustive 3]

Writes a synthetic FollowTheMoney list (persons, companies and vessels from name pools, some with
aliases) to a temporary file, times ``SanctionsList.load`` (parsing and indexing), then times
``link`` over ``--targets`` targets: half are list entries written differently (case, order, no
patronymic or legal form), half strangers made from the same pools. The baseline, side by side:
the same matcher run exhaustively (every list entity) for ``--exhaustive`` targets; it prints the
per-target time of both and their ratio, and checks that blocking lost none of the exhaustive
matches of those targets. Needs the ``analyst`` extra.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

from nomenklatura.matching import LogicV2

from summarizer.link import THRESHOLD, SanctionsList, TargetLinks, link, query_entity
from summarizer.records import Record
from summarizer.schema import SanctionAction, SanctionsSummary, Target


def pool(words: str) -> list[str]:
    """A name pool from space-separated words."""
    return words.split()


GIVEN = pool("Aleksandr Dmitri Sergei Ivan Nikolai Mikhail Andrei Pavel Yuri Oleg Viktor Igor Boris "
         "Vladimir Konstantin Roman Denis Artem Maxim Anton Hossein Ali Mohammad Reza Hassan Mahmoud "
         "Javad Amir Mehdi Saeed Omar Khalid Yusuf Ibrahim Tariq Li Wei Chen Jun Kim Park Jose Carlos "
         "Luis Miguel Ahmed Mustafa Karim Samir Nabil Fadi")  # fmt: skip
MIDDLE = pool("Ivanovich Petrovich Sergeyevich Nikolayevich Aleksandrovich Mikhailovich Andreyevich "
          "Pavlovich Yuryevich Olegovich Viktorovich Igorevich Borisovich Vladimirovich Romanovich "
          "Dmitriyevich Antonovich Maksimovich Denisovich Artemovich")  # fmt: skip
SYLLABLES = pool("ka ri mo va lo se na ti ro ba de zu ha mi ko pe sa lu fa gi ne to vi ra ma shi ku ya "
             "zo be da re li no")  # fmt: skip
ENDINGS = pool("ov ev in sky enko yan i zadeh ian ani")
WORDS = pool("Northern Southern Eastern Western Golden Silver Pacific Atlantic Baltic Caspian Arctic "
         "Global United Royal Imperial Grand Ocean Star Horizon Summit Crescent Falcon Eagle Lion "
         "Phoenix Titan Delta Alpha Omega Prime Vector Zenith Orion Nova Sterling Liberty")  # fmt: skip
SECTORS = pool("Shipping Trading Energy Petroleum Logistics Holdings Industries Minerals Chemicals "
           "Electronics Finance Investments Marine Aviation Engineering Technologies")  # fmt: skip
FORMS = pool("LLC JSC PJSC Ltd FZE FZCO GmbH S.A. Limited Co")  # fmt: skip
VESSEL = pool("SEA OCEAN STAR DAWN WIND PEARL ORCHID SPIRIT GLORY HOPE BREEZE WAVE CORAL JADE")


def surname(rng: random.Random) -> str:
    stem = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3)))
    return (stem + rng.choice(ENDINGS)).capitalize()


def make_entity(rng: random.Random, number: int) -> dict[str, object]:
    kind = rng.random()
    props: dict[str, list[str]]
    if kind < 0.5:
        given, middle, family = rng.choice(GIVEN), rng.choice(MIDDLE), surname(rng)
        props = {
            "name": [f"{given} {middle} {family}"],
            "nationality": [rng.choice(["ru", "ir", "sy", "kp", "cn"])],
        }
        if rng.random() < 0.3:
            props["alias"] = [f"{family.upper()}, {given}"]
        schema = "Person"
    elif kind < 0.85:
        core = f"{rng.choice(WORDS)} {surname(rng)} {rng.choice(SECTORS)}"
        props = {
            "name": [f"{core} {rng.choice(FORMS)}"],
            "country": [rng.choice(["ru", "ae", "hk", "cy", "ir"])],
        }
        if rng.random() < 0.3:
            props["alias"] = [core]
        schema = "Company"
    else:
        props = {
            "name": [f"{rng.choice(VESSEL)} {surname(rng).upper()}"],
            "flag": [rng.choice(["pa", "km", "cm", "ga"])],
        }
        schema = "Vessel"
    return {"id": f"syn-{number}", "schema": schema, "properties": props, "datasets": ["synthetic"]}


def variant(rng: random.Random, entity: dict[str, object]) -> Target:
    """A target naming a list entity the way an article might."""
    props = entity["properties"]
    assert isinstance(props, dict)
    name = props["name"][0]
    if entity["schema"] == "Person":
        given, _, family = name.split()
        name = rng.choice([name, f"{given} {family}", f"{family.upper()}, {given}"])
        return Target(name=name, kind="person", country=props["nationality"][0].upper())
    if entity["schema"] == "Company":
        return Target(name=rng.choice([name, name.rsplit(" ", 1)[0]]), kind="organization")
    return Target(name=name.title(), kind="vessel")


def stranger(rng: random.Random) -> Target:
    if rng.random() < 0.5:
        return Target(name=f"{rng.choice(GIVEN)} {surname(rng)}", kind="person")
    return Target(
        name=f"{rng.choice(WORDS)} {surname(rng)} {rng.choice(SECTORS)}", kind="organization"
    )


def records_of(targets: list[Target]) -> list[Record]:
    """One record per target: an imposed action naming it (the linker reads records)."""
    out = []
    for number, target in enumerate(targets):
        action = SanctionAction(imposer="US", status="imposed", targets=[target],
                                evidence=["a quote long enough to be evidence"])  # fmt: skip
        summary = SanctionsSummary(
            is_sanctions_news=True, headline="h", summary="s", actions=[action]
        )
        out.append(Record(f"t{number}", summary))
    return out


def load_list(entities: list[dict[str, object]]) -> tuple[SanctionsList, float, float]:
    """The list written to a temporary FtM file and loaded: (list, wall s, CPU s). The name tables
    rigour loads on first use are loaded before, and timed apart."""
    cpu = time.process_time()
    samples = [("Ivan Petrovich Sidorov", "person"), ("Warm Up Trading LLC", "organization")]
    SanctionsList([query_entity(Target(name=n, kind=k)) for n, k in samples])
    print(f"first use of the name tables: {time.process_time() - cpu:.1f} s CPU")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "list.ftm.json"
        path.write_text("".join(json.dumps(e) + "\n" for e in entities), encoding="utf-8")
        started, cpu = time.perf_counter(), time.process_time()
        sanctions = SanctionsList.load(path)
        return sanctions, time.perf_counter() - started, time.process_time() - cpu


def exhaustive(
    sanctions: SanctionsList, pairs: list[tuple[Target, TargetLinks]]
) -> tuple[float, int]:
    """Median CPU seconds a target of the matcher over every list entity, and how many of its
    matches the blocked run did not find."""
    config = LogicV2.default_config()
    seconds, lost = [], 0
    for target, found in pairs:
        query = query_entity(target)
        cpu = time.process_time()
        everyone = {str(c.id) for c in sanctions.entities
                    if LogicV2.compare(query, c, config).score >= THRESHOLD}  # fmt: skip
        seconds.append(time.process_time() - cpu)
        lost += len(everyone - {m.id for m in found.matches})
    return (statistics.median(seconds) if seconds else float("nan")), lost


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entities", type=int, default=100_000)
    parser.add_argument("--targets", type=int, default=1000)
    parser.add_argument("--exhaustive", type=int, default=3, help="targets matched exhaustively")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    entities = [make_entity(rng, n) for n in range(args.entities)]
    listed = rng.sample(entities, args.targets // 2)
    targets = [variant(rng, e) for e in listed]
    targets += [stranger(rng) for _ in range(args.targets - len(targets))]
    sanctions, load_s, load_cpu = load_list(entities)
    records = records_of(targets)
    started, cpu = time.perf_counter(), time.process_time()
    links = link(records, sanctions)
    link_s, link_cpu = time.perf_counter() - started, time.process_time() - cpu
    found = sum(e["id"] in {m.id for m in t.matches} for e, t in zip(listed, links, strict=False))
    strangers = sum(bool(t.matches) for t in links[len(listed) :])
    full, lost = exhaustive(sanctions, list(zip(targets, links, strict=True))[: args.exhaustive])
    per_target = link_cpu / len(targets)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"list: {len(sanctions):,} entities, loaded and indexed in {load_s:.1f} s "
          f"({load_cpu:.1f} s CPU)")  # fmt: skip
    print(f"linked {len(targets):,} targets in {link_s:.2f} s ({link_cpu:.2f} s CPU, "
          f"{per_target * 1000:.2f} ms CPU a target); peak memory {peak:.0f} MB")  # fmt: skip
    print(f"listed targets found: {found}/{len(listed)}; strangers with a match: "
          f"{strangers}/{len(targets) - len(listed)}")  # fmt: skip
    print(f"exhaustive matcher, {min(args.exhaustive, len(targets))} targets: {full:.2f} s CPU a "
          f"target (median); blocked / exhaustive CPU time: {per_target / full:.5f}; "
          f"exhaustive matches the blocker lost: {lost}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
