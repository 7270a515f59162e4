"""The checks a written sentence must pass to be kept: faithful to the article and to its facts."""

from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from importlib.resources import files

from summarizer.grounding import bigram_support, occurs, unsupported_mentions
from summarizer.write.story import ActionFacts, parties

#: Share of a sentence's word pairs that must occur in the article or its facts: paraphrase close
#: to the source, never a recombination of its words into a new claim.
MIN_BIGRAM_SUPPORT = 0.75
_WORD = re.compile(r"[\w'\u2019-]+")


@lru_cache(maxsize=1)
def number_words() -> frozenset[str]:
    """Numbers written as words ("three", "dozens"), from ``phrases.toml``."""
    data = tomllib.loads(files("summarizer.write").joinpath("phrases.toml").read_text("utf-8"))
    return frozenset(data["numbers"]["words"])


def _numbers_as_written(text: str, source: str) -> list[str]:
    """Number words used otherwise than the article uses them ("four entities" for "three")."""
    words = _WORD.findall(text)
    errors = []
    for index, word in enumerate(words):
        if word.lower() not in number_words():
            continue
        phrase = " ".join(words[index : index + 2])
        if not re.search(rf"\b{re.escape(phrase)}\b", source, re.I):
            errors.append(f"{phrase!r} is not how the article counts; copy its count exactly")
    return errors


def _repeats(text: str) -> list[str]:
    """A sentence that says the same three words twice has run on."""
    words = [w.lower() for w in _WORD.findall(text)]
    triples = list(zip(words, words[1:], words[2:], strict=False))
    if len(set(triples)) < len(triples):
        return ["the sentence repeats itself; say each thing once"]
    return []


_FIRST_PERSON = re.compile(r"\b(?:I|we|We|our|Our|us|my|My|me)\b")


def _first_person(text: str) -> list[str]:
    """A summary speaks of the actors; "we" or "I" copied from a quote speaks as one of them."""
    if _FIRST_PERSON.search(text):
        return ["write in the third person: name who acts instead of 'we' or 'I'"]
    return []


def problems(text: str, action: ActionFacts, source: str, *, main: bool, facts: str) -> list[str]:
    """What is wrong with a sentence written for ``action`` (empty when it can be kept): a name or
    number not in the article, the imposer not named, for the main action no target named (a
    country, a target or the count), the count not as written, the first person, too little of the
    article's wording."""
    errors = [
        f"the sentence mentions {m!r}, which is not in the article"
        for m in unsupported_mentions(text, source)
    ]
    errors += _numbers_as_written(text, source) + _repeats(text) + _first_person(text)
    named = parties(text)
    if action.imposer not in named and not text.startswith("It "):
        errors.append(f"the sentence must say who acts ({action.who[0]})")
    whom = {code for code in action.place_codes if code in named} or [
        t for t in (*action.targets, action.count or "") if t and occurs(t, text)
    ]
    if main and (action.place_codes or action.targets) and not whom:
        names = ", ".join(action.places[:2] or action.targets[:2])
        errors.append(f"the sentence must say whom the measures target ({names})")
    if action.count and not occurs(action.count, text):
        errors.append(f"the sentence must give the count as the article does ({action.count})")
    support = bigram_support(text, f"{source}\n{facts}")
    if support < MIN_BIGRAM_SUPPORT:
        errors.append(
            f"only {support:.0%} of the sentence's word pairs occur in the article; keep to its wording"
        )
    return errors
