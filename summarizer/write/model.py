"""The model writer's job: one short sentence per extracted action, from that action's facts and
the article's sentence that announces it. On the embedded model a grammar makes the sentence open
with who acts and a verb of the action's status, give the count as written, copy every capitalized
word and number from the facts, and end with the legal basis; the model chooses the rest."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from summarizer.errors import ParseError
from summarizer.prompts import fence
from summarizer.write import grammar
from summarizer.write.checks import problems
from summarizer.write.compose import (
    clip,
    counts_measures,
    joins,
    listing,
    measures_phrase,
    opening,
    wording,
)
from summarizer.write.story import ActionFacts, Story

#: Average characters a copied word or name takes, to bound a sentence's words by its budget;
#: and the most words a sentence may add after its opening (a second try: half as many).
CHARS_PER_WORD = 7
MAX_WORDS = 40
_LABEL = re.compile(r"^\s*(?:\*\*)?(?:sentence|summary)\s*:\s*(?:\*\*)?\s*", re.I)


@dataclass(frozen=True)
class Job:
    """One sentence to write: the action, the action told before it (if any), its budget."""

    story: Story
    index: int  # of the action in the story
    before_text: str | None  # the sentence written for the action before
    budget: int
    strict: bool = False  # a second try: the target required, then one run copied from the sentence

    @property
    def action(self) -> ActionFacts:
        return self.story.actions[self.index]

    @property
    def before(self) -> ActionFacts | None:
        return self.story.actions[self.index - 1] if self.index else None

    def stricter(self) -> Job:
        """The job of a second try, after a sentence that failed the checks."""
        return replace(self, strict=True)

    @property
    def main(self) -> bool:
        return self.before is None

    def openers(self) -> list[str]:
        """How the sentence may open: who acts, after a join for a later action."""
        source = self.story.text
        who = [opening(w, source) for w in self.action.who]
        if self.before is None:
            return who
        if (self.before.imposer, self.before.who[0]) == (self.action.imposer, self.action.who[0]):
            return [*joins(same=True, source=source), *who]
        return [f"{j} {w}" for j in joins(same=False, source=source) for w in self.action.who] + who

    def verbs(self) -> list[str]:
        """The verbs of the action's status that fit its object."""
        status = self.action.status
        if counts_measures(self.action):
            return [wording().bare[status]]
        named = self.action.count or self._few_targets()
        verbs = [
            v for v in wording().verbs[status] if named or v not in wording().need_count[status]
        ]
        phrase = measures_phrase(self.action)
        if phrase:
            verbs.append(wording().with_measures[status].format(measures=phrase))
        return list(dict.fromkeys(verbs))

    def endings(self) -> list[str]:
        """What closes the sentence: how long the measures run and the legal basis, when the
        action has them ("until 15 May 2025, under Decision 2014/145/CFSP")."""
        basis = self.action.basis[:2]
        term = f" {self.action.term}" if self.action.term else ""
        laws = list(dict.fromkeys([listing(basis), basis[0]])) if basis else []
        endings = [
            f"{term}{comma} under {the}{law}"
            for law in laws
            for comma in (",", "")
            for the in ("", "the ")
        ]
        return endings or ([term] if term else [])

    def context(self) -> dict[str, Any]:
        """The template's variables."""
        action = self.action
        return {
            "before": self.before_text,
            "who": list(action.who),
            "verbs": self.verbs(),
            "count": action.count,
            "against": list(action.places[:4]),
            "named": list(action.targets[:4]),
            "measures": measures_phrase(action),
            "why": action.reason,
            "law": list(action.basis[:2]),
            "sentence": fence(self.source()),
        }

    def source(self) -> str:
        """The article's words the sentence is written from: the action's sentence, after the
        title for the main action."""
        title = self.story.title if self.main else None
        return f"{title}\n{self.action.sentence}" if title else self.action.sentence

    def facts_text(self) -> str:
        """The facts as one text (word pairs from it count as the article's own)."""
        action = self.action
        parts = [
            *self.openers(),
            *self.verbs(),
            action.count or "",
            *action.places,
            *action.targets,
        ]
        return "\n".join([*parts, measures_phrase(action), action.reason or "", *self.endings()])

    def grammar(self) -> str:
        """The GBNF grammar of the sentence (see :mod:`summarizer.write.grammar`): names, numbers
        and words from the facts and the action's sentence (not the title's capitalized words) and a
        few connectives; the names of the legal basis only in the ending, unless they are also a
        place's or a target's. A second try copies one run of the action's sentence word for word
        after the required phrase."""
        action = self.action
        # not the title's words: a title capitalizes every word, and they read as names
        names = grammar.names_in(
            [action.sentence, *action.places, *action.targets, action.reason or ""]
        )
        basis = set(grammar.names_in(action.basis)) - set(
            grammar.names_in([*action.places, *action.targets])
        )
        if self.strict:
            return grammar.span_sentence(
                openers=self.openers(),
                verbs=self.verbs(),
                required=self.required(),
                source=action.sentence,
                phrase_openers=wording().phrase_openers,
                ending=self.endings(),
            )
        words = min(MAX_WORDS, (self.budget - 60) // CHARS_PER_WORD)
        return grammar.sentence(
            openers=self.openers(),
            verbs=self.verbs(),
            required=self.required(),
            names=[n for n in names if n not in basis],
            words=grammar.words_in([self.source(), self.facts_text(), *wording().connectives]),
            ending=self.endings(),
            max_words=max(4, words),
        )

    def _few_targets(self) -> str | None:
        """The named targets, when there are few enough to name them all."""
        targets = self.action.targets
        return listing(targets) if 0 < len(targets) <= 3 else None

    def required(self) -> list[str]:
        """What must follow the verb: the count as written; on a second try, also where (or,
        without a count, whom)."""
        count, places = self.action.count, self.action.places[:3]
        if not self.strict:
            return [count] if count else []
        if count:
            return [f"{count} in {place}" for place in places] or [count]
        whom = self._few_targets()
        return [whom] if whom else list(places)

    def parse(self, raw: str, *, source: str) -> str:
        """The sentence in a reply, if it passes the checks; else :class:`ParseError`."""
        lines = [line.strip() for line in raw.strip().splitlines() if line.strip()]
        text = " ".join(_LABEL.sub("", lines[0] if lines else "").strip().strip('"').split())
        errors = []
        if len(text) < 20 or not text.endswith("."):
            errors.append("write one whole sentence, ending with a full stop")
        text = self._fitted(text)
        errors += self._verb_problem(text)
        errors += problems(text, self.action, source, main=self.main, facts=self.facts_text())
        if errors:
            raise ParseError(errors[:5])
        return text

    def _fitted(self, text: str) -> str:
        """The sentence within its budget, cut where a phrase ends (its legal basis kept)."""
        body = text.removesuffix(".")
        ending = next((e for e in self.endings() if body.endswith(e)), "")
        body = clip(body.removesuffix(ending), self.budget - len(ending) - 1)
        return f"{body}{ending}."

    def _verb_problem(self, text: str) -> list[str]:
        """A sentence without any verb of its action's status (a remote model, ungrammared)."""
        heads = {v.split()[0] for v in self.verbs()}
        if any(re.search(rf"\b{re.escape(h)}\b", text) for h in heads):
            return []
        return [f"say what {self.action.who[0]} did with one of: {', '.join(self.verbs())}"]
