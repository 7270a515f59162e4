"""One article as the rules read it: sentences, mentions, dates, title lines and its genre."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cached_property

from summarizer.extract.cues import is_background
from summarizer.extract.facts import Found, dates, legal_bases
from summarizer.extract.places import (
    IMPOSING_COUNTRIES,
    Mention,
    authorities,
    capitals,
    countries,
    is_capital,
    is_demonym,
)
from summarizer.extract.rules import Rule, RuleSet, expand, ruleset
from summarizer.extract.spans import ByStart, Intervals
from summarizer.sentences import Sentence, split_sentences

#: How much of the article counts as its lead (title, dateline, first paragraph or two).
LEAD_CHARS = 900
_NEWS_LEAD_DATE = re.compile(r"\b(?:since|from|until|before|after|in|by|through)\s+$", re.I)
_EU_NAMED = re.compile(r"\bEuropean Union\b|\bEU\b|Council of the European Union")
#: what stands between the items of a list of jurisdictions ("A, the B and C")
LIST_GAP = re.compile(r"^(?:\s*,\s*|\s*,?\s+and\s+)(?:the\s+)?$")
_BODY_END = re.compile(r"[.!?\"'\u201d\u2019)]$")
_DATELINE = re.compile(
    r"(?m)^[A-Z][A-Z .,/'\u2019-]{2,60}(?:,\s*[^\n\u2014\u2013]{0,40})?\s+(?:\u2014|\u2013|--|-)\s+"
)
_GOVERNMENT_AFTER = re.compile(
    r"^(?:['\u2019]s)?\s+(?:government|Government|authorities|Foreign Ministry|foreign ministry|"
    r"Ministry of Foreign Affairs|Finance Ministry|cabinet|Cabinet|Foreign Minister|foreign minister|"
    r"Prime Minister|prime minister)\b"
    r"|^['\u2019]s\s+(?:[A-Z][\w-]+ ){0,3}(?:Ministry|Administration|Agency|Bureau|Office)\b"
)
#: what follows a country named as a descriptor, a title or part of a name, not a government
_GOVERNMENT_BEFORE = re.compile(
    r"\b(?:[Gg]overnments?|[Aa]uthorities|Ministry of Foreign Affairs|Foreign Ministry|Cabinet|"
    r"[Ll]eaders|[Ff]oreign [Mm]inisters|[Pp]rime [Mm]inisters) of (?:the )?$"
)
#: a country mention followed by a noun of targets names their nationality ("227 U.S. citizens")
TARGET_NOUN_AFTER = re.compile(
    expand(
        r"^(?:\s+(?!(?:[a-z]+ed|has|have|had|is|are|was|were|will|would|on|to|also|today|again)\b)"
        r"[a-z-]+){0,2}\s+<<list:nationality_nouns>>\b"
    )
)
_DESCRIPTOR_AFTER = re.compile(
    r"^(?:-(?i:based|flagged|registered|owned|linked)|['\u2019]s\s+[a-z]|\s*:|\s+[A-Z][a-z])"
)
#: what follows a country that ends its clause with it, or a passive that makes it a target: it is no
#: subject ("… based in India and China, are sanctioned")
_NO_PREDICATE = re.compile(
    r"^\s*(?:[.;:)]|$)|^,?\s+(?:are|were|is|was|have been|has been) (?:\w+ )?"
    r"(?:sanctioned|designated|listed|targeted|added|named)\b"
)
#: a preposition right after a country: it ends a phrase, it opens no clause as its subject
_PREPOSITION_AFTER = re.compile(
    r"^\s+(?:for|of|in|to|with|from|at|that|which|who|under|over|by|into|through|against)\b"
)
_CLAUSE_START = re.compile(r"(?:^|[.;:!?]\s+|\b(?:and|but|while|as|when)\s+)(?:[Tt]he\s+)?$")


def _announces(rules: RuleSet, sentence: str) -> bool:
    """Whether a lead sentence announces a development, which overrides a negative genre: words
    that say something was done (past-time words read up to them), or words that name sanctions
    in a sentence that does not itself read as the negative genre; never background."""
    done = next((h for h in rules.hits(sentence) if h.label == "development"), None)
    if done is not None:
        return not is_background(sentence, done.end)
    if is_background(sentence):
        return False
    return rules.has("development_mention", sentence) and not rules.has("negative", sentence)


#: most words a section heading has
HEADING_WORDS = 6


def _is_heading(sentence: Sentence, sizes: Counter[int]) -> bool:
    """Whether a sentence is a section heading: a short paragraph of its own (``sizes``: the
    sentences of each paragraph), with no full stop."""
    text = sentence.text.strip()
    return (
        sizes[sentence.paragraph] == 1
        and len(text.split()) <= HEADING_WORDS
        and not text.endswith((".", '"', "\u201d"))
    )


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
        legal = Intervals((f.start, f.end) for f in self.legal)
        self.bodies = [
            self._resolve(m) for m in authorities(self.text) if not legal.covers(m.start)
        ]
        self.places = countries(self.text)

    @cached_property
    def _council(self) -> str:
        """Whose council "the Council" is: the UN's where the text names the Security Council and
        not the EU's, Switzerland's where it names the Federal Council, else the EU's."""
        if "Security Council" in self.text and not _EU_NAMED.search(self.text):
            return "UN"
        if "Federal Council" in self.text and not _EU_NAMED.search(self.text):
            return "CH"
        return "EU"

    def _resolve(self, mention: Mention) -> Mention:
        if mention.rule != "authority.council" or self._council == mention.code:
            return mention
        return replace(mention, code=self._council)

    def is_imposer(self, mention: Mention) -> bool:
        """True when a mention is one of :attr:`imposers` (a set lookup)."""
        return (mention.start, mention.end) in self._imposer_spans

    @cached_property
    def _imposer_spans(self) -> frozenset[tuple[int, int]]:
        return frozenset((m.start, m.end) for m in self.imposers)

    @cached_property
    def imposers_by_start(self) -> ByStart[Mention]:
        """:attr:`imposers`, for range lookups."""
        return ByStart(self.imposers)

    @cached_property
    def bodies_by_start(self) -> ByStart[Mention]:
        """:attr:`bodies`, for range lookups."""
        return ByStart(self.bodies)

    @cached_property
    def places_by_start(self) -> ByStart[Mention]:
        """:attr:`places`, for range lookups."""
        return ByStart(self.places)

    @cached_property
    def imposers(self) -> list[Mention]:
        """Mentions that can name an imposer: sanctioning bodies, imposing countries (named, or as
        an adjective of a government: "the Canadian government", not "a Canadian company"), and
        any country named as a government ("Russia's Foreign Ministry", "China on Thursday …")."""
        own = [
            m
            for m in self.places
            if not self.in_dateline(m)
            and not TARGET_NOUN_AFTER.match(self.text[m.end : m.end + 40])
            and (
                self.governs(m)
                or (
                    m.code in IMPOSING_COUNTRIES
                    and not is_demonym(m)
                    and not is_capital(m)
                    and not _DESCRIPTOR_AFTER.match(self.text[m.end : m.end + 40])
                )
            )
        ]
        return sorted(self.bodies + own, key=lambda m: m.start)

    def governs(self, mention: Mention) -> bool:
        """True when a country mention names its government: followed by "'s Foreign Ministry",
        "government", "authorities", or opening a clause as its subject ("China on Thursday froze")."""
        after = self.text[mention.end : mention.end + 60]
        before_text = self.text[max(0, mention.start - 40) : mention.start]
        if _GOVERNMENT_AFTER.match(after) or _GOVERNMENT_BEFORE.search(before_text):
            return True
        possessive = mention.text.endswith(("'s", "\u2019s"))
        if possessive or is_demonym(mention) or _DESCRIPTOR_AFTER.match(after):
            return False
        if _NO_PREDICATE.match(after):  # "… based in China and the United Arab Emirates."
            return False
        if _PREPOSITION_AFTER.match(after):  # "… in the Philippines and the Netherlands for …"
            return False
        floor = max(0, mention.start - 200)
        start = max(floor, self.text.rfind("\n", floor, mention.start) + 1)
        before = _DATELINE.sub("", self.text[start : mention.start])
        return _CLAUSE_START.search(before) is not None or self._listed_subject(mention)

    def _listed_subject(self, mention: Mention) -> bool:
        """Whether a country follows a governing one in a list ("The UK, France and Canada said"):
        every item of a subject list governs."""
        near = self.places_by_start.between(mention.start - 80, mention.start)
        earlier = [m for m in near if m.end <= mention.start]
        if not earlier or not LIST_GAP.match(self.text[earlier[-1].end : mention.start]):
            return False
        return self.governs(earlier[-1])

    @cached_property
    def datelines(self) -> Intervals:
        """Spans of datelines ("BRUSSELS, 17 September 2025 --")."""
        return Intervals((m.start(), m.end()) for m in _DATELINE.finditer(self.text))

    def in_dateline(self, mention: Mention) -> bool:
        """True when a mention is part of a dateline."""
        return self.datelines.covers(mention.start)

    @cached_property
    def default_imposer(self) -> str:
        """The government of the dateline's capital ("WASHINGTON —"), else the jurisdiction the
        lead names first (a body, else an imposing country), else US."""
        dateline = _DATELINE.search(self.text[:LEAD_CHARS])
        if dateline:
            city = re.split(r"[,/]", dateline.group(0))[0].strip(" -\u2014\u2013").title()
            if city in capitals():
                return capitals()[city]
        lead = [m for m in self.bodies if m.start < LEAD_CHARS]
        if lead:
            return lead[0].code
        own = [m for m in self.places if m.start < LEAD_CHARS and m.code in IMPOSING_COUNTRIES]
        return own[0].code if own else "US"

    @cached_property
    def signatories(self) -> list[str]:
        """The jurisdictions that sign a joint statement, as its lead lists them ("France, Germany
        and the United Kingdom condemn …"); empty for any other text."""
        if not ruleset("genre").has("joint", self.text[:LEAD_CHARS]):
            return []
        named = sorted(
            (
                m
                for m in self.places + self.bodies
                if m.start < LEAD_CHARS and not self.in_dateline(m)
            ),
            key=lambda m: m.start,
        )
        chain: list[Mention] = []
        for mention in named:
            if chain and LIST_GAP.match(self.text[chain[-1].end : mention.start]):
                chain.append(mention)
                continue
            if len({m.code for m in chain}) >= 2:
                break
            chain = [mention]
        codes = list(dict.fromkeys(m.code for m in chain))
        return codes if len(codes) >= 2 else []

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
    def tail(self) -> int:
        """Where the page's closing matter starts ("Press contacts", "Related press releases" in
        the second half of the text, ``rules/background.toml`` label "tail_head"), else the end."""
        half = len(self.text) // 2
        rules = ruleset("background")
        heads = (
            s.start for s in self.sentences if s.start > half and rules.has("tail_head", s.text)
        )
        return next(heads, len(self.text))

    @cached_property
    def background_sections(self) -> set[int]:
        """Indexes of the sentences under a heading that introduces background ("BACKGROUND",
        ``rules/background.toml`` label "background_head"), up to the next heading."""
        rules = ruleset("background")
        sizes = Counter(s.paragraph for s in self.sentences)
        inside, found = False, set()
        for sentence in self.sentences:
            if _is_heading(sentence, sizes):
                inside = rules.has("background_head", sentence.text)
            elif inside:
                found.add(sentence.index)
        return found

    @cached_property
    def lead(self) -> str:
        """The title lines and the first body sentences, up to :data:`LEAD_CHARS`."""
        return self.text[:LEAD_CHARS]

    def in_quotation(self, sentence: Sentence) -> bool:
        """True when a sentence continues a quotation opened earlier in its paragraph ("… ," said
        X. "Russia will face …" — the second sentence of a quote opens with no quote mark)."""
        return sentence.index in self._quoted

    @cached_property
    def _quoted(self) -> set[int]:
        """Indexes of the sentences that open inside a quotation, read paragraph by paragraph."""
        inside: set[int] = set()
        paragraph, curly, straight = -1, 0, 0
        for sentence in self.sentences:
            if sentence.paragraph != paragraph:
                paragraph, curly, straight = sentence.paragraph, 0, 0
            if curly > 0 or straight % 2 == 1:
                inside.add(sentence.index)
            text = sentence.text
            curly += text.count("\u201c") - text.count("\u201d")
            straight += text.count('"')
        return inside

    @cached_property
    def victims(self) -> Intervals:
        """Spans where a country is named as the victim or scene ("war against Ukraine")."""
        return Intervals((hit.start, hit.end) for hit in ruleset("context").hits(self.text))

    def in_victim_context(self, mention: Mention) -> bool:
        """True when a country mention sits inside a victim phrase."""
        return self.victims.covers(mention.start)

    @cached_property
    def genre(self) -> Rule | None:
        """The rule that classes the text as something other than a sanctions development (an
        enforcement penalty, a criminal case, a regulator's fine, sport, tariffs, an export rule),
        or None. Wording that announces a development in the lead overrides it."""
        rules = ruleset("genre")
        lead = [s.text for s in self.sentences if s.start < LEAD_CHARS]
        if any(_announces(rules, t) for t in lead):
            return None
        return rules.first(self.lead, "negative")
