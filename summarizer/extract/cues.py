"""Cue rules: which sentences carry a sanctions development, in which status, with which measures.

The rules are data (``rules/*.toml``, see :mod:`summarizer.extract.rules`); these functions apply
them and, where a decision is made, return the ids of the rules that made it.
"""

from __future__ import annotations

import re

from summarizer.extract.rules import Rule, ruleset
from summarizer.schema import Measure, Status


def sanctions_rule(sentence: str) -> Rule | None:
    """The first rule saying the sentence speaks of sanctions at all, if any."""
    return ruleset("sentence").first(sentence, "sanctions")


def is_sanctions_sentence(sentence: str) -> bool:
    """True when the sentence speaks of sanctions at all."""
    return ruleset("sentence").has("sanctions", sentence)


def sanctions_cue_start(sentence: str) -> int | None:
    """Where the first sanctions cue of a sentence starts."""
    hits = [h.start for h in ruleset("sentence").hits(sentence) if h.label == "sanctions"]
    return min(hits) if hits else None


def background_rule(sentence: str, action_end: int | None = None) -> Rule | None:
    """The rule that makes a sentence background (past or standing measures, boilerplate,
    negation), if any. With ``action_end`` (where the sentence's action verb ends), past-time cues
    after the clause that carries the action ("…, the order signed in February last year") do not
    count."""
    negated = ruleset("sentence").first(sentence, "negated")
    if negated is not None:
        return negated
    boiler = boilerplate_rule(sentence)
    if boiler is not None:
        return boiler
    standing = ruleset("background").first(sentence, "background")
    if standing is not None:
        return standing
    return ruleset("background").first(_past_scope(sentence, action_end), "background_past")


def boilerplate_rule(sentence: str) -> Rule | None:
    """The boilerplate rule a sentence matches, if any."""
    return ruleset("background").first(sentence, "boilerplate")


def is_background(sentence: str, action_end: int | None = None) -> bool:
    """Past or standing measures, boilerplate, negations: not a development of this text."""
    if ruleset("sentence").has("negated", sentence):
        return True
    rules = ruleset("background")
    return (
        rules.has("boilerplate", sentence)
        or rules.has("background", sentence)
        or rules.has("background_past", _past_scope(sentence, action_end))
    )


_CURRENT = re.compile(
    r"\btoday\b|\bthis (?:week|morning|afternoon|evening)\b|\bon (?:Monday|Tuesday|Wednesday|"
    r"Thursday|Friday|Saturday|Sunday)\b|\bnow\b|\b(?:is|are) (?:issuing|designating|sanctioning|"
    r"imposing|adding|listing|lifting|removing|extending|renewing|taking)\b",
    re.I,
)


def is_current(sentence: str) -> bool:
    """Whether a sentence dates what it tells now ("today", "on Friday", "this week", "is
    issuing")."""
    return _CURRENT.search(sentence) is not None


#: characters after a "now" word ("on Monday") its clause is taken to run on, when no action
#: verb marks where the clause ends
CURRENT_CLAUSE = 160


def past_scope_end(sentence: str, action_end: int | None) -> int:
    """How much of a sentence its past-time cues are read in: up to the clause that carries the
    action (``action_end``, else the clause of its "now" word) when the sentence dates that
    action now ("today", "on Friday"), so that an aside about the past ("…, the sharpest threat
    since he returned to office in January") does not make it background; else all of it."""
    current = _CURRENT.search(sentence)
    if current is None:
        return len(sentence)
    return action_end + 60 if action_end is not None else current.end() + CURRENT_CLAUSE


def _past_scope(sentence: str, action_end: int | None) -> str:
    """Past-time cues count up to the clause that carries the action ("…, the order signed in
    February last year" does not make the sentence background)."""
    return sentence if action_end is None else sentence[: action_end + 60]


def other_sense_rule(sentence: str) -> Rule | None:
    """The rule saying "sanctions" is meant in another sense (sport, courts, enforcement), if any."""
    return ruleset("other_sense").first(sentence)


def is_other_sense(sentence: str) -> bool:
    """Sport, courts, enforcement, compliance: "sanctions" in another sense — unless the sentence
    also announces a government sanctions development ("OFAC designated … convicted in 2019"),
    and always when a sports or disciplinary body is what sanctions ("FIFA sanctioned …")."""
    rules = ruleset("other_sense")
    if rules.has("other_actor", sentence):  # a sports or disciplinary body acts
        return True
    if not rules.has("other_sense", sentence):
        return False
    genre = ruleset("genre")
    return not (genre.has("development", sentence) or genre.has("development_mention", sentence))


def status_rule(sentence: str) -> Rule | None:
    """The status rule that decides a sanctions sentence's status (None: imposed); rules of other
    labels (a saving clause) only silence status rules."""
    return ruleset("status").first(sentence, _STATUSES)


_STATUSES = frozenset(status.value for status in Status)


def status_of(sentence: str) -> Status:
    """The status a sanctions sentence expresses, by rule priority."""
    rule = status_rule(sentence)
    return Status(rule.label) if rule else Status.IMPOSED


def measure_rules(sentence: str) -> list[tuple[Measure, str]]:
    """Measures named by cue words in one sentence, with the rule that named each, except what
    the sentence says someone evaded or broke ("helped Moscow evade export controls")."""
    found: dict[Measure, str] = {}
    for hit in ruleset("measures").hits(sentence):
        before = sentence[max(0, hit.start - 60) : hit.start]
        if Measure(hit.label) in found or ruleset("measure_context").has("evasion", before):
            continue
        found[Measure(hit.label)] = hit.id
    order = [Measure(rule.label) for rule in ruleset("measures").rules]
    return sorted(found.items(), key=lambda pair: order.index(pair[0]))


def measures_in(sentence: str) -> list[Measure]:
    """Measures named by cue words in one sentence (see :func:`measure_rules`)."""
    return [measure for measure, _ in measure_rules(sentence)]


def describes_action(sentence: str) -> bool:
    """True when a sentence describes the action just announced ("The package also bans …")."""
    return ruleset("support").has("describes", sentence)
