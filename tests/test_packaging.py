"""What users install: the wheel, built from a clean copy and installed away from the source tree."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from tests.conftest import EXAMPLE, ROOT

_IGNORED = shutil.ignore_patterns(
    ".venv", ".git", "build", "dist", "*.egg-info", ".*_cache", "__pycache__", "runs"
)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel built (offline, no isolation) from a copy of the tree without caches or builds."""
    tmp = tmp_path_factory.mktemp("wheel")
    source = tmp / "src"
    shutil.copytree(ROOT, source, ignore=_IGNORED)
    done = subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(tmp / "dist"),
         str(source)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    (built,) = (tmp / "dist").glob("sanctions_summarizer-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment with the wheel installed (``--no-deps``); the dependencies come
    from this environment's site-packages through a ``.pth`` line, which does not run this
    environment's editable-install hook, so ``summarizer`` can only come from the wheel."""
    venv = tmp_path_factory.mktemp("venv") / "env"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    Path(purelib, "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    done = subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps",
         "--no-index", "--quiet", str(wheel)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    return python


def _run(python: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "PYTHONHOME"}}
    return subprocess.run(
        [str(python), *args], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )


def test_wheel_holds_every_module_template_and_data_file(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = {
        p.relative_to(ROOT).as_posix()
        for p in (ROOT / "summarizer").rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and p.suffix not in {".pyc", ".pyo"}
    }
    assert shipped and shipped <= names, sorted(shipped - names)
    templates = {f"summarizer/_prompts/{p.name}" for p in (ROOT / "prompts").iterdir()}
    templates = {t for t in templates if not t.endswith("__pycache__")}
    assert templates and templates <= names, sorted(templates - names)
    assert not any(n.startswith(("tests/", "evals/", "bench/", "prompts/")) for n in names)


def test_installed_wheel_imports_and_runs_away_from_the_source_tree(
    installed: Path, tmp_path: Path
) -> None:
    where = _run(installed, "-c", "import summarizer; print(summarizer.__file__)", cwd=tmp_path)
    assert where.returncode == 0, where.stderr
    assert Path(where.stdout.strip()).is_relative_to(installed.parents[1]), where.stdout
    api = _run(installed, "-c", "from summarizer import Summarizer, SanctionsSummary", cwd=tmp_path)
    assert api.returncode == 0, api.stderr
    schema = _run(installed, "-m", "summarizer", "schema", cwd=tmp_path)
    assert schema.returncode == 0, schema.stderr
    assert '"SanctionsSummary"' in schema.stdout or '"title": "SanctionsSummary"' in schema.stdout


def test_installed_wheel_summarizes_the_example_with_the_embedded_model(
    installed: Path, tmp_path: Path
) -> None:
    article = tmp_path / "article.txt"
    article.write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    done = _run(installed, "-m", "summarizer", "summarize", str(article), cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    assert '"is_sanctions_news": true' in done.stdout and '"actions"' in done.stdout


def test_import_layering_contracts() -> None:
    lint = Path(sys.executable).with_name("lint-imports")
    done = subprocess.run([str(lint)], cwd=ROOT, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout
