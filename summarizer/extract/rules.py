"""Rules as data: load the rule files in ``extract/rules/``, compile them once, say which fired.

Two kinds of file live there:

* ``<set>.toml`` — a rule set: ``[[rule]]`` tables with an ``id``, a ``label`` (what the rule says:
  a status, a measure, a jurisdiction…), an optional ``priority`` (higher wins where order matters),
  ``patterns`` (regular expressions, matched case-insensitively unless ``case = true``), and
  ``examples`` / ``counter`` (texts it must and must not match; ``tests/test_rules.py`` walks them all).
  ``unless`` names labels whose rules, when they match too, silence this one. Patterns may use
  ``<<term>>`` placeholders for the named sub-patterns of ``terms.toml`` and ``<<list:name>>`` for a
  phrase list.
* ``<name>.txt`` — a phrase list: one phrase a line (``#`` starts a comment), matched as whole words.

A :class:`Hit` names the rule, so every decision built on rules can report the ids that made it.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from typing import Any

_PLACEHOLDER = re.compile(r"<<(list:)?([a-z_]+)>>")


class RuleError(ValueError):
    """A rule file is malformed (raised at load time, naming the file and the rule)."""


@dataclass(frozen=True)
class Rule:
    """One rule: a compiled pattern with its id, label, priority and examples."""

    id: str
    label: str
    pattern: re.Pattern[str]
    priority: int = 0
    unless: tuple[str, ...] = ()
    examples: tuple[str, ...] = ()
    counter: tuple[str, ...] = ()
    data: tuple[tuple[str, Any], ...] = ()

    def get(self, key: str, default: Any = None) -> Any:
        """An extra field of the rule's table (e.g. an authority's body name)."""
        return dict(self.data).get(key, default)


@dataclass(frozen=True)
class Hit:
    """A rule that matched, and where."""

    rule: Rule
    start: int
    end: int
    text: str

    @property
    def id(self) -> str:
        return self.rule.id

    @property
    def label(self) -> str:
        return self.rule.label


def _read(name: str) -> str:
    try:
        return files("summarizer.extract").joinpath("rules", name).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise RuleError(f"no rule file {name!r} in summarizer/extract/rules") from None


@cache
def phrase_list(name: str) -> tuple[str, ...]:
    """The phrases of ``rules/<name>.txt``, in file order."""
    lines = (line.split("#", 1)[0].strip() for line in _read(f"{name}.txt").splitlines())
    return tuple(line for line in lines if line)


def _alternation(phrases: tuple[str, ...]) -> str:
    ordered = sorted(phrases, key=len, reverse=True)
    return "(?:" + "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in ordered) + ")"


@cache
def phrases(name: str, *, case: bool = False) -> re.Pattern[str]:
    """A phrase list compiled as one whole-word alternation."""
    flags = 0 if case else re.IGNORECASE
    return re.compile(rf"(?<![\w-]){_alternation(phrase_list(name))}(?![\w-])", flags)


@cache
def _terms() -> dict[str, str]:
    table = tomllib.loads(_read("terms.toml"))
    return {str(k): str(v) for k, v in table.get("terms", {}).items()}


def expand(pattern: str, where: str = "") -> str:
    """Replace ``<<term>>`` and ``<<list:name>>`` placeholders (terms may use terms)."""

    def one(match: re.Match[str]) -> str:
        if match.group(1):
            return _alternation(phrase_list(match.group(2)))
        terms = _terms()
        if match.group(2) not in terms:
            raise RuleError(f"{where}: unknown term <<{match.group(2)}>>")
        return expand(terms[match.group(2)], where)

    return _PLACEHOLDER.sub(one, pattern)


def _compile(table: dict[str, Any], where: str) -> Rule:
    missing = {"id", "label", "patterns"} - set(table)
    if missing:
        raise RuleError(f"{where}: rule lacks {', '.join(sorted(missing))}")
    flags = 0 if table.get("case") else re.IGNORECASE
    source = "|".join(f"(?:{expand(p, where)})" for p in table["patterns"])
    try:
        pattern = re.compile(source, flags | (re.MULTILINE if table.get("multiline") else 0))
    except re.error as exc:
        raise RuleError(f"{where} ({table['id']}): bad pattern: {exc}") from None
    known = {"id", "label", "patterns", "priority", "unless", "examples", "counter", "case"}
    known |= {"multiline"}
    return Rule(
        id=str(table["id"]),
        label=str(table["label"]),
        pattern=pattern,
        priority=int(table.get("priority", 0)),
        unless=tuple(table.get("unless", ())),
        examples=tuple(table.get("examples", ())),
        counter=tuple(table.get("counter", ())),
        data=tuple((k, v) for k, v in table.items() if k not in known),
    )


@dataclass(frozen=True)
class RuleSet:
    """The rules of one file, highest priority first (file order among equals)."""

    name: str
    rules: tuple[Rule, ...]
    grouped: dict[str, tuple[Rule, ...]] = field(default_factory=dict, compare=False, hash=False)
    combined: dict[str, re.Pattern[str]] = field(default_factory=dict, compare=False, hash=False)

    def hits(self, text: str) -> Iterator[Hit]:
        """Every match of every rule, rule by rule."""
        for rule in self.rules:
            for match in rule.pattern.finditer(text):
                yield Hit(rule, match.start(), match.end(), match.group(0))

    def matching(self, text: str, label: str | None = None) -> list[Rule]:
        """The rules (of ``label``, if given) that match ``text``, minus those silenced by
        ``unless``."""
        rules = self.rules if label is None else self.by_label().get(label, ())
        found = [rule for rule in rules if rule.pattern.search(text)]
        return [rule for rule in found if not any(self.has(u, text) for u in rule.unless)]

    def first(self, text: str, label: str | Collection[str] | None = None) -> Rule | None:
        """The highest-priority rule (of ``label``, or of any of several labels, if given) that
        matches ``text``."""
        if label is None:
            rules = self.rules
        elif isinstance(label, str):
            rules = self.by_label().get(label, ())
        else:
            rules = tuple(rule for rule in self.rules if rule.label in label)
        for rule in rules:
            if rule.pattern.search(text) and not any(self.has(u, text) for u in rule.unless):
                return rule
        return None

    def has(self, label: str, text: str) -> bool:
        """True when a rule of ``label`` matches ``text`` and is not silenced (one combined
        pattern first, fast; the rules one by one only when it matches and some have ``unless``)."""
        combined = self._combined().get(label)
        if combined is None or combined.search(text) is None:
            return False
        if not any(rule.unless for rule in self.grouped.get(label, ())):
            return True
        return self.first(text, label) is not None

    def by_label(self) -> dict[str, tuple[Rule, ...]]:
        """The rules grouped by label, in priority order."""
        return self.grouped

    def _combined(self) -> dict[str, re.Pattern[str]]:
        return self.combined

    def search(self, text: str) -> Hit | None:
        """The earliest match of any rule (ties: the higher-priority rule)."""
        best: Hit | None = None
        for rule in self.rules:
            match = rule.pattern.search(text)
            if match and (best is None or match.start() < best.start):
                best = Hit(rule, match.start(), match.end(), match.group(0))
        return best

    def labels(self, text: str) -> list[str]:
        """The labels of the matching rules, deduplicated, in priority order."""
        return list(dict.fromkeys(rule.label for rule in self.matching(text)))


def _by_label(rules: tuple[Rule, ...]) -> dict[str, tuple[Rule, ...]]:
    grouped: dict[str, list[Rule]] = {}
    for rule in rules:
        grouped.setdefault(rule.label, []).append(rule)
    return {label: tuple(group) for label, group in grouped.items()}


def _combined(grouped: dict[str, tuple[Rule, ...]]) -> dict[str, re.Pattern[str]]:
    """One pattern per label: the rules' patterns as alternatives, each with its own flags."""
    combined: dict[str, re.Pattern[str]] = {}
    for label, group in grouped.items():
        parts = [f"(?{_inline(r.pattern.flags)}:{r.pattern.pattern})" for r in group]
        combined[label] = re.compile("|".join(parts))
    return combined


def _inline(flags: int) -> str:
    letters = "i" if flags & re.IGNORECASE else ""
    letters += "m" if flags & re.MULTILINE else ""
    return letters or "-i"


@cache
def ruleset(name: str) -> RuleSet:
    """The rule set ``rules/<name>.toml``, compiled once per process."""
    where = f"summarizer/extract/rules/{name}.toml"
    try:
        table = tomllib.loads(_read(f"{name}.toml"))
    except tomllib.TOMLDecodeError as exc:
        raise RuleError(f"{where}: {exc}") from None
    rules = [_compile(entry, where) for entry in table.get("rule", [])]
    ids = [rule.id for rule in rules]
    if len(set(ids)) != len(ids):
        raise RuleError(f"{where}: duplicate rule ids")
    ordered = tuple(r for _, r in sorted(enumerate(rules), key=lambda p: (-p[1].priority, p[0])))
    grouped = _by_label(ordered)
    return RuleSet(name, ordered, grouped, _combined(grouped))


RULE_SETS = (
    "sentence",
    "status",
    "background",
    "other_sense",
    "measures",
    "authorities",
    "legal",
)
