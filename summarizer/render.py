"""Human-readable renderings of a summary."""

from __future__ import annotations

import re
from typing import Any

from summarizer.schema import SanctionsSummary

# control characters (terminal escape sequences included) and line breaks, which would let a model's
# text restyle a terminal or start a heading or list of its own in the report
_BREAKS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


def _inline(value: object) -> str:
    """``value`` as text on one line, without control characters."""
    return " ".join(_BREAKS.sub(" ", str(value)).split())


def to_markdown(summary: SanctionsSummary, meta: dict[str, Any] | None = None) -> str:
    """A Markdown report of one summary."""
    lines = [f"# {_inline(summary.headline or '(no headline)')}", "", _inline(summary.summary), ""]
    if summary.published_date:
        lines += [f"*Published:* {summary.published_date.isoformat()}", ""]
    if not summary.is_sanctions_news:
        lines += ["*Not a new sanctions development.*", ""]
    for number, action in enumerate(summary.actions, 1):
        countries = ", ".join(action.target_countries) or "—"
        head = f"{action.imposer} — {action.status.value} → {countries}"
        lines.append(f"## Action {number}: {_inline(head)}")
        rows = [
            ("Authority", action.authority),
            ("Measures", ", ".join(m.value for m in action.measures)),
            ("Reason", action.reason),
            ("Legal basis", "; ".join(action.legal_basis)),
            (
                "Targets",
                "; ".join(
                    f"{t.name} ({t.kind.value}{', ' + t.country if t.country else ''})"
                    for t in action.targets
                ),
            ),
            (
                "Count",
                f"{action.count_qualifier.value if action.count_qualifier else ''} "
                f"{action.target_count}".strip()
                if action.target_count is not None
                else None,
            ),
            ("Effective", action.effective_date.isoformat() if action.effective_date else None),
        ]
        lines += [f"- **{label}:** {_inline(value)}" for label, value in rows if value]
        lines += [f"> {_inline(quote)}" for quote in action.evidence]
        lines.append("")
    if summary.officials:
        lines.append("## Officials")
        for official in summary.officials:
            extra = ", ".join(x for x in (official.title, official.organization) if x)
            lines.append(_inline(f"- {official.name}" + (f" ({extra})" if extra else "")))
        lines.append("")
    if meta:
        usage = meta.get("usage", {})
        footer = (
            f"model {meta.get('model')} · strategy {meta.get('strategy')} · "
            f"prompt {meta.get('template_hash')} · {meta.get('attempts')} attempt(s) · "
            f"{usage.get('total_tokens', 0)} tokens · {meta.get('latency_s')} s"
        )
        lines.append(f"<sub>{_inline(footer)}</sub>")
    return "\n".join(lines).rstrip() + "\n"
