"""Secrets never leave the process: every run of 8 or more characters of a key is masked.

Keys are registered when a configuration or a backend is made (the API key, and the password of a
base URL's userinfo). :func:`mask` is called wherever text leaves the process — errors, logs (through
:class:`MaskingFilter`), batch records, the response cache, eval reports — whether a server echoes a
key whole, without its ``sk-`` prefix, or only a part of it.
"""

from __future__ import annotations

import base64
import logging
import re
import threading
from typing import Any
from urllib.parse import unquote, urlsplit

#: The shortest run of a key's characters that is masked (shorter keys are not secrets we can find).
MIN_RUN = 8
MASK = "***"

_lock = threading.Lock()
_secrets: set[str] = set()
_windows: frozenset[str] = frozenset()
_finder: re.Pattern[str] | None = None


def register(secret: Any) -> None:
    """Mask ``secret`` from now on, in this process (ignored unless a string of 8+ characters)."""
    global _windows, _finder
    if not isinstance(secret, str) or len(secret) < MIN_RUN or secret in _secrets:
        return
    with _lock:
        _secrets.add(secret)
        windows = {s[i : i + MIN_RUN] for s in _secrets for i in range(len(s) - MIN_RUN + 1)}
        alternatives = "|".join(re.escape(w) for w in sorted(windows))
        _windows, _finder = frozenset(windows), re.compile(f"(?=({alternatives}))")


def register_url(url: Any) -> None:
    """Mask the credentials in ``url``'s userinfo, if it has any: the password, a long user name,
    and the Basic authorization token the HTTP client makes of them (a server may echo it)."""
    if not isinstance(url, str) or "@" not in url:
        return
    try:
        parts = urlsplit(url)
    except ValueError:
        parts = None
    if parts is None or not (parts.password or parts.username):  # unparseable: mask it all
        register(url.partition("://")[2].rpartition("@")[0])
        return
    user, password = unquote(parts.username or ""), unquote(parts.password or "")
    register(password)
    register(user)
    register(base64.b64encode(f"{user}:{password}".encode()).decode("ascii"))


def contains_secret(text: str) -> bool:
    """True when ``text`` holds a run of 8+ characters of a registered secret."""
    windows = _windows
    return bool(windows) and any(window in text for window in windows)


def mask(text: str) -> str:
    """``text`` with every run of 8+ characters of a registered secret replaced by ``***``."""
    finder = _finder
    if finder is None or not contains_secret(text):
        return text
    covered: list[tuple[int, int]] = []
    for match in finder.finditer(text):
        start, end = match.start(), match.start() + MIN_RUN
        if covered and start <= covered[-1][1]:
            covered[-1] = (covered[-1][0], max(end, covered[-1][1]))
        else:
            covered.append((start, end))
    pieces, last = [], 0
    for start, end in covered:
        pieces += [text[last:start], MASK]
        last = end
    pieces.append(text[last:])
    return "".join(pieces)


class MaskingFilter(logging.Filter):
    """A logging filter that masks secrets in each record's message (and drops its arguments)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not _secrets:
            return True
        message = record.getMessage()
        masked = mask(message)
        if masked != message:
            record.msg, record.args = masked, None
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = mask(logging.Formatter().formatException(record.exc_info))
        return True


#: The loggers whose records may carry what a server sent: ours, the SDK's and its HTTP stack's.
LOGGERS = ("summarizer", "openai", "httpx", "httpx2", "httpcore", "httpcore2")
_FILTER = MaskingFilter()


def install_log_filter(*handlers: logging.Handler) -> None:
    """Mask secrets in log output: on ``handlers`` (the command line's), and on every logger of
    :data:`LOGGERS` made so far (a filter on a logger does not see its children's records, so each
    gets one; the backend calls this once the SDK is imported)."""
    targets: list[logging.Filterer] = [*handlers]
    targets += [
        logging.getLogger(name)
        for name in list(logging.root.manager.loggerDict)
        if name.split(".")[0] in LOGGERS
    ]
    for target in targets:
        if _FILTER not in target.filters:
            target.addFilter(_FILTER)
