"""Run a summarizer over a dataset, streaming every prediction to ``predictions.jsonl`` as it completes."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TextIO

from pydantic import ValidationError

from summarizer import (
    InputError,
    Result,
    SanctionsSummary,
    Summarizer,
    SummarizerConfig,
    SummarizerError,
)
from summarizer.eval.dataset import Case, DatasetError, iter_jsonl
from summarizer.masking import mask
from summarizer.workers import run_all

PREDICTIONS = "predictions.jsonl"


@dataclass
class Prediction:
    """One run of one article: the summary (None when no valid output), the error, the meta."""

    id: str
    repeat: int
    summary: SanctionsSummary | None
    error: dict[str, str] | None = None
    meta: dict[str, Any] | None = None

    def to_json(self) -> dict[str, Any]:
        summary = None
        if self.summary is not None:
            summary = self.summary.model_dump(
                mode="json", exclude={"actions": {"__all__": {"evidence_spans"}}}
            )
        return {
            "id": self.id,
            "repeat": self.repeat,
            "prediction": summary,
            "error": self.error,
            "meta": self.meta,
        }


def _predict(summarizer: Summarizer, case: Case, repeat: int) -> Prediction:
    started = time.perf_counter()
    try:
        result: Result = summarizer.summarize(case.text)
    except SummarizerError as exc:
        # a failure costs time and tokens too: keep them, or the mean latency flatters a model
        meta: dict[str, Any] = {"latency_s": round(time.perf_counter() - started, 4)}
        usage = getattr(exc, "usage", None)
        if usage is not None:
            meta["usage"] = usage.as_dict()
        error = {"type": type(exc).__name__, "message": str(exc)}
        return Prediction(case.id, repeat, None, error, meta)
    return Prediction(case.id, repeat, result.summary, None, result.meta.as_dict())


def _predict_all(
    summarizers: list[Summarizer],
    jobs: list[tuple[Case, int]],
    concurrency: int,
    record: Callable[[Prediction], None],
) -> None:
    """Predict every (case, repeat) on worker threads; ``record`` sees each prediction here.
    An interrupt stops the run at once (:func:`summarizer.workers.run_all`)."""
    run_all(
        lambda job: _predict(summarizers[job[1]], *job),
        jobs,
        concurrency=concurrency,
        cancelled=lambda job: _cancelled(*job),
        on_result=record,
    )


def _cancelled(case: Case, repeat: int) -> Prediction:
    """The prediction of a case the run was stopped before (never recorded: the run re-raises)."""
    error = {"type": "Cancelled", "message": "the run was stopped before this case started"}
    return Prediction(case.id, repeat, None, error, {})


def _from_cache(summarizer: Summarizer, case: Case, repeat: int) -> Prediction | None:
    """The prediction if every reply it needs is in the summarizer's cache, else None (failures
    are left to the normal path, which the cached replies make quick)."""
    try:
        result = summarizer.from_cache(case.text)
    except SummarizerError:
        return None
    if result is None:
        return None
    # every reply came from the cache, whatever the strategy's own flag says (an extractive
    # fallback after cached replies reports none)
    return Prediction(
        case.id, repeat, result.summary, None, {**result.meta.as_dict(), "cache_hit": True}
    )


def _open_sink(path: Path) -> TextIO:
    try:
        return path.open("w", encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot write {path}: {exc.strerror or exc}") from None


def run_dataset(
    cases: Sequence[Case],
    config: SummarizerConfig,
    out_dir: Path,
    *,
    concurrency: int = 2,
    repeat: int = 1,
    progress: bool = True,
) -> tuple[list[Prediction], str, float]:
    """Summarize every case ``repeat`` times (seed = repeat index); returns predictions, template
    hash and wall time. Lines are appended to ``out_dir/predictions.jsonl`` as they complete."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    summarizers = [Summarizer(replace(config, seed=(config.seed or 0) + r)) for r in range(repeat)]
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / PREDICTIONS
    jobs = [(case, r) for r in range(repeat) for case in cases]
    predictions: list[Prediction] = []
    started = time.perf_counter()
    console = Console(stderr=True)
    columns = (TextColumn("[bold]eval"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with (
        _open_sink(path) as sink,
        Progress(*columns, console=console, disable=not progress) as bar,
    ):
        task = bar.add_task("eval", total=len(jobs))

        def record(prediction: Prediction) -> None:  # only ever called from this thread
            sink.write(mask(json.dumps(prediction.to_json(), ensure_ascii=False)) + "\n")
            sink.flush()
            predictions.append(prediction)
            bar.advance(task)

        # articles answered from the cache go first, here: workers would only add hand-offs
        to_run = []
        for case, r in jobs:
            cached = _from_cache(summarizers[r], case, r)
            if cached is None:
                to_run.append((case, r))
            else:
                record(cached)
        for r in sorted({r for _, r in to_run}):  # before the workers, who would all prepare
            summarizers[r].warm_up(errors="ignore")
        _predict_all(summarizers, to_run, concurrency, record)
    return predictions, summarizers[0].template_hash, time.perf_counter() - started


def _field_problem(record: dict[str, Any]) -> str | None:
    """What is wrong with a predictions record's optional fields, if anything."""
    error = record.get("error")
    if error is not None and not (
        isinstance(error, dict)
        and isinstance(error.get("type"), str)
        and isinstance(error.get("message", ""), str)
    ):
        return "field 'error' must be null or an object with a string 'type' and 'message'"
    if record.get("meta") is not None and not isinstance(record["meta"], dict):
        return "field 'meta' must be null or an object"
    repeat = record.get("repeat", 0)
    if not isinstance(repeat, int) or isinstance(repeat, bool) or repeat < 0:
        return "field 'repeat' must be a non-negative integer"
    return None


def _check_record(record: Any, where: str) -> dict[str, Any]:
    if not isinstance(record, dict) or not isinstance(record.get("id"), str):
        raise DatasetError(f"{where}: expected an object with a string 'id'")
    where = f"{where} (id {record['id']!r})"
    if "prediction" not in record:
        hint = " (a `summarizer batch` output carries 'summary' instead)" if "ok" in record else ""
        raise DatasetError(
            f"{where}: no 'prediction' field; each line needs \"prediction\": a summary, or "
            f"null for no valid output{hint}"
        )
    problem = _field_problem(record)
    if problem:
        raise DatasetError(f"{where}: {problem}")
    return record


def _prediction(record: dict[str, Any]) -> Prediction:
    raw = record["prediction"]
    summary, error = None, record.get("error")
    if raw is not None:
        try:
            summary = SanctionsSummary.model_validate(raw)
        except ValidationError as exc:
            first = exc.errors(include_url=False)[0]
            where = ".".join(str(p) for p in first["loc"]) or "prediction"
            error = {"type": "InvalidPrediction", "message": f"{where}: {first['msg']}"}
    elif error is None:
        error = {"type": "NoPrediction", "message": "prediction is null"}
    return Prediction(record["id"], record.get("repeat", 0), summary, error, record.get("meta"))


def load_predictions(path: Path) -> tuple[list[Prediction], list[str]]:
    """Read predictions (``{"id", "prediction"}`` per line, optional ``repeat``/``error``/``meta``)
    and warnings about duplicate ids (the first line of an id and repeat is kept).

    A prediction that does not validate counts as no valid output, with the reason as its error.
    A malformed line is a :class:`DatasetError` naming the line and the field.
    """
    predictions: list[Prediction] = []
    warnings: list[str] = []
    seen: dict[tuple[str, int], int] = {}
    for number, record in iter_jsonl(path):
        checked = _check_record(record, f"{path}:{number}")
        key = (checked["id"], checked.get("repeat", 0))
        if key in seen:
            warnings.append(
                f"duplicate prediction for id {key[0]!r} (repeat {key[1]}) on line {number}: "
                f"line {seen[key]} is kept"
            )
            continue
        seen[key] = number
        predictions.append(_prediction(checked))
    return predictions, warnings
