"""A canary API key never appears in anything a run writes: files, logs, errors, reprs, output."""

from __future__ import annotations

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
