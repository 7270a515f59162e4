"""Named targets (persons, organizations, vessels) and officials found in text."""

from __future__ import annotations

import re
from dataclasses import dataclass

from summarizer.extract.places import countries
from summarizer.extract.text import Sentence
from summarizer.schema import TargetKind

_UPPER = "A-Z\u00c0-\u00de"
_WORD = rf"(?:[{_UPPER}][\w\u00c0-\u024f'\u2019.&+/-]*|[0-9][\w-]*)"
_CONNECT = r"(?:of|the|and|for|de|del|la|al|el|bin|ibn|von|van|da|dos|du|&)"
_LEGAL_FORM = r"(?:,?\s+(?:Co\.,\s+Ltd\.|Co\.|Ltd\.?|LLC|L\.L\.C\.|Inc\.?|Corp\.?|PJSC|JSC|OJSC|OOO|AO|PAO|GmbH|S\.A\.(?:\s+de\s+C\.V\.)?|S\. de R\.L\. de C\.V\.|S\.A\.E\.|C\.A\.|A\.S\.|plc|Plc|PLC|FZE|FZCO|FZ-LLC|DMCC|LLP|Limited|Private Limited|Pvt\.? Ltd\.?|Sdn\.? Bhd\.?|Pte\.? Ltd\.?|B\.V\.|S\.R\.L\.|SARL|SAL|Limited Liability Company))"
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
_VESSEL = re.compile(rf"(?P<name>[{_UPPER}][{_UPPER}0-9 .'-]{{1,40}}?|{_WORD}(?:\s+{_WORD}){{0,3}})\s*\((?:IMO|IMO [Nn]o\.?|IMO number)[:\s]*(?P<imo>\d{{7}})")
_LEAD = re.compile(rf"^(?:The\s+)?(?P<name>{NAME})(?=\s*\(|,\s+(?:a|an|the|also|which|who|based|located|registered|both)\b|\s+(?:is|was|are|were|has|have|serves|operates|owns|controls|provides|manages|acts|supplied|shipped|sold|procured|facilitated|helped|arranges|runs|leads|heads|also)\b)")
_LIST_LINE = re.compile(rf"^(?:\d+[.)]\s+|[-*\u2022]\s+)?(?P<name>{NAME})(?=\s*(?:\(|,|;|:|$))")
_DEMONYM_NATIONAL = re.compile(r"\b(?:a|an|both|also an?|the)\s+(?P<dem>[A-Z][\w'\u2019 -]{2,30}?)\s+(?:national|citizen|businessman|businesswoman|oligarch|official|politician|company|firm|entity|bank|distributor|manufacturer)s?\b")
_LOCATED = re.compile(r"\b(?:based|located|registered|incorporated|headquartered|flagged|operating)\s+in\s+(?:the\s+)?(?P<place>[A-Z][\w'\u2019 ,()-]{2,60})")
_BASED = re.compile(r"(?P<place>[A-Z][\w'\u2019.]*(?:\s+[A-Z][\w'\u2019.]*)*)-(?:based|flagged|registered|headquartered)\b")
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
    if 2 <= len(words) <= 5 and all(w[0].isupper() or w.lower() in {"al", "bin", "de", "del", "la", "ibn", "von", "van", "da", "dos"} or w.startswith("al-") for w in words):
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


_PREFIX = re.compile(r"^(?:[A-Z][\w'\u2019.]*(?:\s+[A-Z][\w'\u2019.]*)*-(?:flagged|based|registered|owned)\s+|(?:the\s+)?(?:vessel|tanker|ship|M/T|MT|MV)\s+)", re.I)
_ALIASED = re.compile(rf"(?P<name>{NAME})\s*\((?:a\.k\.a\.\s*|also known as\s*)?[\"\u201c]?(?P<alias>[{_UPPER}][\w\u00c0-\u024f'\u2019.&+ -]{{1,40}})[\"\u201d]?\)")


def _clean(name: str) -> str:
    name = _PREFIX.sub("", name)
    name = name.strip(" ,;:.") if not re.search(r"(?:Ltd|Co|Inc|Corp|S\.A|C\.V|plc)\.$", name) else name.strip(" ,;:")
    return re.sub(r"^(?:The|the)\s+", "", name)


def _plausible(name: str) -> bool:
    if len(name) < 3 or len(name) > 120 or _NOT_NAMES.match(name):
        return False
    if countries(name) and len(countries(name)[0].text) >= len(name) - 2:
        return False  # a bare country or demonym
    return not name.isupper() or len(name.split()) <= 8


def targets(sentences: list[Sentence], text: str) -> list[NamedTarget]:
    """Targets named at the start of designation paragraphs, in list lines, and vessels with IMO numbers."""
    found: dict[str, NamedTarget] = {}

    def add(name: str, start: int, context: str, kind: TargetKind | None = None) -> None:
        name = _clean(name)
        if not _plausible(name):
            return
        key = re.sub(r"\W+", " ", name.lower()).strip()
        if key in found:
            return
        found[key] = NamedTarget(name, kind or _kind(name, context), _country_near(context), start)

    first_of_paragraph = {s.paragraph: s for s in reversed(sentences)}
    for sentence in sentences:
        is_first = first_of_paragraph[sentence.paragraph] is sentence
        context = text[sentence.start : sentence.start + 400]
        if is_first:
            lead = _LEAD.match(sentence.text)
            if lead and (len(sentence.text) > 60 or "(" in sentence.text):
                add(lead.group("name"), sentence.start, context)
            elif len(sentence.text) < 200:
                listed = _LIST_LINE.match(sentence.text)
                if listed and (";" in sentence.text or "," in sentence.text or "(" in sentence.text):
                    add(listed.group("name"), sentence.start, context)
        for aliased in _ALIASED.finditer(sentence.text):
            alias = aliased.group("alias")
            if alias.isupper() and len(alias) <= 6 or countries(alias) or re.match(r"E\.O\.|IMO|No\.", alias):
                continue  # an acronym such as (OFAC), (PRC), (E.O.), not a short name
            add(aliased.group("name"), sentence.start + aliased.start(), text[sentence.start + aliased.start() :][:400])
        for vessel in _VESSEL.finditer(sentence.text):
            add(vessel.group("name"), sentence.start + vessel.start(), sentence.text[vessel.start() :], TargetKind.VESSEL)
    return sorted(found.values(), key=lambda t: t.start)


_SPEECH = re.compile(r"\b(?:said|says|announced|stated|warned|told|added|noted|declared|explained|wrote)\b")
_PERSON = re.compile(rf"(?:[{_UPPER}][\w\u00c0-\u024f'\u2019.-]*)(?:\s+(?:[{_UPPER}]\.|[{_UPPER}][\w\u00c0-\u024f'\u2019-]*)){{1,4}}")


@dataclass(frozen=True)
class Speaker:
    """A person quoted or named as announcing."""

    name: str
    title: str | None
    start: int


def _split_title(run: str) -> tuple[str | None, str]:
    words = run.split()
    cut = 0
    for index, word in enumerate(words):
        if word.lower().strip(",") in TITLE_WORDS:
            cut = index + 1
    title = " ".join(words[:cut]).strip(" ,") or None
    return title, " ".join(words[cut:]).strip(" ,")


def speakers(sentences: list[Sentence]) -> list[Speaker]:
    """People quoted or announcing: "…," said TITLE NAME / NAME, the TITLE, said / according to NAME."""
    found: dict[str, Speaker] = {}
    for sentence in sentences:
        text = sentence.text
        for speech in _SPEECH.finditer(text):
            after = text[speech.end() : speech.end() + 140]
            before = text[max(0, speech.start() - 140) : speech.start()]
            candidates = []
            run = re.match(rf"\s+((?:[{_UPPER}][\w\u00c0-\u024f'\u2019.,-]*\s*|(?:of|the|for|and)\s+)+)", after)
            if run:
                candidates.append((run.group(1), None))
            lead = re.search(rf"((?:[{_UPPER}][\w\u00c0-\u024f'\u2019.-]*\s+){{1,3}}[{_UPPER}][\w\u00c0-\u024f'\u2019-]*)(?:,\s+(?P<title>[^,]{{3,90}}),)?\s*$", before)
            if lead:
                candidates.append((lead.group(1), lead.group("title")))
            for raw, late_title in candidates:
                title, name = _split_title(raw.strip(" ,."))
                name = name.split(",")[0].strip(" .")
                person = _PERSON.fullmatch(name)
                if not person or _ORG_WORDS.search(name) or _NOT_NAMES.match(name) or countries(name):
                    continue
                if late_title and not title:
                    title = late_title.strip()
                key = name.lower()
                if key not in found:
                    found[key] = Speaker(name, title, sentence.start)
                break
    return list(found.values())
