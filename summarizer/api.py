"""The public Python API: :class:`Summarizer`, :class:`Result` and :func:`summarize`."""

from __future__ import annotations

import asyncio
import hashlib
import logging
import os
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from typing_extensions import Unpack

from summarizer.backends import Backend, LlamaCppBackend, LlamaOptions, is_local
from summarizer.cache import CacheMiss, CachingBackend
from summarizer.config import SummarizerConfig, SummarizerOptions
from summarizer.errors import ConfigError, InputError, SummarizerError
from summarizer.ingest import Article, load, load_path
from summarizer.language import detect
from summarizer.masking import mask
from summarizer.prompts import Prompts
from summarizer.retry import transient_policy
from summarizer.schema import SanctionsSummary
from summarizer.strategies import resolve_strategy
from summarizer.strategies.base import Engine, Strategy, StrategyOutput
from summarizer.usage import Usage
from summarizer.workers import run_all

if TYPE_CHECKING:
    import httpx2
    import openai
    from tenacity import Retrying

Source = str | bytes | os.PathLike[str] | Article
#: Tries of the default transient policy; its patience is this many times ``timeout``.
ATTEMPTS = 5

log = logging.getLogger(__name__)


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


def _names_a_file(text: str) -> bool:
    """True for a short one-line string that is the path of an existing file."""
    if len(text) > 4096 or "\n" in text or not text.strip():
        return False
    try:
        return os.path.isfile(text)
    except (OSError, ValueError):
        return False


def _language(text: str) -> str:
    """The article's language code ("und" when undetermined); a warning when it is not English,
    since the extraction rules and the prompts read English."""
    code = detect(text).code
    if code not in ("en", "und"):
        log.warning(
            "the article looks written in %r, not English: the rules read English only, so "
            "expect few facts (a remote model with --strategy single reads other languages)",
            code,
        )
    return code


def _raw_offsets(summary: SanctionsSummary, article: Article) -> SanctionsSummary:
    """Fill each evidence span's ``raw_start``/``raw_end``: offsets into the input as given."""
    raw_map = article.raw_map()
    if raw_map is not None:
        for span in (s for action in summary.actions for s in action.evidence_spans):
            span.raw_start, span.raw_end = raw_map.span(span.start, span.end)
    return summary


@dataclass(frozen=True)
class _Clients:
    """HTTP clients a user hands over for a remote model (see :class:`Summarizer`)."""

    client: openai.OpenAI | None = None
    async_client: openai.AsyncOpenAI | None = None
    http_client: httpx2.Client | None = None
    async_http_client: httpx2.AsyncClient | None = None

    def given(self) -> bool:
        return any(vars(self).values())


def make_backend(config: SummarizerConfig, clients: _Clients | None = None) -> Backend:
    """The backend a config names: embedded for ``local…``, OpenAI-compatible otherwise."""
    clients = clients or _Clients()
    if is_local(config.model):
        if clients.given():
            raise ConfigError(
                f"an HTTP client was given, but model {config.model!r} is the embedded model",
                hint="name a remote model, or leave out client and http_client",
            )
        return LlamaCppBackend(
            config.model, LlamaOptions(n_ctx=config.n_ctx, n_threads=config.n_threads)
        )
    from summarizer.backends.openai import OpenAIBackend

    return OpenAIBackend(
        config.model,
        base_url=config.base_url,
        api_key=config.api_key,
        output_mode=config.output_mode,
        timeout=config.timeout,
        **vars(clients),
    )


class Summarizer:
    """Summarizes sanctions announcements into :class:`SanctionsSummary` objects.

    ``Summarizer()`` runs the embedded model; ``Summarizer(model="gpt-4o-mini")`` a remote one.

    Args:
        config: the options as one :class:`SummarizerConfig` (positional only).
        backend: a backend to use instead of the one the config names.
        retrying: a :class:`tenacity.Retrying` replacing the transient-error policy (the default
            tries 5 times, for at most 5 x ``timeout`` seconds, honouring ``Retry-After``).
        client: an ``openai.OpenAI`` to send every request through (its base URL and key are
            used; its own retries are turned off).
        async_client: an ``openai.AsyncOpenAI`` for :meth:`asummarize` (else the sync client
            serves it on a thread).
        http_client: an ``httpx2.Client`` (``openai.DefaultHttpxClient(...)``) for the SDK clients
            made here: limits, proxies and TLS are then yours.
        async_http_client: the ``httpx2.AsyncClient`` twin.
        **options: fields of :class:`SummarizerConfig`, overriding ``config``'s.

    Raises:
        ConfigError: an unknown or invalid option, a remote model without a key or with a
            malformed base URL, a client given for the embedded model, or a missing model file.
    """

    def __init__(
        self,
        config: SummarizerConfig | None = None,
        /,
        *,
        backend: Backend | None = None,
        retrying: Retrying | None = None,
        client: openai.OpenAI | None = None,
        async_client: openai.AsyncOpenAI | None = None,
        http_client: httpx2.Client | None = None,
        async_http_client: httpx2.AsyncClient | None = None,
        **options: Unpack[SummarizerOptions],
    ) -> None:
        unknown = set(options) - SummarizerConfig.field_names()
        if unknown:
            raise ConfigError(
                f"unknown option(s): {', '.join(sorted(unknown))}",
                hint="see SummarizerConfig for the options",
            )
        self.config = replace(config or SummarizerConfig(), **options)
        clients = _Clients(client, async_client, http_client, async_http_client)
        backend = backend or make_backend(self.config, clients)
        self.prompts = Prompts(self.config.prompt_dir)
        self.strategy: Strategy = resolve_strategy(
            self.config.strategy, backend, writer=self.config.writer
        )
        self.template_hash = self.prompts.version(self.strategy.templates)
        if self.config.cache_dir is not None:
            namespace = f"{self.strategy.name}:{self.template_hash}"
            backend = CachingBackend(backend, self.config.cache_dir, namespace=namespace)
        self.backend = backend
        policy = retrying or transient_policy(
            attempts=ATTEMPTS, patience=ATTEMPTS * self.config.timeout
        )
        self._engine = Engine(backend, self.prompts, policy, self.config)

    def __repr__(self) -> str:
        return mask(f"Summarizer(backend={self.backend!r}, strategy={self.strategy.name!r})")

    def _text(self, source: Source) -> Article:
        if isinstance(source, Article):
            return source
        if isinstance(source, os.PathLike):
            return load_path(Path(source))
        if not isinstance(source, str | bytes):
            raise TypeError(f"expected str, bytes or a path, got {type(source).__name__}")
        if isinstance(source, str) and _names_a_file(source):
            log.warning(
                "the text %r is the name of a file: it is summarized as text; pass "
                "pathlib.Path(%r) to read the file",
                source,
                source,
            )
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
            details={**output.details, "language": _language(article.text)},
        )
        return Result(
            _raw_offsets(output.summary, article), meta, article.text, article.raw is None
        )

    def warm_up(self, *, errors: Literal["raise", "ignore"] = "raise") -> None:
        """Prepare now what the first article would otherwise wait for.

        That is the compiled templates, the output schema or the extractors' tables, and the
        backend (its HTTP client and TLS context, or the embedded model, loaded). Optional:
        :meth:`summarize_many`, :meth:`asummarize_many` and batch runs call it once before their
        workers start, so that they do not all build the same things at once. Nothing is
        prepared for a model behind a cache.

        Args:
            errors: ``"ignore"`` to let each article report a failure itself instead.

        Raises:
            SummarizerError: a broken template or a missing model (``ConfigError``), unless
                ``errors="ignore"``.
        """
        try:
            self.strategy.prepare(self._engine)
            needs_model = getattr(self.strategy, "needs_model", None)  # False: no model is called
            warm_up = getattr(self.backend, "warm_up", None)
            if callable(warm_up) and (needs_model is None or needs_model(self.config)):
                warm_up()
        except SummarizerError:
            if errors == "raise":
                raise

    def summarize(self, source: Source) -> Result:
        """Summarize one article.

        Args:
            source: text, HTML (reduced to the article), bytes, or a path (``pathlib.Path``).

        Returns:
            The validated summary, the cleaned text its evidence offsets refer to, and meta.

        Raises:
            InputError: empty, binary, undecodable or too long input, or a missing file (before
                any model call).
            BackendError: the model server failed after the transient policy's tries, or
                rejected the request (HTTP 4xx other than 408, 409 and 429: never retried).
            OutputTruncated: the reply was cut at the token limit, even with twice the budget.
            ValidationFailed: no reply validated within ``max_reasks`` re-asks.
            ConfigError: a broken template or a missing model file.
        """
        started = time.perf_counter()
        article = self._text(source)
        return self._result(article, self.strategy.run(article.text, self._engine), started)

    def from_cache(self, source: Source) -> Result | None:
        """The result for ``source`` if every reply it needs is in the response cache.

        The model is never called.

        Args:
            source: as for :meth:`summarize`.

        Returns:
            The result, or None when a reply is missing or there is no cache (``cache_dir``).

        Raises:
            SummarizerError: as :meth:`summarize` would (a cached reply that fails validation).
        """
        if not isinstance(self.backend, CachingBackend):
            return None
        try:
            with self.backend.cached_only():
                return self.summarize(source)
        except CacheMiss:
            return None

    async def asummarize(self, source: Source) -> Result:
        """Async twin of :meth:`summarize` (same arguments, result and errors)."""
        started = time.perf_counter()
        article = self._text(source)
        output = await self.strategy.arun(article.text, self._engine)
        return self._result(article, output, started)

    def summarize_many(
        self, sources: Iterable[Source], *, concurrency: int = 4
    ) -> list[Result | SummarizerError]:
        """Summarize many articles, ``concurrency`` at a time on worker threads.

        Args:
            sources: articles, each as for :meth:`summarize`.
            concurrency: articles in flight (at least 1).

        Returns:
            One item per source, in order: its :class:`Result`, or the :class:`SummarizerError`
            it failed with.

        Raises:
            ConfigError: ``concurrency`` below 1.
        """
        return self._many(sources, concurrency, threading.Event())

    async def asummarize_many(
        self, sources: Iterable[Source], *, concurrency: int = 8
    ) -> list[Result | SummarizerError]:
        """Async twin of :meth:`summarize_many` (same arguments, result and errors).

        Like :func:`~summarizer.batch.arun_batch`, it runs on worker threads and never blocks
        the event loop: with CPython, the SDK's synchronous client keeps a server busier than its
        asyncio one (see ``bench/README.md``). Cancelling it stops articles from starting; those
        already in flight finish in their threads.
        """
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
            except (OSError, UnicodeError) as exc:  # unwrapped: reported in this slot, no abort
                return InputError(f"cannot read the article: {type(exc).__name__}: {exc}")

        items = list(sources)
        if items:  # an empty call loads no model
            self.warm_up(errors="ignore")
        return run_all(
            one,
            items,
            concurrency=concurrency,
            cancelled=lambda _: SummarizerError("cancelled before it started"),
            stop=stop,
        )


def summarize(source: Source, **options: Unpack[SummarizerOptions]) -> SanctionsSummary:
    """Summarize one article with a one-off :class:`Summarizer`.

    Args:
        source: as for :meth:`Summarizer.summarize`.
        **options: fields of :class:`SummarizerConfig`.

    Returns:
        The summary alone.

    Raises:
        SummarizerError: as :class:`Summarizer` and :meth:`Summarizer.summarize` raise.
    """
    return Summarizer(**options).summarize(source).summary
