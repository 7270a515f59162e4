"""One article as the rules read it: sentences, mentions, dates, title lines and its genre."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from summarizer.extract.facts import Found, dates, legal_bases
from summarizer.extract.places import IMPOSING_COUNTRIES, Mention, authorities, countries
from summarizer.extract.rules import Rule, ruleset
from summarizer.extract.text import Sentence, split_sentences

#: How much of the article counts as its lead (title, dateline, first paragraph or two).
LEAD_CHARS = 900
_NEWS_LEAD_DATE = re.compile(r"\b(?:since|from|until|before|after|in|by|through)\s+$", re.I)
_BODY_END = re.compile(r"[.!?\"'\u201d\u2019)]$")


@dataclass
class Document:
    """An article's text with what every extractor needs, computed once."""

    text: str
    sentences: list[Sentence] = field(init=False)
    legal: list[Found] = field(init=False)
    bodies: list[Mention] = field(init=False)
    places: list[Mention] = field(init=False)

    def __post_init__(self) -> None:
        self.sentences = split_sentences(self.text)
        self.legal = legal_bases(self.text)
        self.bodies = [
            m
            for m in authorities(self.text)
            if not any(f.start <= m.start < f.end for f in self.legal)
        ]
        self.places = countries(self.text)

    @cached_property
    def imposers(self) -> list[Mention]:
        """Mentions that can name an imposer: sanctioning bodies and imposing countries."""
        own = [m for m in self.places if m.code in IMPOSING_COUNTRIES]
        return sorted(self.bodies + own, key=lambda m: m.start)

    @cached_property
    def default_imposer(self) -> str:
        """The jurisdiction the lead names first (a body, else an imposing country), else US."""
        lead = [m for m in self.bodies if m.start < LEAD_CHARS]
        if lead:
            return lead[0].code
        own = [m for m in self.places if m.start < LEAD_CHARS and m.code in IMPOSING_COUNTRIES]
        return own[0].code if own else "US"

    @cached_property
    def published(self) -> date | None:
        """The first full date of the lead that is not part of a phrase such as "since …"."""
        for value, start, _ in dates(self.text[:600]):
            if not _NEWS_LEAD_DATE.search(self.text[max(0, start - 12) : start]):
                return value
        return None

    @cached_property
    def reference(self) -> date | None:
        """The date the article speaks from: its publication date, else the latest lead date."""
        if self.published is not None:
            return self.published
        found = [value for value, _, _ in dates(self.text[:LEAD_CHARS])]
        return max(found) if found else None

    @cached_property
    def titles(self) -> set[int]:
        """Indexes of the title lines: short lines before the first body paragraph."""
        body = next(
            (s.paragraph for s in self.sentences if len(s.text) >= 60 and _BODY_END.search(s.text)),
            0,
        )
        return {s.index for s in self.sentences if s.paragraph < body}

    @cached_property
    def lead(self) -> str:
        """The title lines and the first body sentences, up to :data:`LEAD_CHARS`."""
        return self.text[:LEAD_CHARS]

    @cached_property
    def victims(self) -> list[tuple[int, int]]:
        """Spans where a country is named as the victim or scene ("war against Ukraine")."""
        return [(hit.start, hit.end) for hit in ruleset("context").hits(self.text)]

    def in_victim_context(self, mention: Mention) -> bool:
        """True when a country mention sits inside a victim phrase."""
        return any(start <= mention.start < end for start, end in self.victims)

    @cached_property
    def genre(self) -> Rule | None:
        """The rule that classes the text as something other than a sanctions development (an
        enforcement penalty, a criminal case, a regulator's fine, sport, tariffs, an export rule),
        or None. Wording that announces a development in the lead overrides it."""
        rules = ruleset("genre")
        if rules.has("development", self.lead):
            return None
        return rules.first(self.lead, "negative")
