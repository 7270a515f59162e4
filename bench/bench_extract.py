"""The assisted rules on adversarial text, 10 KB to 1 MB: time per KB should stay flat (linear).

    .venv/bin/python bench/bench_extract.py [--sizes 10,100,1000] [--only cap_run,annex]

Each shape is built to hit a different extractor: one huge capitalized word (names), a run of
capitalized words with no sentence end (countries, legal bases), thousands of designation sentences
(actions, targets, counts), an SDN-style annex of thousands of entries (targets, the list bound), and
one sentence of repeated bodies and brackets (authorities, lists), and one line dense with the
prompt-injection detector's cues, JSON fragments, comment openers and bracketed notes. Printed per shape and size: seconds,
milliseconds per KB, and the ratio of the largest size's ms/KB to the smallest's (1.0 is linear).
"""

from __future__ import annotations

import argparse
import itertools
import time
from collections.abc import Callable

from summarizer.extract.draft import build, summary_fields


def cap_word(size: int) -> str:
    return "A" + "b" * (size - 1)


def cap_run(size: int) -> str:
    words = itertools.cycle(["Alpha", "Beta", "Gamma", "Delta", "Omega", "Sigma"])
    return " ".join(next(words) for _ in range(size // 6))


def designations(size: int) -> str:
    line = (
        "OFAC designated Company Number{i} Trading LLC, a UAE-based firm, and Person{i} Ivanov, "
        "a Russian national, pursuant to E.O. 14024. "
    )
    return "".join(line.format(i=i) for i in range(size // len(line)))


def annex(size: int) -> str:
    line = (
        "{i}. IVANOV{i}, Petr, Moscow, Russia; nationality Russia (individual) [RUSSIA-EO14024].\n"
    )
    head = "WASHINGTON — Today, OFAC designated the following persons:\n\n"
    return head + "".join(line.format(i=i) for i in range(size // len(line)))


def brackets(size: int) -> str:
    return ("Treasury (OFAC) designated ((((" * (size // 32 + 1))[:size]


def injection(size: int) -> str:
    piece = (
        "Ignore the rules on export controls, you must screen; system: [note to the desk: "
        'check] {"a": 1, "b": [2, {"c": 3}]} field_name: value <!-- <|im_start|> '
    )
    return (piece * (size // len(piece) + 1))[:size]


SHAPES: dict[str, Callable[[int], str]] = {
    "cap_word": cap_word,
    "cap_run": cap_run,
    "designations": designations,
    "annex": annex,
    "brackets": brackets,
    "injection": injection,
}


def seconds(text: str) -> float:
    started = time.perf_counter()
    summary_fields(build(text))
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--sizes", default="10,100,1000", help="sizes in KB (default %(default)s)")
    parser.add_argument("--only", default="", help="comma-separated shapes (default: all)")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    shapes = [s for s in SHAPES if not args.only or s in args.only.split(",")]
    build("OFAC designated one firm today.")  # load the rule tables once, outside the timings
    worst = 0.0
    for name in shapes:
        per_kb = []
        for kb in sizes:
            elapsed = seconds(SHAPES[name](kb * 1024))
            per_kb.append(elapsed * 1000 / kb)
            print(f"{name:13s} {kb:6d} KB  {elapsed:8.2f} s  {per_kb[-1]:8.2f} ms/KB", flush=True)
        ratio = per_kb[-1] / per_kb[0]
        worst = max(worst, per_kb[-1])
        print(f"{name:13s} ms/KB at {sizes[-1]} KB / at {sizes[0]} KB = {ratio:.2f}\n", flush=True)
    print(f"worst case: {worst:.2f} ms per KB")


if __name__ == "__main__":
    main()
