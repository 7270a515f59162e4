"""Embedded backend: a GGUF model run in-process by llama-cpp-python, decoding under a JSON-Schema
or GBNF grammar."""

from __future__ import annotations

import asyncio
import atexit
import ctypes
import json
import math
import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from summarizer.backends.base import ChatRequest, Completion, Message, schema_digest
from summarizer.backends.local_models import resolve
from summarizer.errors import BackendError, ConfigError
from summarizer.usage import Usage


@dataclass(frozen=True)
class LlamaOptions:
    """How the embedded model is loaded."""

    n_ctx: int = 8192
    n_threads: int | None = None
    n_batch: int = 512


class _LoadedModel:
    """One loaded model; ``lock`` serializes generation (a llama context is not thread-safe)."""

    def __init__(self, llama: Any) -> None:
        self.llama = llama
        self.lock = threading.Lock()
        # A GGUF without a chat template is a base model: it continues text, it does not hold turns.
        self.plain = "tokenizer.chat_template" not in (getattr(llama, "metadata", None) or {})
        self._grammars: dict[str, Any] = {}

    def grammar(self, schema: dict[str, Any]) -> Any:
        """The grammar for ``schema``, built once per schema (building costs seconds)."""
        key = schema_digest(schema)
        if key not in self._grammars:
            from llama_cpp.llama_grammar import LlamaGrammar

            text = json.dumps(schema, sort_keys=True)
            self._grammars[key] = LlamaGrammar.from_json_schema(text, verbose=False)
        return self._grammars[key]


class _GrammarCheck:
    """Decoding under a GBNF grammar (``ChatRequest.grammar``) at nearly the unconstrained speed.

    llama.cpp's grammar sampler filters the whole vocabulary at every token (262k tokens for
    Gemma 3: about 60 ms a token on one core). Greedy decoding needs less: the model's best token
    is checked alone, and only when the grammar rejects it is the vocabulary filtered. Sampling at
    a temperature filters every time. A grammar lets a small model loop on allowed words ("until
    until until"), so no run of ``NO_REPEAT`` tokens of the reply is written twice. Runs as a
    llama-cpp-python logits processor."""

    NO_REPEAT = 4

    def __init__(self, llama: Any, grammar: str, *, greedy: bool) -> None:
        import llama_cpp

        self._api = llama_cpp
        self._sampler = llama_cpp.llama_sampler_init_grammar(
            llama._model.vocab, grammar.encode("utf-8"), b"root"
        )
        if not self._sampler:
            raise BackendError("llama.cpp could not parse the request's grammar", retryable=False)
        self._vocabulary = llama.n_vocab()
        self._greedy = greedy
        self._seen: int | None = None
        self._start = 0
        self._one = (llama_cpp.llama_token_data * 1)()
        self._one_array = llama_cpp.llama_token_data_array(self._one, 1, -1, False)
        self._all: Any = None

    def close(self) -> None:
        if self._sampler:
            self._api.llama_sampler_free(self._sampler)
            self._sampler = None

    def _allows(self, token: int) -> bool:
        """Whether the grammar, in its current state, accepts ``token`` next."""
        self._one[0] = self._api.llama_token_data(token, 0.0, 0.0)
        self._one_array.size, self._one_array.selected = 1, -1
        self._api.llama_sampler_apply(self._sampler, ctypes.byref(self._one_array))
        return bool(self._one[0].logit != -math.inf)

    def __call__(self, input_ids: Any, scores: Any) -> Any:
        import numpy as np

        if not self._sampler:
            return scores
        if self._seen is None:
            self._seen = self._start = len(input_ids)
        for token in input_ids[self._seen :]:  # the tokens chosen since the last call
            if not self._allows(int(token)):  # never feed llama.cpp a token its grammar refuses
                self.close()
                return scores
            self._api.llama_sampler_accept(self._sampler, int(token))
        self._seen = len(input_ids)
        scores = self._no_repeat([int(t) for t in input_ids[self._start :]], scores)
        if self._greedy and self._allows(int(np.argmax(scores))):
            return scores
        if self._all is None:
            from llama_cpp._internals import LlamaTokenDataArray

            self._all = LlamaTokenDataArray(n_vocab=self._vocabulary)
        self._all.copy_logits(scores)
        self._api.llama_sampler_apply(self._sampler, ctypes.byref(self._all.candidates))
        return np.array(self._all.candidates_data.logit, dtype=np.single)

    def _no_repeat(self, reply: list[int], scores: Any) -> Any:
        """``scores`` with every token that would repeat a run of the reply set to -inf."""
        size = self.NO_REPEAT - 1
        if len(reply) < size:
            return scores
        tail = reply[-size:]
        banned = {reply[i + size] for i in range(len(reply) - size) if reply[i : i + size] == tail}
        if not banned:
            return scores
        scores = scores.copy()
        scores[list(banned)] = -math.inf
        return scores


def _grammar_check(loaded: _LoadedModel, request: ChatRequest) -> _GrammarCheck | None:
    """The decoding check of a request's GBNF grammar, if it has one."""
    if request.grammar is None:
        return None
    return _GrammarCheck(loaded.llama, request.grammar, greedy=request.temperature == 0)


class _ModelPool:
    """Models loaded once per process, shared by every backend and thread that asks for them."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._models: dict[tuple[str, LlamaOptions], _LoadedModel] = {}

    def close(self) -> None:
        """Free every model (at exit, before the interpreter tears llama.cpp down)."""
        with self._lock:
            for loaded in self._models.values():
                loaded.llama.close()
            self._models.clear()

    def get(self, path: Path, options: LlamaOptions) -> _LoadedModel:
        key = (str(path.resolve()), options)
        with self._lock:
            if key not in self._models:
                self._models[key] = _LoadedModel(_load(path, options))
            return self._models[key]


_POOL = _ModelPool()
atexit.register(_POOL.close)


def _load(path: Path, options: LlamaOptions) -> Any:
    try:
        from llama_cpp import Llama
    except ImportError:
        raise ConfigError(
            "llama-cpp-python is not installed, so the embedded model cannot run",
            hint="pip install 'sanctions-summarizer[local]', or use a remote model",
        ) from None
    from llama_cpp._utils import suppress_stdout_stderr

    try:
        # llama.cpp prints context set-up notes straight to the process's stderr, whatever the
        # verbosity; keep them out of users' terminals while the model loads (once per process).
        with suppress_stdout_stderr(disable=False):
            llama = Llama(
                model_path=str(path),
                n_ctx=options.n_ctx,
                n_threads=options.n_threads or os.cpu_count() or 1,
                n_threads_batch=options.n_threads or os.cpu_count() or 1,
                n_batch=options.n_batch,
                verbose=False,
            )
    except (ValueError, RuntimeError) as exc:
        raise ConfigError(f"could not load GGUF model {path}: {exc}") from exc
    return llama


def plain_prompt(messages: Sequence[Message]) -> str:
    """Messages as one continuous text, for base models that have no chat template."""
    return "\n\n".join(m.content.strip() for m in messages) + "\n"


class LlamaCppBackend:
    """Runs an embedded GGUF model. ``model`` is ``local``, ``local:NAME`` or ``local:/path.gguf``."""

    kind = "llamacpp"

    def __init__(self, model: str = "local", options: LlamaOptions | None = None) -> None:
        self._model, self.path = resolve(model)
        self.options = options or LlamaOptions()
        self._loaded: _LoadedModel | None = None

    def __repr__(self) -> str:
        return f"LlamaCppBackend(model={self._model!r}, n_ctx={self.options.n_ctx})"

    @property
    def model(self) -> str:
        return self._model

    @property
    def context_window(self) -> int:
        return self.options.n_ctx

    @property
    def enforces_schema(self) -> bool:
        return True

    @property
    def loaded(self) -> _LoadedModel:
        if self._loaded is None:
            self._loaded = _POOL.get(self.path, self.options)
        return self._loaded

    def warm_up(self) -> None:
        """Load the model now (it is otherwise loaded by the first request)."""
        self.loaded  # noqa: B018

    def identity(self) -> dict[str, Any]:
        return {"kind": self.kind, "model": self._model, "n_ctx": self.options.n_ctx}

    def count_tokens(self, text: str) -> int:
        loaded = self.loaded
        with loaded.lock:
            return len(loaded.llama.tokenize(text.encode("utf-8"), add_bos=False, special=False))

    def complete(self, request: ChatRequest) -> Completion:
        loaded = self.loaded
        grammar = loaded.grammar(request.json_schema) if request.json_schema is not None else None
        with loaded.lock:
            check = _grammar_check(loaded, request)
            options: dict[str, Any] = {
                "grammar": grammar if check is None else None,
                "logits_processor": [check] if check else None,
                "max_tokens": request.max_tokens,
                "temperature": request.temperature,
                "seed": request.seed,
                "stop": list(request.stop) or None,
            }
            try:
                if loaded.plain:
                    response = loaded.llama.create_completion(
                        plain_prompt(request.messages), **options
                    )
                else:
                    messages = [m.as_dict() for m in request.messages]
                    response = loaded.llama.create_chat_completion(messages=messages, **options)
            except ValueError as exc:  # e.g. prompt longer than the context window
                raise BackendError(
                    f"the embedded model refused the request: {exc}",
                    retryable=False,
                    hint="shorten the article or raise n_ctx",
                ) from exc
            finally:
                if check is not None:
                    check.close()
        choice = response["choices"][0]
        content = choice["text"] if loaded.plain else choice["message"].get("content")
        raw_usage = response.get("usage") or {}
        usage = Usage(
            prompt_tokens=int(raw_usage.get("prompt_tokens", 0)),
            completion_tokens=int(raw_usage.get("completion_tokens", 0)),
            calls=1,
        )
        return Completion(
            text=content or "",
            finish_reason=choice.get("finish_reason"),
            usage=usage,
            model=self._model,
        )

    async def acomplete(self, request: ChatRequest) -> Completion:
        return await asyncio.to_thread(self.complete, request)
