"""Start-up cost: ``import summarizer`` and ``summarizer --help`` beside ``python -c pass``.

    .venv/bin/python bench/bench_import.py [--runs 5]

Each command runs ``--runs`` times in a fresh process; the best (lowest) wall time of each is
printed, the same less the bare interpreter's start-up, and the best CPU time (user + system: it
moves far less than wall time when other work shares the cores). Targets on 2 cores:
``import summarizer`` <= 0.2 s and ``summarizer --help`` <= 0.35 s. It also lists which heavy
libraries (the openai SDK, llama_cpp, trafilatura, rich) each import brought in: none should be.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("openai", "httpx2", "llama_cpp", "trafilatura", "rich")
TARGETS = {"import summarizer": 0.2, "summarizer --help": 0.35}


def _commands() -> dict[str, list[str]]:
    python = sys.executable
    script = Path(python).with_name("summarizer")
    cli = [str(script)] if script.is_file() else [python, "-m", "summarizer"]
    return {
        "python -c pass": [python, "-c", "pass"],
        "import summarizer": [python, "-c", "import summarizer"],
        "from summarizer import Summarizer, SanctionsSummary": [
            python,
            "-c",
            "from summarizer import Summarizer, SanctionsSummary",
        ],
        "summarizer --help": [*cli, "--help"],
    }


def best_of(command: list[str], runs: int) -> tuple[float, float]:
    """The lowest wall time and the lowest CPU time of ``runs`` fresh processes running ``command``."""
    walls, cpus = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, cwd=ROOT)
        walls.append(time.perf_counter() - started)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    return min(walls), min(cpus)


def heavy_modules(statement: str) -> list[str]:
    """The heavy libraries that ``statement`` imports, in a fresh process."""
    probe = f"{statement}; import sys; print(' '.join(m for m in {HEAVY!r} if m in sys.modules))"
    done = subprocess.run(
        [sys.executable, "-c", probe], check=True, capture_output=True, text=True, cwd=ROOT
    )
    return done.stdout.split()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=5, help="fresh processes per command")
    args = parser.parse_args()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"best of {args.runs} fresh processes; load average {load:.2f} on {os.cpu_count()} cores\n"
    )
    print("| command | best wall s | less `python -c pass` | best CPU s | target |")
    print("|---|---|---|---|---|")
    bare = 0.0
    for name, command in _commands().items():
        best, cpu = best_of(command, args.runs)
        bare = best if name == "python -c pass" else bare
        target = f"<= {TARGETS[name]}" if name in TARGETS else ""
        print(f"| `{name}` | {best:.3f} | {best - bare:.3f} | {cpu:.3f} | {target} |")
    for statement in ("import summarizer", "from summarizer import Summarizer, SanctionsSummary"):
        found = heavy_modules(statement)
        print(
            f"\n`{statement}` imports: {', '.join(found) if found else 'none of ' + ', '.join(HEAVY)}"
        )


if __name__ == "__main__":
    main()
