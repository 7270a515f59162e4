"""Named targets (persons, organizations, vessels) and officials found in text."""

from __future__ import annotations

import re
from dataclasses import dataclass

from summarizer.extract.cues import is_background as context_is_background
from summarizer.extract.places import countries
from summarizer.extract.text import Sentence
from summarizer.schema import TargetKind

_UPPER = "A-Z\u00c0-\u00de"
_WORD = rf"(?:[{_UPPER}][\w\u00c0-\u024f'\u2019.&+/-]*|(?:al|el|bin|ibn|abu)-[{_UPPER}][\w\u00c0-\u024f'\u2019-]*|[0-9][\w-]*)"
_CONNECT = r"(?:of|the|and|for|de|del|la|al|el|bin|ibn|von|van|da|dos|du|ve|y|e|&)"
_LEGAL_FORM = r"(?:,?\s+(?:Co\.,\s+Ltd\.|Co\.|Ltd\.?|LLC|L\.L\.C\.|Inc\.?|Corp\.?|PJSC|JSC|OJSC|OOO|AO|PAO|GmbH|S\.A\.(?:\s+de\s+C\.V\.)?|S\. de R\.L\. de C\.V\.|S\.A\.E\.|C\.A\.|A\.S\.|plc|Plc|PLC|FZE|FZCO|FZ-LLC|DMCC|LLP|Limited|Private Limited|Pvt\.? Ltd\.?|Sdn\.? Bhd\.?|Pte\.? Ltd\.?|B\.V\.|S\.R\.L\.|SARL|SAL|d\.o\.o\.|Limited Liability Company))"
NAME = rf"{_WORD}(?:\s+(?:{_CONNECT}\s+)*{_WORD})*{_LEGAL_FORM}?"
_ORG_WORDS = re.compile(
    r"\b(?:Co\.|Company|Ltd|LLC|L\.L\.C|Inc|Corp|Corporation|PJSC|JSC|OJSC|OOO|AO|GmbH|S\.A|plc|Plc|FZE|FZCO|DMCC|LLP|Limited|"
    r"Bank|Group|Trading|Trade|Industries|Industry|Holding|Holdings|Shipping|Logistics?|Services|Enterprises?|Agency|Institute|"
    r"Ministry|Organization|Organisation|Foundation|Front|Army|Guard|Corps|Party|Committee|Authority|Fund|Airlines?|Petroleum|"
    r"Oil|Energy|Energo|Systems|Technologies|Technology|Electronics|Machinery|Marine|Maritime|Navigation|Exchange|Solutions|"
    r"Partners|Capital|Investments?|Network|University|Academy|Center|Centre|Bureau|Department|Office|Council|Service|Factory|"
    r"Plant|Works|Commission|Brigade|Battalion|Cartel|Family|Gang|Movement|Network|Ticaret|Sirketi|Compañía|Comercializadora|"
    r"International|Global|Import|Export|Supply|Resources|Mining|Metals|Steel|Aviation|Airways|Air|Media|Telecom|Communications|"
    r"Union|Association|Society|Club|Hizballah|Hamas|Houthis?|Taliban|Wagner|Navy|Police|Forces|Government|Republic|Port|Terminal|"
    r"Project|Programme|Program|Manufacturing|Production|Precision|Components|Instruments?|Optical|Chemical|Pharma\w*|Farm\w*|"
    r"Ship|Lines|Tankers?|Charter|Management|Consulting|Finance|Financial|Credit|Insurance|Securities|Cooperative|S\.A\.E|C\.A|A\.S)\b"
)
_NOT_NAMES = re.compile(
    r"^(?:The|This|These|Those|Today|Treasury|OFAC|State|Department|Council|Commission|Government|Sanctions|According|Under|"
    r"In|On|At|As|For|With|Among|Also|All|Any|Since|After|Before|Following|However|Separately|Meanwhile|Additionally|Further|"
    r"Specifically|Other|Both|Each|Its|His|Her|Their|Our|We|It|They|He|She|I|A|An|If|When|While|Although|By|From|Monday|Tuesday|"
    r"Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|April|May|June|July|August|September|October|November|"
    r"December|Executive|Regulation|Decision|Section|Article|Annex|Note|Notes|Background|Washington|Brussels|London|Ottawa|"
    r"Canberra|Tokyo|Bern|Geneva|New York|United|European|Security|Foreign|Office|Secretary|Minister|President|Deputy|Under|"
    r"Director|Spokesperson|Spokesman|Prime|High|Representative|Officials|Official|Sanctioned|Designated|Listed|Targets)\b"
)
_VESSEL = re.compile(
    rf"(?P<name>[{_UPPER}][{_UPPER}0-9 .'-]{{1,40}}?|{_WORD}(?:\s+{_WORD}){{0,3}})\s*\((?:IMO|IMO [Nn]o\.?|IMO number)[:\s]*(?P<imo>\d{{7}})"
)
_LEAD = re.compile(
    rf"^(?:The\s+)?(?P<name>{NAME})(?=\s*\(|,\s+(?:a|an|the|also|which|who|based|located|registered|both)\b|\s+(?:is|was|are|were|has|have|serves|operates|owns|controls|provides|manages|acts|supplied|shipped|sold|procured|facilitated|helped|arranges|runs|leads|heads|also)\b)"
)
_LIST_LINE = re.compile(rf"^(?:\d+[.)]\s+|[-*\u2022]\s+)?(?P<name>{NAME})(?=\s*(?:\(|,|;|:|$))")
_NUMBERED = re.compile(rf"^\d+[.)]\s+(?P<name>{NAME})(?=\.\s|\s*\(|,|;|:|$)")
_INTRO = re.compile(
    rf"^(?:The\s+)?(?P<name>{NAME})(?=\s*\((?!IMO)|,\s+(?:a|an|also an?|both)\s+(?:[\w'\u2019-]+\s+){{0,3}}(?:national|citizen|company|firm|entity|based|registered|located|subsidiary)|\s+(?:is|was|were|are)\s+(?:also\s+)?(?:being\s+)?designated)"
)
_NATIONAL = re.compile(
    rf"(?P<name>{NAME}),\s+(?:a|an|also an?)\s+(?P<dem>[{_UPPER}][\w'\u2019-]*(?:\s+[{_UPPER}][\w'\u2019-]*)?)\s+(?:national|citizen)\b"
)
_NATIONAL_BEFORE = re.compile(
    rf"\b(?P<dem>[{_UPPER}][\w'\u2019-]*(?:\s+[{_UPPER}][\w'\u2019-]*)?)\s+(?:national|citizen|businessman|businesswoman)\s+(?P<name>{NAME})"
)
_LIST_TRIGGER = re.compile(
    r"(?::|\b(?:designat(?:ed|es|ing)|sanction(?:ed|ing)|listed|listing|added|adding|targeted|targeting|removed|removing|including|include[sd]?|are|were|was|on|against|among them|such as|namely)\b)\s+(?!that\b|which\b|who\b)"
)
LIST_CONTEXT = re.compile(
    r"\b(?:designat|sanction|listed|listing|added|targets?\b|froze|frozen|freez|travel ban|asset|annex|removed|delist)",
    re.I,
)
_TITLE_NOUNS = {
    "supreme",
    "court",
    "attorney",
    "defence",
    "defense",
    "cabinet",
    "prosecutor",
    "prosecutor-general",
    "commander",
    "head",
    "chief",
    "justice",
    "judge",
    "colonel",
    "general",
    "officer",
    "mayor",
    "governor",
    "member",
    "members",
    "director",
    "chairman",
    "minister",
    "deputy",
    "president",
}
_DEMONYM_NATIONAL = re.compile(
    r"\b(?:a|an|both|also an?|the)\s+(?P<dem>[A-Z][\w'\u2019 -]{2,30}?)\s+(?:national|citizen|businessman|businesswoman|oligarch|official|politician|company|firm|entity|bank|distributor|manufacturer)s?\b"
)
_LOCATED = re.compile(
    r"\b(?:based|located|registered|incorporated|headquartered|flagged|operating)\s+in\s+(?:the\s+)?(?P<place>[A-Z][\w'\u2019 ,()-]{2,60})"
)
_BASED = re.compile(
    r"(?P<place>[A-Z][\w'\u2019.]*(?:\s+[A-Z][\w'\u2019.]*)*)-(?:based|flagged|registered|headquartered)\b"
)
TITLE_WORDS = {
    "secretary", "minister", "spokesperson", "spokesman", "spokeswoman", "under", "deputy", "director", "president", "prime",
    "high", "representative", "ambassador", "chancellor", "commissioner", "coordinator", "chair", "chairman", "chairwoman",
    "assistant", "acting", "foreign", "treasury", "state", "finance", "senator", "sen.", "rep.", "general", "vice", "chief",
    "head", "governor", "premier", "leader", "lord", "counselor", "attorney", "security", "national", "council", "of", "the",
    "for", "and", "defence", "defense", "affairs", "terrorism", "financial", "intelligence", "economic", "trade", "commerce",
    "minister's", "press", "secretary-general", "special", "envoy", "official", "officials", "spokesperson's", "cabinet",
    "chief-of-staff", "congressman", "congresswoman", "ministry", "department", "office", "european", "union", "commission",
    "federal", "executive", "mr.", "mrs.", "ms.", "dr.", "house", "white", "u.s.", "us", "eu", "uk", "un",
}  # fmt: skip


@dataclass(frozen=True)
class NamedTarget:
    """A named party found where designations are described."""

    name: str
    kind: TargetKind
    country: str | None
    start: int


def _kind(name: str, context: str) -> TargetKind:
    if re.search(r"\bIMO\b|\bvessel\b|\btanker\b|\bship\b", context[:200]) and name.isupper():
        return TargetKind.VESSEL
    if _ORG_WORDS.search(name):
        return TargetKind.ORGANIZATION
    words = name.split()
    if 2 <= len(words) <= 5 and all(
        w[0].isupper()
        or w.lower() in {"al", "bin", "de", "del", "la", "ibn", "von", "van", "da", "dos"}
        or w.startswith("al-")
        for w in words
    ):
        return TargetKind.PERSON
    return TargetKind.ORGANIZATION


def _country_near(context: str) -> str | None:
    for pattern, group in ((_DEMONYM_NATIONAL, "dem"), (_LOCATED, "place"), (_BASED, "place")):
        match = pattern.search(context)
        if match:
            found = countries(match.group(group))
            if found:
                return found[-1].code if pattern is _LOCATED else found[0].code
    return None


_PREFIX = re.compile(
    r"^(?:[A-Z][\w'\u2019.]*(?:\s+[A-Z][\w'\u2019.]*)*-(?:flagged|based|registered|owned)\s+|(?:the\s+)?(?:vessel|tanker|ship|M/T|MT|MV)\s+)",
    re.I,
)
_ALIASED = re.compile(
    rf"(?P<name>{NAME})\s*\((?:a\.k\.a\.\s*|also known as\s*)?[\"\u201c]?(?P<alias>[{_UPPER}][\w\u00c0-\u024f'\u2019.&+ -]{{1,40}})[\"\u201d]?\)"
)


def _clean(name: str) -> str:
    name = _PREFIX.sub("", name)
    name = re.sub(rf"^(.*?{_LEGAL_FORM})\s+[A-Z].*$", r"\1", name)
    name = (
        name.strip(" ,;:.")
        if not re.search(r"(?:Ltd|Co|Inc|Corp|S\.A|C\.V|plc)\.$", name)
        else name.strip(" ,;:")
    )
    return re.sub(r"^(?:The|the)\s+", "", name)


_NOT_TARGETS = re.compile(
    r"\b(?:List|Regime|License|Licence|Executive Order|Regulations?|Act|Sanctions|Secretariat|Delists?|Middle East|Department of|Treasury|Council|Commission|Ministry of Foreign|Parliament|Enforcement Network|Hon|MP|Senator)\b"
)


def _plausible(name: str) -> bool:
    if len(name) < 3 or len(name) > 120 or _NOT_NAMES.match(name) or _NOT_TARGETS.search(name):
        return False
    if " " not in name and name.endswith("s") and name[:-1].isalpha() and name[1:].islower():
        return False  # a capitalized plural noun ("Gangs", "Banks")
    if countries(name) and len(countries(name)[0].text) >= len(name) - 2:
        return False  # a bare country or demonym
    return not name.isupper() or len(name.split()) <= 8


def strip_titles(name: str) -> str:
    """Drop leading title words ("Attorney General Thida Oo" → "Thida Oo"); empty if only titles."""
    if _ORG_WORDS.search(name) or name.isupper():
        return name
    words = name.split()
    while len(words) > 2 and (
        words[0].lower().strip(",") in TITLE_WORDS
        or words[0].lower() in _TITLE_NOUNS
        or words[0] in {"Hon", "Honourable", "Senator"}
    ):
        words.pop(0)
    while words and words[-1] in {"MP", "MEP", "MP."}:
        words.pop()
    return " ".join(words)


def _list_items(sentence: str) -> list[tuple[str, int]]:
    """Names enumerated after a designation verb or a colon: "designated A, B and C"."""
    items: list[tuple[str, int]] = []
    for trigger in _LIST_TRIGGER.finditer(sentence):
        rest_start = trigger.end()
        rest = sentence[rest_start:]
        separator = ";" if ";" in rest else ","
        position = 0
        for piece in re.split(rf"{separator}\s*|\s+and\s+(?=[{_UPPER}]|the\s+[{_UPPER}])", rest):
            offset = rest.find(piece, position)
            position = max(position, offset + len(piece))
            piece = re.sub(r"^(?:and|the|also)\s+", "", piece.strip())
            match = re.match(rf"{NAME}", piece)
            if not match or not piece[:1].isupper():
                continue
            name = strip_titles(match.group(0))
            if not name:
                continue
            if (
                _kind(name, "") is TargetKind.PERSON
                or _ORG_WORDS.search(name)
                or (" " not in name and len(name) > 3)
            ):
                items.append((name, rest_start + max(offset, 0)))
    return items


def targets(
    sentences: list[Sentence], text: str, action_sentences: set[int] | None = None
) -> list[NamedTarget]:
    """Targets named at the start of designation paragraphs, in list lines, and vessels with IMO numbers."""
    found: dict[str, NamedTarget] = {}
    action_sentences = action_sentences or set()

    lowered = text.lower()

    def add(name: str, start: int, context: str, kind: TargetKind | None = None) -> None:
        name = _clean(name)
        if " and " in name and not _ORG_WORDS.search(name):
            for part in name.split(" and "):
                add(part, start, context, kind)
            return
        if kind is not TargetKind.VESSEL:
            name = strip_titles(name)
        if not _plausible(name):
            return
        if (
            " " not in name
            and re.search(rf"(?<![A-Za-z]){re.escape(name.lower())}(?![A-Za-z])", text.lower())
            and name.lower() in lowered.replace(name, "")
        ):
            return  # a common word capitalized at the start of a sentence
        if name.isupper() and len(name.split()) >= 4 and not re.search(_LEGAL_FORM, name):
            return  # an ALL-CAPS subhead
        key = re.sub(r"\W+", " ", name.lower()).strip()
        if key in found:
            return
        found[key] = NamedTarget(name, kind or _kind(name, context), _country_near(context), start)

    first_of_paragraph = {s.paragraph: s for s in reversed(sentences)}
    for sentence in sentences:
        is_first = first_of_paragraph[sentence.paragraph] is sentence
        context = text[sentence.start : sentence.start + 400]
        numbered = _NUMBERED.match(sentence.text)
        if numbered:
            add(numbered.group("name"), sentence.start, context)
        intro = _INTRO.match(sentence.text)
        if intro and not is_first:
            add(intro.group("name"), sentence.start, context)
        for national in (
            *_NATIONAL.finditer(sentence.text),
            *_NATIONAL_BEFORE.finditer(sentence.text),
        ):
            place = countries(national.group("dem"))
            if place:
                start = sentence.start + national.start("name")
                found_name = _clean(national.group("name"))
                key = re.sub(r"\W+", " ", found_name.lower()).strip()
                if (
                    key not in found
                    and _plausible(found_name)
                    and _kind(found_name, "") is TargetKind.PERSON
                ):
                    found[key] = NamedTarget(found_name, TargetKind.PERSON, place[0].code, start)
        if sentence.index in action_sentences or (
            LIST_CONTEXT.search(sentence.text) and not context_is_background(sentence.text)
        ):
            for item, offset in _list_items(sentence.text):
                add(item, sentence.start + offset, text[sentence.start + offset :][:300])
        if is_first:
            lead = _LEAD.match(sentence.text)
            if lead and (len(sentence.text) > 60 or "(" in sentence.text):
                add(lead.group("name"), sentence.start, context)
            elif len(sentence.text) < 200:
                listed = _LIST_LINE.match(sentence.text)
                if listed and (
                    ";" in sentence.text or "," in sentence.text or "(" in sentence.text
                ):
                    add(listed.group("name"), sentence.start, context)
        for aliased in _ALIASED.finditer(sentence.text):
            alias = aliased.group("alias")
            if (
                (alias.isupper() and len(alias) <= 6)
                or countries(alias)
                or re.match(r"E\.O\.|IMO|No\.", alias)
            ):
                continue  # an acronym such as (OFAC), (PRC), (E.O.), not a short name
            add(
                aliased.group("name"),
                sentence.start + aliased.start(),
                text[sentence.start + aliased.start() :][:400],
            )
        for vessel in _VESSEL.finditer(sentence.text):
            add(
                vessel.group("name"),
                sentence.start + vessel.start(),
                sentence.text[vessel.start() :],
                TargetKind.VESSEL,
            )
    return _drop_aliases(sorted(found.values(), key=lambda t: t.start), text)


def _drop_aliases(found: list[NamedTarget], text: str) -> list[NamedTarget]:
    """Remove short forms: names defined as "(Alias)" of another, or whose words are a subset of another's."""
    aliases = {m.group("alias").strip().lower() for m in _ALIASED.finditer(text)}
    kept = []
    for target in found:
        words = set(target.name.lower().split())
        longer = [t for t in found if t is not target and words < set(t.name.lower().split())]
        if longer or (target.name.lower() in aliases and len(words) <= 2):
            continue
        kept.append(target)
    return kept


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
        if word.lower().strip(",") in TITLE_WORDS or word in {"Hon", "Honourable"}:
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
        or _ORG_WORDS.search(name)
        or _NOT_NAMES.match(name)
        or countries(name)
    ):
        return None
    if not any(w.lower() in TITLE_WORDS for w in (late_title or "").split()) and late_title:
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
        if header and any(w.lower() in TITLE_WORDS for w in header.group("title").split()):
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
