"""Human-readable renderings of a summary."""

from __future__ import annotations

from typing import Any

from summarizer.schema import SanctionsSummary


def to_markdown(summary: SanctionsSummary, meta: dict[str, Any] | None = None) -> str:
    """A Markdown report of one summary."""
    lines = [f"# {summary.headline or '(no headline)'}", "", summary.summary, ""]
    if summary.published_date:
        lines += [f"*Published:* {summary.published_date.isoformat()}", ""]
    if not summary.is_sanctions_news:
        lines += ["*Not a new sanctions development.*", ""]
    for number, action in enumerate(summary.actions, 1):
        countries = ", ".join(action.target_countries) or "—"
        lines.append(f"## Action {number}: {action.imposer} — {action.status.value} → {countries}")
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
        lines += [f"- **{label}:** {value}" for label, value in rows if value]
        lines += [f"> {quote}" for quote in action.evidence]
        lines.append("")
    if summary.officials:
        lines.append("## Officials")
        for official in summary.officials:
            extra = ", ".join(x for x in (official.title, official.organization) if x)
            lines.append(f"- {official.name}" + (f" ({extra})" if extra else ""))
        lines.append("")
    if meta:
        usage = meta.get("usage", {})
        lines.append(
            f"<sub>model {meta.get('model')} · strategy {meta.get('strategy')} · "
            f"prompt {meta.get('template_hash')} · {meta.get('attempts')} attempt(s) · "
            f"{usage.get('total_tokens', 0)} tokens · {meta.get('latency_s')} s</sub>"
        )
    return "\n".join(lines).rstrip() + "\n"
