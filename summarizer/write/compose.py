"""The facts writer: a headline and a summary composed from the extracted facts alone, in the
article's own terms (its names, its count as written, its legal bases as written). It is the fast
path (``writer="facts"``) and the fallback when the model's text fails the checks."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files

from summarizer.extract.places import countries
from summarizer.grounding import mentions, occurs
from summarizer.schema import Measure, Status
from summarizer.sentences import split_sentences
from summarizer.write.story import ActionFacts, Story

HEADLINE_CHARS = 160
#: The summary's budget (the schema allows 700 characters); each action gets its share.
SUMMARY_CHARS = 660
SENTENCE_CHARS = 420
_PHRASE_START = re.compile(
    r",\s|;\s|\s[\u2014\u2013]\s|\s(?=(?:and|or|but|for|with|after|before|as|in|on|at|to|from|by|"
    r"that|which|who|while|when|over|under|amid|following|including)\s)"
)
_TRAILING = re.compile(r"[\s,;:\u2014\u2013-]+$")


@dataclass(frozen=True)
class Wording:
    """How statuses, measures and joins are worded (``phrases.toml``)."""

    headline: dict[Status, str]
    bare: dict[Status, str]
    headline_bare: dict[Status, str]
    verbs: dict[Status, tuple[str, ...]]
    with_measures: dict[Status, str]
    need_count: dict[Status, frozenset[str]]
    no_count: dict[Status, tuple[str, ...]]
    measures: dict[Measure, str]
    join_other: tuple[str, ...]
    join_same: tuple[str, ...]
    dangling: frozenset[str]
    phrase_openers: frozenset[str]
    measure_nouns: frozenset[str]
    connectives: tuple[str, ...]
    plural_actors: frozenset[str]


@lru_cache(maxsize=1)
def wording() -> Wording:
    """The wording data, read once."""
    data = tomllib.loads(files("summarizer.write").joinpath("phrases.toml").read_text("utf-8"))
    statuses = {Status(name): entry for name, entry in data["status"].items()}
    return Wording(
        headline={s: e["headline"] for s, e in statuses.items()},
        bare={s: e["bare"] for s, e in statuses.items()},
        headline_bare={s: e["headline_bare"] for s, e in statuses.items()},
        verbs={s: tuple(e["verbs"]) for s, e in statuses.items()},
        with_measures={s: e["with_measures"] for s, e in statuses.items()},
        need_count={s: frozenset(e["need_count"]) for s, e in statuses.items()},
        no_count={s: tuple(e["no_count"]) for s, e in statuses.items()},
        measures={Measure(name): text for name, text in data["measures"].items()},
        join_other=tuple(data["joins"]["other_imposer"]),
        join_same=tuple(data["joins"]["same_imposer"]),
        dangling=frozenset(data["phrases"]["dangling"]),
        phrase_openers=frozenset(data["phrases"]["openers"]),
        measure_nouns=frozenset(data["counts"]["measure_nouns"]),
        connectives=tuple(data["words"]["connectives"]),
        plural_actors=frozenset(data["plural"]["actor_nouns"]),
    )


def plural(who: str) -> bool:
    """Whether an actor is named in the plural ("EU foreign ministers", not "United Nations")."""
    words = who.split()
    return bool(words) and words[0] != "United" and words[-1].lower() in wording().plural_actors


def listing(items: Sequence[str]) -> str:
    """``A``, ``A and B``, ``A, B and C``; semicolons between items when one has a comma
    ("KHARAZISHVILI, Zviad; LAGAZAURI, Mileri and ...")."""
    if len(items) == 1:
        return items[0]
    comma = "; " if any("," in item for item in items) else ", "
    return f"{comma.join(items[:-1])} and {items[-1]}"


def capitalized(text: str) -> str:
    return text[:1].upper() + text[1:]


def said(word: str, source: str) -> bool:
    """Whether the article writes ``word`` so (a capitalized word at a sentence's start counts as
    a name in the faithfulness checks, so the writer opens only with words the article uses)."""
    return re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", source) is not None


def opening(phrase: str, source: str) -> str:
    """``phrase`` to open a sentence: capitalized, or without its "the" when the article never
    writes "The"."""
    first = phrase.split(" ", 1)[0]
    if first == "the" and not said("The", source):
        phrase = phrase[4:]
    return capitalized(phrase)


def joins(*, same: bool, source: str) -> tuple[str, ...]:
    """The joins to a later action's sentence whose first word the article writes."""
    options = wording().join_same if same else wording().join_other
    return tuple(j for j in options if said(j.split(" ", 1)[0].rstrip(","), source))


def clip(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters where a phrase ends (before a comma, a dash or a word
    that opens a phrase), never inside a phrase unless no boundary is left; words that cannot end
    a phrase ("the", "of") are dropped from the end."""
    if len(text) > limit:
        cuts = [
            m.start() for m in _PHRASE_START.finditer(text, 0, limit + 1) if m.start() > limit // 3
        ]
        space = text.rfind(" ", 0, limit)
        text = text[: cuts[-1] if cuts else space if space > 0 else limit]
    return settle(text)


def settle(text: str) -> str:
    """``text`` without trailing punctuation and words that cannot end a phrase."""
    words = _TRAILING.sub("", text).split(" ")
    while len(words) > 1 and words[-1].lower() in wording().dangling:
        words.pop()
        words[-1] = _TRAILING.sub("", words[-1])
    return " ".join(words)


def fit(parts: Sequence[tuple[int, str]], limit: int) -> str:
    """The parts joined in order; while too long, the least important part (highest rank, the
    later one on ties) is dropped whole. Rank 0 is never dropped."""
    kept = list(parts)
    while len("".join(p for _, p in kept)) > limit:
        droppable = [i for i, (rank, _) in enumerate(kept) if rank > 0]
        if not droppable:
            return clip("".join(p for _, p in kept), limit)
        kept.pop(max(droppable, key=lambda i: (kept[i][0], i)))
    return "".join(p for _, p in kept)


def measures_phrase(action: ActionFacts) -> str:
    """The action's measures as words ("asset freezes and travel bans"), or ``""``."""
    names = [wording().measures[m] for m in action.measures if wording().measures.get(m)]
    return listing(names[:3]) if names else ""


def counts_measures(action: ActionFacts) -> bool:
    """Whether the action's count is of measures ("500 new sanctions"), not of targets."""
    count = action.count or ""
    return bool(count) and count.split()[-1].lower() in wording().measure_nouns


def verb(action: ActionFacts) -> str:
    """The facts writer's verb for an action's status."""
    if counts_measures(action):
        return wording().bare[action.status]
    phrase = measures_phrase(action)
    if phrase:
        return wording().with_measures[action.status].format(measures=phrase)
    return wording().verbs[action.status][0]


def _object(action: ActionFacts) -> tuple[str, bool]:
    """What the verb acts on: the count as written, else the named targets, else the places;
    and whether the places still need saying."""
    if action.count:
        return action.count, True
    if action.targets and len(action.targets) <= 3:
        return listing(action.targets), True
    if action.places:
        return listing(action.places[:3]), False
    return f"{listing(action.demonyms[:2])} targets" if action.demonyms else "new targets", False


def _reason_clause(reason: str) -> str:
    """The reason as it follows the targets: a phrase ("for their role in ...") after a comma; a
    relative clause ("that help ...") with "targeting those" to lean on."""
    if _relative(reason):
        return f", targeting those {reason}"
    return f", {reason}" if reason[0].isalpha() else reason


def _relief_of_targets(action: ActionFacts) -> bool:
    """Whether the reason is a relative clause of those an easing or lifting benefits ("the banks
    that move their money"): no reason for relief, and "targeting those …" would misread it."""
    relief = action.status in (Status.EASED, Status.LIFTED)
    return relief and _relative(action.reason or "")


def _relative(reason: str) -> bool:
    """Whether a reason is a relative clause of the targets ("that help Moscow acquire …")."""
    return reason.split(" ", 1)[0] in ("that", "who")


def action_sentence(action: ActionFacts, limit: int, *, subject: str | None = None) -> str:
    """One sentence of facts: who, in what state, on whom (how many), where, named targets, why,
    and on what basis; the least important parts are dropped to fit ``limit``."""
    obj, places = _object(action)
    parts = [(0, subject or capitalized(action.who[0])), (0, f" {verb(action)} {obj}")]
    if places and action.places:
        where = "on" if counts_measures(action) else "in"
        parts.append((2, f" {where} {listing(action.places[:3])}"))
    if action.term:
        parts.append((2, f" {action.term}"))
    if action.licence and action.licence not in obj:
        parts.append((2, f" through {action.licence}"))
    if action.when and action.when not in obj:
        parts.append((4, f" on {action.when}"))
    named = [t for t in action.targets if t not in obj][:3]
    if named and action.count:
        parts.append((4, f", including {listing(named)}"))
    if action.reason and not _relief_of_targets(action):
        parts.append((5, _reason_clause(action.reason)))
    if action.basis:
        parts.append((3, f", under {listing(action.basis[:2])}"))
    return fit([*parts, (0, ".")], limit)


def compose(story: Story) -> str:
    """The summary from the facts: one sentence per action, joined; for a text without actions,
    one sentence on what it reports."""
    if not story.actions:
        return negative(story)
    limit = min(SENTENCE_CHARS, SUMMARY_CHARS // len(story.actions))
    sentences = []
    for index, action in enumerate(story.actions):
        subject = opening(action.who[0], story.text)
        if index:
            before = story.actions[index - 1]
            same = (before.imposer, before.who[0]) == (action.imposer, action.who[0])
            options = joins(same=same, source=story.text)
            if options:
                join = options[(index - 1) % len(options)]
                subject = join if same else f"{join} {action.who[0]}"
        sentences.append(action_sentence(action, limit, subject=subject))
    return " ".join(sentences)


#: most named targets the closing clause lists
NAMED_MAX = 6


#: statuses whose named targets are the article's list even without a stated count
_LISTED = frozenset({Status.IMPOSED, Status.LIFTED, Status.EASED})


def _lists(action: ActionFacts) -> bool:
    """Whether the action's named targets are a list of designations, not names in passing."""
    return bool(action.count) or action.status in _LISTED


def with_named_targets(story: Story, summary: str, limit: int = SUMMARY_CHARS) -> str:
    """``summary`` closed by "; those named include A, B and C" for the named targets of actions
    with a stated count (designations, where the names are the article's list) that it does not
    name yet, in the article's order, as many as fit in ``limit``; unchanged when none is left or
    none fits. A clause, not a sentence: it opens with no word the article may not write."""
    named = (t for action in story.actions if _lists(action) for t in action.targets)
    names = [name for name in dict.fromkeys(named) if not occurs(name, summary)]
    body = summary.rstrip().rstrip(".")
    for count in range(min(len(names), NAMED_MAX), 0, -1):
        listed = listing(names[:count])
        closed = f"{body}; those named include {listed}{'' if listed.endswith('.') else '.'}"
        if len(closed) <= limit:
            return closed
    return summary


#: fewest names and numbers a detail sentence must add to be worth its place
DETAIL_MIN_NEW = 2


def with_detail(story: Story, summary: str, limit: int = SUMMARY_CHARS) -> str:
    """``summary`` followed by the article's own sentence about its actions that adds the most
    names and numbers the summary does not give yet (at least two; one the article writes again
    elsewhere counts twice), when one fits in ``limit``."""
    room = limit - len(summary) - 1
    best, most = "", 0
    for sentence in story.details:
        score = _news(sentence, summary, story.text)
        if len(sentence) <= room and score > most:
            best, most = sentence, score
    return f"{summary.rstrip()} {best}" if best else summary


def _news(sentence: str, summary: str, text: str) -> int:
    """What ``sentence`` adds to ``summary``: its names and numbers the summary lacks, other than
    places, each counted twice when ``text`` writes it more than once; 0 below the minimum."""
    new = {m for m in mentions(sentence) if not occurs(m, summary) and not _place(m)}
    return sum(1 + (text.count(m) >= 2) for m in new) if len(new) >= DETAIL_MIN_NEW else 0


def _place(mention: str) -> bool:
    """Whether a name is only a country's or a capital's ("Russia", "Washington"): a sentence that
    adds nothing else ("Russia's embassy in Washington did not respond") tells the reader nothing."""
    found = countries(mention)
    return bool(found) and sum(m.end - m.start for m in found) >= len(mention.rstrip(".")) - 2


#: most officials the closing sentence names
SPEAKERS_MAX = 3


#: how a sentence naming the package opens, by the word it opens with
_PACKAGE_SENTENCES = (
    ("This", "This is the {package}."),
    ("It", "It is the {package}."),
    ("The", "The measures form the {package}."),
)


def package_sentence(story: Story) -> str | None:
    """The sentence naming the package the actions form, opening with a word the article
    writes; None without a package or such a word."""
    if not story.package:
        return None
    templates = (t for word, t in _PACKAGE_SENTENCES if said(word, story.text))
    template = next(templates, None)
    return template.format(package=story.package) if template else None


def with_package_and_speakers(
    story: Story, summary: str, limit: int = SUMMARY_CHARS, *, sentences: int = 2
) -> str:
    """``summary`` followed, as far as ``limit`` allows, by the package the actions form and the
    officials named as announcing, when it does not name them yet ("This is the 12th sanctions
    package. Kaja Kallas is quoted."); in one sentence when ``sentences`` is 1, none when 0."""
    if sentences < 1:
        return summary
    text = summary
    package = story.package
    sentence = package_sentence(story)
    if package and sentence and not occurs(package, text):
        text = _appended(text, sentence, limit)
    speakers = [name for name in story.speakers if not occurs(name, text)][:SPEAKERS_MAX]
    for count in range(len(speakers), 0, -1):
        verb_ = "is" if count == 1 else "are"
        quoted = f"{listing(speakers[:count])} {verb_} quoted."
        longer = (
            _appended(text, quoted, limit)
            if text == summary or sentences > 1
            else _appended(text.rstrip()[:-1] + ";", quoted, limit)
        )
        if longer != text:
            return longer
    return text


def _appended(text: str, sentence: str, limit: int) -> str:
    """``text`` and ``sentence``, if both fit in ``limit``; else ``text``."""
    joined = f"{text.rstrip()} {sentence}"
    return joined if len(joined) <= limit else text


#: most sentences a summary has (the schema allows 1-4)
SUMMARY_SENTENCES = 4


def closed(story: Story, summary: str) -> str:
    """``summary`` with what follows the action sentences, in order: the article's own detail
    sentence, the named targets, the package and the officials, as far as the budgets of
    characters and of sentences allow. Room for the package and the officials is kept first
    when both they and the detail have a sentence left."""
    spare = SUMMARY_SENTENCES - len(split_sentences(summary))
    ending = with_package_and_speakers(story, summary, sentences=spare - 1)
    room = SUMMARY_CHARS - (len(ending) - len(summary))
    detailed = with_detail(story, summary, room) if spare > 0 else summary
    spare -= detailed != summary
    detailed = with_named_targets(story, detailed, room)
    return with_package_and_speakers(story, detailed, sentences=spare)


def negative(story: Story) -> str:
    """One sentence for a text that announces no sanctions: what it reports, and that."""
    lead = clip(story.lead.rstrip(" .!?"), SUMMARY_CHARS - 60)
    return f"{lead}; the text announces no new sanctions."


def headline(story: Story) -> str:
    """The main action in at most 160 characters — imposer, status, count or target, places,
    reason — dropping whole phrases to fit; the title or lead of a text without actions."""
    if not story.actions:
        return clip(story.title or story.lead.rstrip("."), HEADLINE_CHARS)
    action = story.actions[0]
    who = opening(re.sub(r"^the\s+", "", action.who[0]), story.text)
    obj, places = _object(action)
    verb_ = (wording().headline_bare if counts_measures(action) else wording().headline)[
        action.status
    ]
    if plural(who):  # "Senators propose …"
        first, _, rest = verb_.partition(" ")
        verb_ = f"{first.removesuffix('s')} {rest}".strip()
    parts = [(0, f"{who} {verb_} {obj}")]
    if places and action.places:
        where = "on" if counts_measures(action) else "in"
        parts.append((1, f" {where} {listing(action.places[:3])}"))
    if action.reason and not _relief_of_targets(action):
        parts.append((2, _reason_clause(action.reason).removeprefix(",")))
    return fit(parts, HEADLINE_CHARS)
