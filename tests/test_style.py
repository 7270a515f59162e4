"""Small units: no function or method of the package or the benchmarks runs over 50 lines."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import ROOT

LIMIT = 50


def _long_functions(folder: Path) -> list[str]:
    found = []
    for path in sorted(folder.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                lines = (node.end_lineno or node.lineno) - node.lineno + 1
                if lines > LIMIT:
                    found.append(f"{path.relative_to(folder)}:{node.lineno} {node.name} ({lines})")
    return found


@pytest.mark.parametrize("folder", ["summarizer", "bench"])
def test_no_function_is_over_50_lines(folder: str) -> None:
    assert _long_functions(ROOT / folder) == []


def test_the_check_finds_a_function_one_line_too_long(tmp_path: Path) -> None:
    def function(name: str, lines: int) -> str:
        return f"def {name}() -> None:\n" + "".join(f"    x = {i}\n" for i in range(lines - 1))

    (tmp_path / "a.py").write_text(function("fits", LIMIT) + "\n\n" + function("long", LIMIT + 1))
    assert _long_functions(tmp_path) == [f"a.py:{LIMIT + 3} long ({LIMIT + 1})"]
