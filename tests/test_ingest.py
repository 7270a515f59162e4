from __future__ import annotations

import errno
import io
import os
from pathlib import Path
from typing import Any

import pytest

from summarizer.errors import InputError
from summarizer.ingest import MAX_INPUT_BYTES, prepare, read_path, read_stream

PAGE = """<!DOCTYPE html><html><head><title>Treasury</title></head><body>
<nav><a href="/">Home</a> | <a href="/press">Press</a></nav>
<article><h1>Treasury Sanctions Network</h1>
<p>WASHINGTON — Today, the Department of the Treasury's Office of Foreign Assets Control sanctioned
twelve individuals and eight entities that procure drone components for Russia's military.</p>
<p>The designations were made pursuant to Executive Order 14024 and block all property of the
persons named in the United States.</p></article>
<footer>Privacy policy | Accessibility | Contact us</footer></body></html>"""


def test_plain_text_is_cleaned() -> None:
    assert prepare("  line one\r\nline two\x07  ") == "line one\nline two"


def test_html_is_reduced_to_the_article() -> None:
    text = prepare(PAGE)
    assert "twelve individuals and eight entities" in text
    assert "Privacy policy" not in text and "<p>" not in text


def test_boilerplate_only_html_is_an_input_error() -> None:
    with pytest.raises(InputError, match="no article text"):
        prepare("<html><body><nav>Home | About</nav></body></html>")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("", "empty"),
        (" \n\t", "empty"),
        (b"\x00\x01\x02", "binary"),
        (b"\xc3\x28 bad", "not valid UTF-8"),
    ],
)
def test_bad_inputs(data: str | bytes, message: str) -> None:
    with pytest.raises(InputError, match=message):
        prepare(data)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="file not found"):
        read_path(tmp_path / "missing.txt")


def test_oversized_file(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_bytes(b"a" * (MAX_INPUT_BYTES + 1))
    with pytest.raises(InputError, match="input limit"):
        read_path(big)


def test_utf8_bom_file(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes("\ufeffSanctions on Iran".encode())
    assert read_path(path) == "Sanctions on Iran"


def test_only_regular_files_are_read(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="is a directory"):
        read_path(tmp_path)
    if hasattr(os, "mkfifo"):
        os.mkfifo(tmp_path / "fifo")  # no writer: an open to read would block
        with pytest.raises(InputError, match="is a FIFO"):
            read_path(tmp_path / "fifo")
    if Path("/dev/zero").exists():
        with pytest.raises(InputError, match="is a character device"):
            read_path("/dev/zero")


@pytest.mark.parametrize(
    ("name", "message"),
    [("a\x00b.txt", "unusable file name"), ("\ud800.txt", "unusable file name")],
)
def test_unusable_file_names(tmp_path: Path, name: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        read_path(str(tmp_path) + "/" + name)


def test_read_errors_name_the_file(tmp_path: Path) -> None:
    (tmp_path / "plain.txt").write_text("x")
    with pytest.raises(InputError, match=r"cannot read .*plain\.txt/a\.txt: not a directory"):
        read_path(tmp_path / "plain.txt" / "a.txt")
    if Path("/proc/self/mem").exists():
        with pytest.raises(InputError, match="cannot read /proc/self/mem"):
            read_path("/proc/self/mem")


def test_within_keeps_reads_inside_a_folder(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "a.txt").write_text("Sanctions inside.")
    (tmp_path / "b.txt").write_text("Sanctions outside.")
    (folder / "in_link.txt").symlink_to(folder / "sub" / "a.txt")
    (folder / "out_link.txt").symlink_to(tmp_path / "b.txt")
    assert read_path(folder / "sub" / "a.txt", within=folder) == "Sanctions inside."
    assert read_path(folder / "in_link.txt", within=folder) == "Sanctions inside."
    for escape in (folder / ".." / "b.txt", tmp_path / "b.txt", folder / "out_link.txt"):
        with pytest.raises(InputError, match="outside the folder"):
            read_path(escape, within=folder)
    # nothing outside is even looked at: a missing file there is "outside", not "not found"
    with pytest.raises(InputError, match="outside the folder"):
        read_path(tmp_path / "missing.txt", within=folder)
    assert read_path(tmp_path / "b.txt") == "Sanctions outside."  # no folder given: anywhere


def test_oversized_input_is_refused_before_decoding() -> None:
    with pytest.raises(InputError, match="input limit"):
        prepare(b"\xff" * (MAX_INPUT_BYTES + 1))  # not "not valid UTF-8": never decoded


def test_streams() -> None:
    assert read_stream(io.BytesIO(b"Sanctions on Iran\r\n")) == "Sanctions on Iran"
    with pytest.raises(InputError, match="standard input is closed"):
        read_stream(None)

    class Broken(io.RawIOBase):
        def readinto(self, buffer: Any) -> int:
            raise OSError(errno.EIO, "Input/output error")

    with pytest.raises(InputError, match="cannot read standard input: input/output error"):
        read_stream(Broken())
