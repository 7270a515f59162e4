"""Hostile files, streams and paths at the edges: the CLI (a real ``summarizer`` process) and the API
answer each with a clear error — one line on stderr, the documented exit code, no traceback — and
lose nothing already done. Grouped by the classes of issue #18 they belong to:

1. filesystem and stream errors; 2. unbounded reads; 10. batch paths and a best-effort cache;
and the catch-all of ``main()``.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from summarizer import ConfigError, InputError, Result, Summarizer, load_batch, run_batch
from summarizer.ingest import MAX_INPUT_BYTES
from summarizer.retry import transient_policy
from tests import synthetic
from tests.conftest import EXAMPLE, as_json
from tests.fakeserver import FakeOpenAIServer, Step

LINUX = sys.platform.startswith("linux")
needs_linux = pytest.mark.skipif(not LINUX, reason="uses /proc, /dev/full and /dev/zero (Linux)")
ROOT = os.geteuid() == 0 if hasattr(os, "geteuid") else False


@pytest.fixture
def fake() -> Iterator[FakeOpenAIServer]:
    with FakeOpenAIServer(default=synthetic.respond) as server:
        yield server


def cli(
    *args: str | Path,
    server: FakeOpenAIServer | None = None,
    stdin: Any = subprocess.DEVNULL,
    stdout: Any = subprocess.PIPE,
    preexec: Callable[[], None] | None = None,
    timeout: float = 90,
) -> subprocess.CompletedProcess[bytes]:
    """Run ``python -m summarizer ARGS`` (the fake server as its endpoint, when given)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPENAI_")}
    if server is not None:
        env.update(OPENAI_BASE_URL=server.base_url, OPENAI_API_KEY="sk-test")
    return subprocess.run(
        [sys.executable, "-m", "summarizer", *map(str, args)],
        stdin=stdin,
        stdout=stdout,
        stderr=subprocess.PIPE,
        env=env,
        preexec_fn=preexec,
        timeout=timeout,
        check=False,
    )


def one_line(done: subprocess.CompletedProcess[bytes], code: int, phrase: str = "") -> str:
    """Assert the exit code and exactly one stderr line, no traceback, containing ``phrase``."""
    err = done.stderr.decode("utf-8", "replace")
    assert done.returncode == code, err
    assert "Traceback" not in err, err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("summarizer"), err
    assert phrase in lines[0], err
    return lines[0]


def batch_input(folder: Path, *lines: dict[str, Any]) -> Path:
    path = folder / "in.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    return path


def fast_summarizer(server: FakeOpenAIServer, **options: Any) -> Summarizer:
    return Summarizer(
        model="fake-model",
        base_url=server.base_url,
        api_key="sk-test",
        retrying=transient_policy(initial=0.01, maximum=0.05),
        **options,
    )


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs on this system")
    path = tmp_path / "fifo"
    os.mkfifo(path)  # nobody ever writes to it: opening it to read would block forever
    return path


# ---------------------------------------------------------------- class 1: filesystem and streams


@needs_linux
def test_unreadable_file_proc_self_mem() -> None:
    one_line(cli("summarize", "/proc/self/mem", "--model", "m"), 2, "cannot read /proc/self/mem")


def test_a_directory_is_not_an_article(tmp_path: Path) -> None:
    one_line(cli("summarize", tmp_path, "--model", "m"), 2, "is a directory")


def test_a_fifo_without_writer_does_not_hang(fifo: Path) -> None:
    one_line(cli("summarize", fifo, "--model", "m", timeout=60), 2, "FIFO")


@pytest.mark.skipif(ROOT, reason="root reads a file whatever its permissions")
def test_permission_denied(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("Sanctions were imposed.")
    secret.chmod(0)
    one_line(cli("summarize", secret, "--model", "m"), 2, "permission denied")


def test_a_path_through_a_file(tmp_path: Path) -> None:
    (tmp_path / "plain.txt").write_text("x")
    one_line(cli("summarize", tmp_path / "plain.txt" / "a.txt"), 2, "not a directory")


def test_a_file_name_with_a_line_break_stays_one_line(tmp_path: Path) -> None:
    line = one_line(cli("summarize", tmp_path / "two\nlines.txt"), 2, "file not found")
    assert "two\\nlines.txt" in line


def test_closed_stdin_is_an_input_error() -> None:
    done = cli("summarize", "-", "--model", "m", preexec=lambda: os.close(0))
    one_line(done, 2, "standard input is closed")


def test_stdout_closed_by_its_reader() -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)  # `summarizer schema | head -c0`: the reader is gone before any write
    try:
        done = cli("schema", stdout=write_end)
    finally:
        os.close(write_end)
    one_line(done, 1, "cannot write to standard output")


@needs_linux
def test_stdout_on_a_full_disk() -> None:
    with open("/dev/full", "wb") as full:
        one_line(cli("schema", stdout=full), 1, "no space left on device")


@needs_linux
def test_a_summary_that_cannot_be_printed_is_one_failure_line(
    server: FakeOpenAIServer, good_summary: dict[str, Any]
) -> None:
    server.push(Step(as_json(good_summary)))
    with open("/dev/full", "wb") as full:
        done = cli("summarize", EXAMPLE, "--model", "m", server=server, stdout=full)
    one_line(done, 1, "cannot write to standard output")
    assert len(server.requests) == 1


def test_batch_output_that_is_a_directory(tmp_path: Path, fake: FakeOpenAIServer) -> None:
    inputs = batch_input(tmp_path, {"id": 1, "text": synthetic.article(1)})
    (tmp_path / "out").mkdir()
    done = cli("batch", inputs, tmp_path / "out", "--model", "m", "--no-progress", server=fake)
    one_line(done, 2, "is a directory")
    assert not fake.requests and not list((tmp_path / "out").iterdir())


def test_batch_output_under_a_file(tmp_path: Path, fake: FakeOpenAIServer) -> None:
    inputs = batch_input(tmp_path, {"id": 1, "text": synthetic.article(1)})
    output = inputs / "out.jsonl"  # its folder is the input file
    done = cli("batch", inputs, output, "--model", "m", "--no-progress", server=fake)
    one_line(done, 2, "not a directory")
    assert not fake.requests


def test_cache_dir_that_is_a_file(tmp_path: Path, fake: FakeOpenAIServer) -> None:
    inputs = batch_input(tmp_path, {"id": 1, "text": synthetic.article(1)})
    cache = tmp_path / "cache"
    cache.write_text("not a folder")
    output = tmp_path / "out.jsonl"
    args = ("batch", inputs, output, "--model", "m", "--no-progress", "--cache-dir", cache)
    one_line(cli(*args, server=fake), 2, "is not a directory")
    assert not fake.requests and not output.exists()
    with pytest.raises(ConfigError, match="not a directory"):
        fast_summarizer(fake, cache_dir=cache)


def _file_size_limit(limit: int) -> Callable[[], None]:
    def apply() -> (
        None
    ):  # in the child: writes past `limit` bytes fail with EFBIG, as on a full disk
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


@pytest.mark.skipif(not hasattr(signal, "SIGXFSZ"), reason="needs RLIMIT_FSIZE and SIGXFSZ")
def test_batch_on_a_full_disk_keeps_what_it_wrote(tmp_path: Path, fake: FakeOpenAIServer) -> None:
    probe = tmp_path / "probe.jsonl"
    run_batch(
        fast_summarizer(fake), batch_input(tmp_path, {"id": 9, "text": synthetic.article(9)}), probe
    )
    record_size = probe.stat().st_size  # the records below are as long, within a few bytes
    inputs = batch_input(tmp_path, *({"id": i, "text": synthetic.article(i)} for i in range(1, 5)))
    output = tmp_path / "out.jsonl"
    args = ("batch", inputs, output, "--model", "m", "--no-progress", "--concurrency", "1")
    done = cli(*args, server=fake, preexec=_file_size_limit(record_size * 3 // 2))
    one_line(done, 1, "batch stopped: file too large")
    kept = output.read_bytes().splitlines(keepends=True)
    assert kept and kept[0].endswith(b"\n")  # at least one whole record was written
    asked = len(fake.requests)
    rerun = cli(*args, server=fake)
    assert rerun.returncode == 0, rerun.stderr
    ids = [record["id"] for record in load_batch(output)]
    assert sorted(ids) == ["1", "2", "3", "4"]  # every article once: none lost, none twice
    whole = sum(1 for line in kept if line.endswith(b"\n"))
    assert len(fake.requests) - asked == 4 - whole  # the rerun asked only for the rest


def test_batch_output_with_a_line_that_is_not_utf8(tmp_path: Path, fake: FakeOpenAIServer) -> None:
    inputs = batch_input(tmp_path, {"id": 1, "text": synthetic.article(1)})
    output = tmp_path / "out.jsonl"
    output.write_bytes(b'{"id": "1", "ok": true}\n{"id": "2\xff"}\n')
    done = cli("batch", inputs, output, "--model", "m", "--no-progress", server=fake)
    one_line(done, 2, "not an output of this command")
    assert output.read_bytes().endswith(b'{"id": "2\xff"}\n')  # left as it was
    assert not fake.requests


def test_score_with_a_directory_as_dataset(tmp_path: Path) -> None:
    predictions = tmp_path / "predictions.jsonl"
    predictions.write_text("")
    one_line(cli("score", tmp_path, predictions), 2)


@needs_linux
def test_summarize_many_returns_file_errors_in_their_slots(
    tmp_path: Path, fake: FakeOpenAIServer, fifo: Path
) -> None:
    sources: list[Any] = [
        synthetic.article(1),
        tmp_path,  # a directory
        fifo,
        tmp_path / "missing.txt",
        b"\xff\xfe not UTF-8",
        Path("/proc/self/mem"),
        synthetic.article(2),
    ]
    results = fast_summarizer(fake).summarize_many(sources, concurrency=3)
    assert isinstance(results[0], Result) and isinstance(results[-1], Result)
    phrases = ["directory", "FIFO", "file not found", "not valid UTF-8", "cannot read"]
    for result, phrase in zip(results[1:-1], phrases, strict=True):
        assert isinstance(result, InputError) and phrase in str(result), result
    assert len(fake.requests) == 2  # only the two articles reached the model


# ---------------------------------------------------------------------- class 2: unbounded reads


@needs_linux
def test_stdin_from_dev_zero_ends_promptly() -> None:
    started = time.monotonic()
    with open("/dev/zero", "rb") as zero:
        one_line(cli("summarize", "-", "--model", "m", stdin=zero, timeout=60), 2, "input limit")
    assert time.monotonic() - started < 60


@needs_linux
def test_a_device_is_not_a_file() -> None:
    one_line(cli("summarize", "/dev/zero", "--model", "m", timeout=60), 2, "character device")


def test_an_oversized_file_on_stdin(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    with big.open("wb") as file:
        file.truncate(MAX_INPUT_BYTES + 10)  # sparse: no disk used
    with big.open("rb") as stdin:
        one_line(cli("summarize", "-", "--model", "m", stdin=stdin), 2, "input limit")
    one_line(cli("summarize", big, "--model", "m"), 2, "input limit")


@needs_linux
def test_batch_input_or_output_that_is_a_device(tmp_path: Path, fake: FakeOpenAIServer) -> None:
    inputs = batch_input(tmp_path, {"id": 1, "text": synthetic.article(1)})
    for args in ((inputs, "/dev/zero"), ("/dev/zero", tmp_path / "out.jsonl")):
        done = cli("batch", *args, "--model", "m", "--no-progress", server=fake, timeout=60)
        one_line(done, 2, "character device")
    assert not fake.requests


def test_batch_input_that_is_a_fifo(tmp_path: Path, fifo: Path) -> None:
    done = cli("batch", fifo, tmp_path / "out.jsonl", "--no-progress", timeout=60)
    one_line(done, 2, "FIFO")


def test_batch_path_lines_name_only_regular_files(
    tmp_path: Path, fake: FakeOpenAIServer, fifo: Path
) -> None:
    (tmp_path / "folder").mkdir()
    with (tmp_path / "huge.txt").open("wb") as file:
        file.truncate(MAX_INPUT_BYTES * 3)
    (tmp_path / "good.txt").write_text(synthetic.article(7))
    lines = [
        {"id": "fifo", "path": fifo.name},
        {"id": "folder", "path": "folder"},
        {"id": "huge", "path": "huge.txt"},
        {"id": "good", "path": "good.txt"},
    ]
    if LINUX:
        lines.append({"id": "device", "path": "/dev/zero"})
    inputs = batch_input(tmp_path, *lines)
    output = tmp_path / "out.jsonl"
    args = ("batch", inputs, output, "--model", "m", "--no-progress", "--allow-any-path")
    line = one_line(cli(*args, server=fake, timeout=60), 1, "summarizer batch:")
    assert "InputError" in line
    records = {r["id"]: r for r in load_batch(output)}
    assert records.pop("good")["ok"]
    expected = {"fifo": "FIFO", "folder": "directory", "huge": "input limit", "device": "device"}
    for ident, record in records.items():
        assert record["error"]["type"] == "InputError", record
        assert expected[ident] in record["error"]["message"], record
    assert len(fake.requests) == 1


def test_a_huge_input_line_is_skipped_without_being_held(
    tmp_path: Path, fake: FakeOpenAIServer
) -> None:
    import tracemalloc

    inputs = tmp_path / "in.jsonl"
    with inputs.open("wb") as file:
        file.write(json.dumps({"id": 1, "text": synthetic.article(1)}).encode() + b"\n")
        file.seek(100_000_000, os.SEEK_CUR)  # a 100 MB line of NUL bytes (sparse: no disk used)
        file.write(b"\n" + json.dumps({"id": 3, "text": synthetic.article(3)}).encode() + b"\n")
    tracemalloc.start()
    try:
        report = run_batch(fast_summarizer(fake), inputs, tmp_path / "out.jsonl", concurrency=1)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    records = {r["line"]: r for r in load_batch(tmp_path / "out.jsonl")}
    assert records[1]["ok"] and records[3]["ok"] and report.total == 3
    assert records[2]["error"]["type"] == "BadInputLine"
    assert "over the 12,000,000-byte limit" in records[2]["error"]["message"]
    assert peak < 40_000_000  # the line is cut at the limit, its rest read in 1 MB pieces


def test_read_limited_never_reads_past_the_limit() -> None:
    from summarizer.ingest import read_limited

    class Endless:
        served = 0

        def read(self, size: int = -1, /) -> bytes:
            assert size > 0  # never "read it all"
            self.served += size
            return b"a" * size

    stream = Endless()
    with pytest.raises(InputError, match="input limit"):
        read_limited(stream)
    assert stream.served == MAX_INPUT_BYTES + 1


# ------------------------------------------------------- class 10: batch paths, best-effort cache


def confinement_case(tmp_path: Path) -> tuple[Path, Path]:
    """An input folder with files inside it, and ways out of it: an absolute path, ``..`` and a
    symbolic link. Returns the input file and the file outside."""
    folder = tmp_path / "inputs"
    (folder / "sub").mkdir(parents=True)
    outside = tmp_path / "outside.txt"
    outside.write_text(synthetic.article(66) + " OUTSIDE-MARKER")
    (folder / "sub" / "inner.txt").write_text(synthetic.article(5))
    (folder / "link_in.txt").symlink_to(folder / "sub" / "inner.txt")
    (folder / "link_out.txt").symlink_to(outside)
    (folder / "sub" / "up").symlink_to(tmp_path)  # a folder link that leads out
    lines = [
        {"id": "inner", "path": "sub/inner.txt"},
        {"id": "link_in", "path": "link_in.txt"},
        {"id": "absolute", "path": str(outside)},
        {"id": "dotdot", "path": "../outside.txt"},
        {"id": "link_out", "path": "link_out.txt"},
        {"id": "folder_link", "path": "sub/up/outside.txt"},
        {"id": "text", "text": synthetic.article(8)},
    ]
    if Path("/etc/passwd").exists():
        lines.append({"id": "passwd", "path": "/etc/passwd"})
    return batch_input(folder, *lines), outside


ESCAPES = {"absolute", "dotdot", "link_out", "folder_link", "passwd"}


def sent(server: FakeOpenAIServer) -> str:
    return json.dumps(server.requests)


def test_batch_paths_stay_in_the_input_folder(tmp_path: Path, fake: FakeOpenAIServer) -> None:
    inputs, _ = confinement_case(tmp_path)
    output = tmp_path / "out.jsonl"
    line = one_line(cli("batch", inputs, output, "--model", "m", "--no-progress", server=fake), 1)
    assert "InputError" in line
    records = {r["id"]: r for r in load_batch(output)}
    for ident, record in records.items():
        if ident in ESCAPES:
            assert record["error"]["type"] == "InputError", record
            assert "outside the folder" in record["error"]["message"], record
            assert "--allow-any-path" in record["error"]["hint"], record
        else:
            assert record["ok"], record
    assert "OUTSIDE-MARKER" not in sent(fake) and "root:" not in sent(fake)


def test_allow_any_path_reads_outside(tmp_path: Path, fake: FakeOpenAIServer) -> None:
    inputs, _ = confinement_case(tmp_path)
    output = tmp_path / "out.jsonl"
    args = ("batch", inputs, output, "--model", "m", "--no-progress", "--allow-any-path")
    done = cli(*args, server=fake)
    assert done.returncode == 0, done.stderr
    assert all(record["ok"] for record in load_batch(output))
    assert "OUTSIDE-MARKER" in sent(fake)


def test_run_batch_confines_paths_unless_allowed(tmp_path: Path, fake: FakeOpenAIServer) -> None:
    inputs, _ = confinement_case(tmp_path)
    summarizer = fast_summarizer(fake)
    confined = run_batch(summarizer, inputs, tmp_path / "a.jsonl", concurrency=2)
    escapes = len(ESCAPES) if Path("/etc/passwd").exists() else len(ESCAPES) - 1
    assert confined.errors == {"InputError": escapes}
    assert confined.ok == confined.total - escapes
    free = run_batch(summarizer, inputs, tmp_path / "b.jsonl", allow_any_path=True)
    assert free.failed == 0 and free.ok == free.total


def unwritable_cache(tmp_path: Path) -> Path:
    """A cache folder where no reply can be stored: every shard folder's name is taken by a file."""
    cache = tmp_path / "cache"
    cache.mkdir()
    for shard in range(256):
        (cache / f"{shard:02x}").write_text("")
    return cache


def test_a_cache_that_cannot_be_written_fails_no_article(
    tmp_path: Path, fake: FakeOpenAIServer
) -> None:
    inputs = batch_input(tmp_path, *({"id": i, "text": synthetic.article(i)} for i in range(1, 4)))
    output = tmp_path / "out.jsonl"
    cache = unwritable_cache(tmp_path)
    args = ("batch", inputs, output, "--model", "m", "--no-progress", "--cache-dir", cache)
    done = cli(*args, server=fake)
    err = done.stderr.decode()
    assert done.returncode == 0, err
    assert "Traceback" not in err
    warnings = [line for line in err.splitlines() if "response cache" in line]
    assert len(warnings) == 1 and warnings[0].startswith("WARNING"), err
    assert len(err.strip().splitlines()) == 2  # the warning and the batch's tally
    assert [r["ok"] for r in load_batch(output)] == [True, True, True]


def test_summarize_many_with_an_unwritable_cache(
    tmp_path: Path, fake: FakeOpenAIServer, caplog: pytest.LogCaptureFixture
) -> None:
    summarizer = fast_summarizer(fake, cache_dir=unwritable_cache(tmp_path))
    results = summarizer.summarize_many([synthetic.article(i) for i in range(4)], concurrency=4)
    assert all(isinstance(result, Result) for result in results)
    assert [r.levelname for r in caplog.records if "response cache" in r.getMessage()] == [
        "WARNING"
    ]


# --------------------------------------------------------------------------- main()'s catch-all


def test_an_unexpected_error_is_one_line_and_v_shows_the_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import summarizer.cli
    import summarizer.schema

    def broken() -> dict[str, Any]:
        raise RuntimeError("boom\nsecond line")

    monkeypatch.setattr(summarizer.schema, "json_schema", broken)
    assert summarizer.cli.main(["schema"]) == 1
    err = capsys.readouterr().err
    assert err.splitlines() == [
        "summarizer: internal error: RuntimeError: boom\\nsecond line "
        "(run with -v for the traceback)"
    ]
    assert summarizer.cli.main(["schema", "-v"]) == 1
    err = capsys.readouterr().err
    assert "Traceback" in err and "RuntimeError: boom" in err
    assert err.splitlines()[-1] == "summarizer: internal error: RuntimeError: boom\\nsecond line"


def test_an_interrupt_exits_130_with_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import summarizer.cli
    import summarizer.schema

    def interrupted() -> dict[str, Any]:
        raise KeyboardInterrupt

    monkeypatch.setattr(summarizer.schema, "json_schema", interrupted)
    assert summarizer.cli.main(["schema"]) == 130
    assert capsys.readouterr().err.splitlines() == ["summarizer: interrupted"]


@pytest.mark.skipif(not LINUX, reason="sends SIGINT")
def test_ctrl_c_while_reading_stdin() -> None:
    ready = "import sys, summarizer.cli as c; print('ready', file=sys.stderr, flush=True); "
    process = subprocess.Popen(
        [sys.executable, "-c", ready + "sys.exit(c.main(['summarize', '-']))"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stderr is not None and process.stdin is not None
    assert process.stderr.readline() == b"ready\n"
    process.stdin.write(b"The article so far, and the writer never closes the pipe.")
    process.stdin.flush()
    time.sleep(0.5)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130, err
    assert err.decode().splitlines() == ["summarizer: interrupted"]
