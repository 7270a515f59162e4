"""A canary API key never appears in anything a run writes: files, logs, errors, reprs, output."""

from __future__ import annotations

import base64
import json
import logging
import traceback
from pathlib import Path
from typing import Any

import pytest

from summarizer import BackendError, Summarizer, SummarizerConfig, run_batch
from summarizer.cli import main
from summarizer.retry import transient_policy
from tests import synthetic
from tests.conftest import ROOT
from tests.fakeserver import FakeOpenAIServer, Step

CANARY = "sk-canary-7f3e91c04b2d4a8e9d51c6"


def echoing(body: dict[str, Any], headers: dict[str, str]) -> Step | None:
    """Like some servers, reject a marked article with a 401 that echoes the key it was sent."""
    if "REJECT-ME" in str(body["messages"]):
        key = headers.get("authorization", "").removeprefix("Bearer ")
        return Step(f"Incorrect API key provided: {key}", status=401)
    return None


class EchoServer(FakeOpenAIServer):
    def _next(self, body: dict[str, Any], headers: dict[str, str]) -> Step:
        step = super()._next(body, headers)
        return echoing(body, headers) or step


def test_the_canary_key_leaks_nowhere(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
) -> None:
    caplog.set_level(logging.DEBUG)  # every logger, the SDK's and httpx's included
    seen: list[str] = []
    with EchoServer(default=synthetic.respond) as server:
        monkeypatch.setenv("OPENAI_API_KEY", CANARY)
        monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
        config = SummarizerConfig(model="fake-model", api_key=CANARY, cache_dir=tmp_path / "cache")
        summarizer = Summarizer(config, retrying=transient_policy(initial=0.01, maximum=0.02))
        result = summarizer.summarize(synthetic.article(1))
        seen += [repr(config), str(config), repr(summarizer), repr(summarizer.backend)]
        seen += [repr(result), str(result.as_dict()), repr(vars(summarizer.backend))]

        with pytest.raises(BackendError) as caught:
            summarizer.summarize("REJECT-ME: " + synthetic.article(2))
        error = caught.value
        seen += [str(error), repr(error), "".join(traceback.format_exception(error))]
        assert "HTTP 401" in str(error) and "***" in str(error)

        inputs = tmp_path / "in.jsonl"
        inputs.write_text(
            '{"id": "1", "text": "REJECT-ME please"}\n'
            + "".join(f'{{"id": "{i}", "text": "{synthetic.article(i)}"}}\n' for i in (3, 4)),
            encoding="utf-8",
        )
        run_batch(summarizer, inputs, tmp_path / "api-out.jsonl")
        assert main(["batch", str(inputs), str(tmp_path / "cli-out.jsonl"), "--model", "m"]) == 1
        assert main(
            [
                "-v",
                "summarize",
                str(ROOT / "examples" / "treasury_iran_russia.txt"),
                "--model",
                "m",
                "--meta",
                "--max-reasks",
                "0",
            ]
        ) in {0, 1}
        dataset = tmp_path / "mini.jsonl"
        lines = (ROOT / "evals" / "datasets" / "dev.jsonl").read_text(encoding="utf-8")
        dataset.write_text("".join(lines.splitlines(keepends=True)[:3]), encoding="utf-8")
        code = main(
            [
                "eval",
                str(dataset),
                "--model",
                "m",
                "--out",
                str(tmp_path / "report"),
                "--cache-dir",
                str(tmp_path / "eval-cache"),
                "--no-progress",
            ]
        )
        assert code in {0, 1}
        assert any(CANARY in h.get("authorization", "") for h in server.headers)  # it was sent

    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert len(written) >= 8  # cache entries, batch outputs, report files
    for path in written:
        assert CANARY.encode() not in path.read_bytes(), path
        assert CANARY[:16].encode() not in path.read_bytes(), path
    out, err = capsys.readouterr()
    logs = "\n".join(r.getMessage() + str(r.args) + str(r.exc_info) for r in caplog.records)
    for text in [*seen, out, err, logs, caplog.text]:
        assert CANARY not in text and CANARY[:16] not in text
    assert "***" in (tmp_path / "api-out.jsonl").read_text(encoding="utf-8")


def leaky(body: dict[str, Any], headers: dict[str, str]) -> Step:
    """A server that echoes the key it was sent in every way a key leaks: whole in a 401, without
    its ``sk-`` prefix, only its tail, or inside a normal 200 reply's summary."""
    key = headers.get("authorization", "").removeprefix("Bearer ")
    user = str(body["messages"])
    if "ECHO-BARE" in user:
        return Step(f"key {key.removeprefix('sk-')} is not valid", status=401)
    if "ECHO-TAIL" in user:
        return Step(f"key ending {key[-10:]} was revoked", status=403)
    reply = synthetic.respond(body)
    if "ECHO-OK" in user:
        data = json.loads(reply.content)
        data["summary"] = f"Sanctions news. Your key is {key}, or {key[3:]} without its prefix."
        return Step(json.dumps(data))
    return reply


class LeakyServer(FakeOpenAIServer):
    def _next(self, body: dict[str, Any], headers: dict[str, str]) -> Step:
        super()._next(body, headers)
        return leaky(body, headers)


def _texts_of(paths: list[Path]) -> str:
    return "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in paths)


def test_the_key_is_masked_however_a_server_echoes_it(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
) -> None:
    caplog.set_level(logging.DEBUG)
    key = "sk-leak-5b7c19d2e8f04a6b93c1d7e2"
    password = "pw-4f1e9a2c7d3b8e60"
    basic = base64.b64encode(f"user:{password}".encode()).decode()
    with LeakyServer() as server:
        monkeypatch.setenv("OPENAI_API_KEY", key)
        monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
        inputs = tmp_path / "in.jsonl"
        markers = ["ECHO-BARE", "ECHO-TAIL", "ECHO-OK", "plain"]
        inputs.write_text(
            "".join(
                json.dumps({"id": m, "text": f"{m}: {synthetic.article(i)}"}) + "\n"
                for i, m in enumerate(markers)
            ),
            encoding="utf-8",
        )
        argv = ["-v", "batch", str(inputs), str(tmp_path / "out.jsonl"), "--model", "m"]
        argv += ["--cache-dir", str(tmp_path / "cache"), "--no-progress", "--max-reasks", "0"]
        assert main(argv) == 1
        requests_before = len(server.requests)
        summarizer = Summarizer(
            model="m",
            cache_dir=tmp_path / "cache",
            retrying=transient_policy(initial=0.01, maximum=0.02),
        )
        result = summarizer.summarize("ECHO-OK: " + synthetic.article(2))
        assert len(server.requests) == requests_before + 1  # a reply with the key was not cached
        assert "***" in result.summary.summary
        errors: list[str] = []
        for marker in ("ECHO-BARE", "ECHO-TAIL"):
            with pytest.raises(BackendError) as caught:
                summarizer.summarize(f"{marker}: " + synthetic.article(1))
            error = caught.value
            errors += [str(error), repr(error), "".join(traceback.format_exception(error))]
        # a key in the base URL's userinfo: the client sends it as Basic credentials
        with_userinfo = server.base_url.replace("http://", f"http://user:{password}@")
        argv = ["-v", "summarize", str(inputs), "--model", "m", "--base-url", with_userinfo]
        assert main([*argv, "--max-reasks", "0"]) == 1
        assert any(basic in h.get("authorization", "") for h in server.headers)  # it was sent
    records = (tmp_path / "out.jsonl").read_text(encoding="utf-8")
    assert records.count('"ok": false') == 2 and records.count("***") >= 3
    out, err = capsys.readouterr()
    assert "***" in err
    logs = "\n".join(r.getMessage() for r in caplog.records) + caplog.text
    written = _texts_of([p for p in tmp_path.rglob("*") if p.is_file()])
    for text in [records, out, err, logs, written, *errors, repr(summarizer)]:
        for secret in (key, key[3:], key[-10:], password, basic):
            assert secret not in text, (secret, text[:300])
