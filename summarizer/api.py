"""The public Python API: :class:`Summarizer`, :class:`Result` and :func:`summarize`."""

from __future__ import annotations

import asyncio
import hashlib
import os
import threading
import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

from tenacity import Retrying

from summarizer.backends import Backend, LlamaCppBackend, LlamaOptions, OpenAIBackend, is_local
from summarizer.cache import CacheMiss, CachingBackend
from summarizer.config import SummarizerConfig
from summarizer.errors import ConfigError, SummarizerError
from summarizer.ingest import Article, load, load_path
from summarizer.prompts import Prompts
from summarizer.retry import transient_policy
from summarizer.schema import SanctionsSummary
from summarizer.strategies import resolve_strategy
from summarizer.strategies.base import Engine, Strategy, StrategyOutput
from summarizer.usage import Usage

Source = str | bytes | os.PathLike[str] | Article


@dataclass(frozen=True)
class ResultMeta:
    """How a summary was made."""

    model: str
    backend: str
    strategy: str
    template_hash: str
    attempts: int
    usage: Usage
    latency_s: float
    cache_hit: bool
    details: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "model": self.model,
            "backend": self.backend,
            "strategy": self.strategy,
            "template_hash": self.template_hash,
            "attempts": self.attempts,
            "usage": self.usage.as_dict(),
            "latency_s": round(self.latency_s, 4),
            "cache_hit": self.cache_hit,
            **({"details": self.details} if self.details else {}),
        }


@dataclass(frozen=True)
class Result:
    """A validated summary, the cleaned source text its evidence offsets refer to, and meta.

    ``reduced`` is true when the input was HTML: the spans then have no ``raw_start``/``raw_end``,
    and ``source`` is the only text their offsets fit."""

    summary: SanctionsSummary
    meta: ResultMeta
    source: str
    reduced: bool = False

    @property
    def source_sha256(self) -> str:
        """SHA-256 (hex) of ``source`` in UTF-8: checks that a text is the one the offsets index."""
        return hashlib.sha256(self.source.encode("utf-8", "surrogatepass")).hexdigest()

    def as_dict(self, *, source: bool | None = None) -> dict[str, Any]:
        """Summary, meta and ``source_sha256``; ``source`` too when asked, or by default when the
        input was reduced from HTML."""
        data = {
            "summary": self.summary.model_dump(mode="json"),
            "meta": self.meta.as_dict(),
            "source_sha256": self.source_sha256,
        }
        if source or (source is None and self.reduced):
            data["source"] = self.source
        return data

    def to_html(self, *, title: str = "article") -> str:
        """This result as a self-contained review page (the page of ``summarizer view``)."""
        from summarizer.view import result_html

        return result_html(self.as_dict(source=True), title=title)


def _raw_offsets(summary: SanctionsSummary, article: Article) -> SanctionsSummary:
    """Fill each evidence span's ``raw_start``/``raw_end``: offsets into the input as given."""
    raw_map = article.raw_map()
    if raw_map is not None:
        for span in (s for action in summary.actions for s in action.evidence_spans):
            span.raw_start, span.raw_end = raw_map.span(span.start, span.end)
    return summary


def make_backend(config: SummarizerConfig) -> Backend:
    """The backend a config names: embedded for ``local…``, OpenAI-compatible otherwise."""
    if is_local(config.model):
        return LlamaCppBackend(
            config.model, LlamaOptions(n_ctx=config.n_ctx, n_threads=config.n_threads)
        )
    return OpenAIBackend(
        config.model,
        base_url=config.base_url,
        api_key=config.api_key,
        output_mode=config.output_mode,
        timeout=config.timeout,
    )


class Summarizer:
    """Summarizes sanctions announcements into :class:`SanctionsSummary` objects.

    ``Summarizer()`` runs the embedded model; ``Summarizer(model="gpt-4o-mini")`` a remote one.
    Pass a :class:`SummarizerConfig`, keyword overrides of its fields, or both. ``retrying`` replaces
    the transient-error policy; ``backend`` replaces the backend the config names.
    """

    def __init__(
        self,
        config: SummarizerConfig | None = None,
        /,
        *,
        backend: Backend | None = None,
        retrying: Retrying | None = None,
        **overrides: Any,
    ) -> None:
        unknown = set(overrides) - SummarizerConfig.field_names()
        if unknown:
            raise ConfigError(
                f"unknown option(s): {', '.join(sorted(unknown))}",
                hint="see SummarizerConfig for the options",
            )
        self.config = replace(config or SummarizerConfig(), **overrides)
        backend = backend or make_backend(self.config)
        self.prompts = Prompts(self.config.prompt_dir)
        self.strategy: Strategy = resolve_strategy(self.config.strategy, backend)
        self.template_hash = self.prompts.version(self.strategy.templates)
        if self.config.cache_dir is not None:
            namespace = f"{self.strategy.name}:{self.template_hash}"
            backend = CachingBackend(backend, self.config.cache_dir, namespace=namespace)
        self.backend = backend
        self._engine = Engine(backend, self.prompts, retrying or transient_policy(), self.config)

    def __repr__(self) -> str:
        return f"Summarizer(backend={self.backend!r}, strategy={self.strategy.name!r})"

    def _text(self, source: Source) -> Article:
        if isinstance(source, Article):
            return source
        if isinstance(source, os.PathLike):
            return load_path(Path(source))
        if not isinstance(source, str | bytes):
            raise TypeError(f"expected str, bytes or a path, got {type(source).__name__}")
        return load(source)

    def _result(self, article: Article, output: StrategyOutput, started: float) -> Result:
        meta = ResultMeta(
            model=self.backend.model,
            backend=self.backend.kind,
            strategy=self.strategy.name,
            template_hash=self.template_hash,
            attempts=output.attempts,
            usage=output.usage,
            latency_s=time.perf_counter() - started,
            cache_hit=output.cache_hit,
            details=output.details,
        )
        return Result(
            _raw_offsets(output.summary, article), meta, article.text, article.raw is None
        )

    def warm_up(self, *, errors: Literal["raise", "ignore"] = "raise") -> None:
        """Prepare now what the first article would otherwise wait for: compiled templates, the
        output schema or the extractors' tables, and the backend (its HTTP client and TLS context,
        or the embedded model, loaded). Optional; :meth:`summarize_many`, :meth:`asummarize_many`
        and batch runs call it once before their workers start, so that they do not all build the
        same things at the same time, with ``errors="ignore"``: each article then reports the
        error itself. Nothing is prepared for a model behind a cache."""
        try:
            self.strategy.prepare(self._engine)
            warm_up = getattr(self.backend, "warm_up", None)
            if callable(warm_up):
                warm_up()
        except SummarizerError:
            if errors == "raise":
                raise

    def summarize(self, source: Source) -> Result:
        """Summarize one article: text, HTML, bytes, or a path (``pathlib.Path``)."""
        started = time.perf_counter()
        article = self._text(source)
        return self._result(article, self.strategy.run(article.text, self._engine), started)

    def from_cache(self, source: Source) -> Result | None:
        """The result for ``source`` if every reply it needs is in the response cache, else None
        (also when there is no cache). The model is never called; errors are raised as by
        :meth:`summarize` (a cached reply that fails validation, say)."""
        if not isinstance(self.backend, CachingBackend):
            return None
        try:
            with self.backend.cached_only():
                return self.summarize(source)
        except CacheMiss:
            return None

    async def asummarize(self, source: Source) -> Result:
        """Async twin of :meth:`summarize`."""
        started = time.perf_counter()
        article = self._text(source)
        output = await self.strategy.arun(article.text, self._engine)
        return self._result(article, output, started)

    def summarize_many(
        self, sources: Iterable[Source], *, concurrency: int = 4
    ) -> list[Result | SummarizerError]:
        """Summarize many articles, ``concurrency`` at a time on worker threads; order kept, errors
        returned per item."""
        return self._many(sources, concurrency, threading.Event())

    async def asummarize_many(
        self, sources: Iterable[Source], *, concurrency: int = 8
    ) -> list[Result | SummarizerError]:
        """Async twin of :meth:`summarize_many`. Like :func:`~summarizer.batch.arun_batch`, it runs
        on worker threads and never blocks the event loop: with CPython, the SDK's synchronous
        client keeps a server busier than its asyncio one (see ``bench/README.md``). Cancelling
        it stops articles from starting; those already in flight finish in their threads."""
        stop = threading.Event()
        try:
            return await asyncio.to_thread(self._many, sources, concurrency, stop)
        finally:
            stop.set()  # after a cancellation, no more articles start

    def _many(
        self, sources: Iterable[Source], concurrency: int, stop: threading.Event
    ) -> list[Result | SummarizerError]:
        if concurrency < 1:
            raise ConfigError(f"concurrency must be at least 1, got {concurrency}")

        def one(source: Source) -> Result | SummarizerError:
            if stop.is_set():
                return SummarizerError("cancelled before it started")
            try:
                return self.summarize(source)
            except SummarizerError as exc:
                return exc

        items = list(sources)
        if items:  # an empty call loads no model
            self.warm_up(errors="ignore")
        with ThreadPoolExecutor(max_workers=concurrency) as pool:
            return list(pool.map(one, items))


def summarize(source: Source, **options: Any) -> SanctionsSummary:
    """Summarize one article with a one-off :class:`Summarizer` and return the summary."""
    return Summarizer(**options).summarize(source).summary
