"""Officials: people quoted or named as announcing a sanctions development."""

from __future__ import annotations

import re
from dataclasses import dataclass

from summarizer.extract.names import UPPER as _UPPER
from summarizer.extract.names import is_title_word, org_words
from summarizer.extract.places import countries
from summarizer.extract.targets import NamedTarget
from summarizer.extract.text import Sentence

__all__ = ["NamedTarget", "Speaker", "speakers"]

_NOT_PERSON = re.compile(
    r"^(?:The|This|These|Those|Today|Treasury|OFAC|State|Department|Council|Commission|Government|"
    r"Sanctions|According|Under|In|On|At|As|For|With)\b"
)

_SPEECH = re.compile(
    r"\b(?:said|says|announced|stated|warned|told|added|noted|declared|explained|wrote|stressed|urged|made clear|according to)\b"
)
_PARTICLE = r"(?:von|van|der|den|de|del|la|le|da|dos|bin|ibn|al|el)"
_NAME_TOKEN = rf"(?:[{_UPPER}]\.|[{_UPPER}][\w\u00c0-\u024f'\u2019-]*)"
_PERSON = re.compile(rf"{_NAME_TOKEN}(?:\s+(?:{_PARTICLE}\s+)*{_NAME_TOKEN}){{1,4}}")
_RUN_AFTER = re.compile(
    rf"\s+((?:{_NAME_TOKEN}|{_PARTICLE}|of|the|for|and)(?:\s+(?:{_NAME_TOKEN}|{_PARTICLE}|of|the|for|and))*)(?:,\s*(?P<title>[^,.;\u201c\"]{{3,100}}))?"
)
_RUN_BEFORE = re.compile(
    rf"((?:{_NAME_TOKEN}|{_PARTICLE}|of|the|for|and)(?:\s+(?:{_NAME_TOKEN}|{_PARTICLE}|of|the|for|and))*)(?:,\s+(?P<title>[^,\u201d\"]{{3,100}}),)?,?\s*$"
)
_HEADER = re.compile(
    rf"^(?:The\s+|Senator\s+the\s+)?(?:Hon\.?\s+)?(?P<name>{_NAME_TOKEN}(?:\s+(?:{_PARTICLE}\s+)*{_NAME_TOKEN}){{1,4}})(?:\s+MP)?,\s+(?P<title>[^.]{{3,100}})$"
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


def _person(raw: str, late_title: str | None) -> tuple[str, str | None] | None:
    title, name = _split_title(raw.strip(" ,."))
    name = re.sub(r"\s+MP$", "", name)
    if re.search(r"\b(?:Assets|Control|Office|Department|Ministry|Council|Commission)\b", name):
        return None
    if (
        not _PERSON.fullmatch(name)
        or org_words().search(name)
        or _NOT_PERSON.match(name)
        or countries(name)
    ):
        return None
    if not any(is_title_word(w) for w in (late_title or "").split()) and late_title:
        late_title = None
    return name, title or (late_title.strip() if late_title else None)


def speakers(sentences: list[Sentence]) -> list[Speaker]:
    """People quoted or announcing: "…," said TITLE NAME / NAME, the TITLE, said / header lines."""
    found: dict[str, Speaker] = {}

    def keep(result: tuple[str, str | None] | None, start: int) -> bool:
        if result is None:
            return False
        name, title = result
        found.setdefault(name.lower(), Speaker(name, title, start))
        return True

    for sentence in sentences:
        text = sentence.text
        header = _HEADER.match(text) if len(text) < 160 else None
        if header and any(is_title_word(w) for w in header.group("title").split()):
            keep(
                (re.sub(r"\s+MP$", "", header.group("name")), header.group("title").strip()),
                sentence.start,
            )
        for speech in _SPEECH.finditer(text):
            after = _RUN_AFTER.match(text[speech.end() :])
            before = _RUN_BEFORE.search(text[max(0, speech.start() - 160) : speech.start()])
            options = []
            if after:
                options.append((after.group(1), after.group("title")))
            if before:
                options.append((before.group(1), before.group("title")))
            if speech.group(0) not in {"said", "says", "according to", "wrote"}:
                options.reverse()  # "X warned Y": the speaker comes first
            for raw, late in options:
                if keep(_person(raw, late), sentence.start):
                    break
    return list(found.values())
