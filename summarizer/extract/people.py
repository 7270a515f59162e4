"""Officials: people quoted or named as announcing a sanctions development."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from summarizer.extract.names import LEGAL_FORM, is_title_word
from summarizer.extract.names import UPPER as _UPPER
from summarizer.extract.places import countries, org_words
from summarizer.extract.targets import NamedTarget
from summarizer.sentences import Sentence

__all__ = ["NamedTarget", "Speaker", "speakers"]

_NOT_PERSON = re.compile(
    r"^(?:The|This|These|Those|Today|Treasury|OFAC|State|Department|Council|Commission|Government|"
    r"Sanctions|According|Under|In|On|At|As|For|With)\b"
)

_SPEECH = re.compile(
    r"\b(?:said|says|announced|stated|warned|told|added|noted|declared|explained|wrote|stressed|"
    r"urged|made clear|according to|signed|presented|unveiled|issued|imposed|directed|ordered|"
    r"introduced|proposed)\b"
)
#: verbs after which the speaker's name follows ("…," said X); after the others it comes first
_SPEAKER_AFTER = {"said", "says", "according to", "wrote"}
_PARTICLE = r"(?:von|van|der|den|de|del|la|le|da|dos|bin|ibn|al|el)"
_NAME_TOKEN = rf"(?:[{_UPPER}]\.|[{_UPPER}][\w\u00c0-\u024f'\u2019-]*)"
_PERSON = re.compile(rf"{_NAME_TOKEN}(?:\s+(?:{_PARTICLE}\s+)*{_NAME_TOKEN}){{1,4}}")
_RUN = rf"(?:{_NAME_TOKEN}|{_PARTICLE}|of|the|for|and)(?:\s+(?:{_NAME_TOKEN}|{_PARTICLE}|of|the|for|and)){{0,20}}"
_RUN_AFTER = re.compile(rf"\s+({_RUN})(?:,\s*(?P<title>[^,.;\u201c\"]{{3,100}}))?")
_RUN_BEFORE = re.compile(
    rf"({_RUN})(?:,\s+(?P<title>[^,\u201d\"]{{3,100}}),)?,?"
    r"(?:\s+(?:today|also|has|have|had|formally|jointly|on \w+day|this week|this morning))*\s*$"
)
_HEADER = re.compile(
    rf"^(?:The\s+|Senator\s+the\s+)?(?:Hon\.?\s+)?(?P<name>{_NAME_TOKEN}(?:\s+(?:{_PARTICLE}\s+)*{_NAME_TOKEN}){{1,4}})(?:\s+MP)?,\s+(?P<title>[^.]{{3,100}})$"
)
_NAME_LINE = re.compile(
    rf"^(?:Senator\s+)?(?:the\s+)?(?:Hon\.?\s+)?(?P<name>{_NAME_TOKEN}(?:\s+(?:{_PARTICLE}\s+)*{_NAME_TOKEN}){{1,4}})(?:\s+MP)?,?$"
)
_SIGNATURE = re.compile(r"^(?P<name>[A-Z][A-Z'.-]+(?:\s+[A-Z][A-Z'.-]+){1,4})\.?$")
_SIGNED_AS = re.compile(
    r"\bI,\s+(?P<name>[A-Z][A-Z'.-]+(?:\s+[A-Z][A-Z'.-]+){1,4}),\s+(?P<title>President[^,;]{0,60})"
)
#: an appositive that makes a quoted person a commentator, not an official who announces
_NON_OFFICIAL = re.compile(
    r"\b(?:analyst|professor|research|researcher|institute|university|think tank|economist|fellow|"
    r"expert|lawyer|partner at|consultant|founder|chief executive|CEO|trader|broker|editor|reporter|"
    r"correspondent|follows|studies|specialist|campaigner|activist|critic)\b",
    re.I,
)


@dataclass(frozen=True)
class Speaker:
    """A person quoted or named as announcing."""

    name: str
    title: str | None
    start: int


def _split_title(run: str) -> tuple[str | None, str]:
    """ "Deputy Secretary of the Treasury Wally Adeyemo" → (title, name)."""
    words = run.split()
    cut = 0
    for index, word in enumerate(words[:-1]):
        if is_title_word(word) or word in {"Hon", "Honourable"}:
            cut = index + 1
    title = " ".join(words[:cut]).strip(" ,") or None
    return title, " ".join(words[cut:]).strip(" ,")


_NOT_PERSON_WORD = re.compile(
    r"\b(?:Sanctions|Treasury|Memorandum|Order|Notice|Release|Releases|Statement|Act|Regulations|"
    r"Mr|Ms|Mrs|Dr)\b|['\u2019]s$"
)
_STRONG_TITLE = re.compile(
    r"\b(?:Secretary|Minister|Spokes(?:person|man|woman)|Director|President|Ambassador|Chancellor|"
    r"Commissioner|Coordinator|Chair(?:man|woman)?|Governor|Premier|Senator|Representative|Envoy|"
    r"Leader|Counse(?:l|ll)or|Attorney|Head|Chief|Deputy|Under\s?Secretary)\b",
    re.I,
)


def _person(raw: str, late_title: str | None) -> tuple[str, str | None] | None:
    if late_title and _NON_OFFICIAL.search(late_title):
        return None
    title, name = _split_title(raw.strip(" ,."))
    name = re.sub(r"\s+MP$", "", name)
    if _NOT_PERSON_WORD.search(name):
        return None
    if re.search(r"\b(?:Assets|Control|Office|Department|Ministry|Council|Commission)\b", name):
        return None
    if (
        not _PERSON.fullmatch(name)
        or org_words().search(name)
        or re.search(LEGAL_FORM, f" {name}")
        or _NOT_PERSON.match(name)
        or countries(name)
    ):
        return None
    if not any(is_title_word(w) for w in (late_title or "").split()) and late_title:
        late_title = None
    return name, title or (late_title.strip() if late_title else None)


def _headers(sentences: list[Sentence]) -> Iterator[tuple[tuple[str, str | None], int]]:
    """Speakers named in header or signature lines: "Name, Title", a name line above a title line,
    an order signed "JOSEPH R. BIDEN JR." above "THE WHITE HOUSE"."""
    for sentence, following in zip(
        sentences, [*sentences[1:], None][: len(sentences)], strict=True
    ):
        text, after = sentence.text, following.text if following else ""
        header = _HEADER.match(text) if len(text) < 160 else None
        if header and _STRONG_TITLE.search(header.group("title")):
            name = re.sub(r"\s+MP$", "", header.group("name"))
            yield (name, header.group("title").strip()), sentence.start
        line = _NAME_LINE.match(text) if len(text) < 80 and not text.isupper() else None
        if line and len(after) < 120 and _STRONG_TITLE.match(after):
            person = _person(line.group("name"), None)
            if person is not None and person[1] is None:
                yield (person[0], after.strip(" ,.")), sentence.start
        signature = _SIGNATURE.match(text)
        if signature and after.startswith("THE WHITE HOUSE"):
            yield (_titled(signature.group("name")), None), sentence.start
        for signed in _SIGNED_AS.finditer(text):
            yield (_titled(signed.group("name")), signed.group("title")), sentence.start


#: the signatories of a statement: "a joint statement by Secretary of State Antony J. Blinken,
#: Canada's Minister of Foreign Affairs Marc Garneau, and the United Kingdom's Foreign Secretary
#: Dominic Raab"
_STATEMENT_BY = re.compile(
    r"\bstatement (?:(?:issued|released|made|signed) )?by (?P<list>(?:[^.;:]|(?<=\b[A-Z])\.){5,300})"
)


def _signatories(sentence: Sentence) -> Iterator[tuple[str, str | None]]:
    """The people a sentence names as making a statement, each with the title before the name."""
    found = _STATEMENT_BY.search(sentence.text)
    if found is None:
        return
    for piece in re.split(r",\s*(?:and\s+)?|\s+and\s+", found.group("list")):
        piece = re.sub(
            rf"^(?:the\s+)?(?:[{_UPPER}][\w.]*\s+){{0,3}}?[\w.]+['\u2019]s\s+", "", piece
        )
        person = _person(piece, None)
        if person is not None and person[1] is not None:
            yield person


def _titled(name: str) -> str:
    """ "JOSEPH R. BIDEN JR." → "Joseph R. Biden Jr." """
    return " ".join(word.capitalize() if len(word) > 2 else word.title() for word in name.split())


def _quoted(sentence: Sentence) -> Iterator[tuple[str, str | None]]:
    """Candidates around each speech or announcing verb of a sentence, most likely first."""
    text = sentence.text
    for speech in _SPEECH.finditer(text):
        after = _RUN_AFTER.match(text[speech.end() :])
        before = _RUN_BEFORE.search(text[max(0, speech.start() - 160) : speech.start()])
        options = []
        if after:
            late = (
                after.group("title")
                or text[speech.end() + after.end() : speech.end() + after.end() + 80]
            )
            options.append((after.group(1), late))
        if before:
            options.append((before.group(1), before.group("title")))
        if speech.group(0) not in _SPEAKER_AFTER:
            options.reverse()  # "X warned Y": the speaker comes first
        yield from options


def speakers(sentences: list[Sentence]) -> list[Speaker]:
    """People quoted or announcing: "…," said TITLE NAME / NAME, the TITLE, said / header lines /
    "TITLE NAME signed …" / signatures. Commentators (analysts, academics) are left out."""
    found: dict[str, Speaker] = {}
    for (name, title), start in _headers(sentences):
        found.setdefault(name.lower(), Speaker(name, title, start))
    for sentence in sentences:
        for name, title in _signatories(sentence):
            found.setdefault(name.lower(), Speaker(name, title, sentence.start))
        for raw, late in _quoted(sentence):
            result = _person(raw, late)
            if result is not None:
                found.setdefault(result[0].lower(), Speaker(result[0], result[1], sentence.start))
                break
    return list(found.values())
