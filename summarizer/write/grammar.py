"""GBNF grammars (llama.cpp) that let a small model write a sentence whose words can only be
copied: capitalized words and numbers from the facts and the action's sentence, lower-case words
from the article (so no name, number or word is invented)."""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Iterable, Sequence

#: A word the model may copy only from the facts: a capitalized word (abbreviation dots, hyphens
#: and apostrophes inside), a particle-joined name ("al-Hadrami"), or a number (with money signs,
#: separators, percent, and the letters of "2014/512/CFSP" or "7031(c)").
_TOKEN = re.compile(
    r"[$\u00a3\u20ac]?\d(?:[\w,./()-]*[\w%)])?"
    r"|(?<![\w-])(?:[a-z]{1,3}-)?[A-Z\u00c0-\u00de][\w\u00c0-\u024f'\u2019&+/-]*(?:\.[\w\u00c0-\u024f]+)*"
)
_ABBREVIATION = re.compile(
    r"^(?:[A-Z]\.)+$|^(?:[A-Z]\w{0,3}\.){2,}$|^(?:Inc|Ltd|Co|Corp|Jr|Sr|No|St|Mr|Ms|Dr)\.$"
)


def literal(text: str) -> str:
    """``text`` as a GBNF string literal."""
    return json.dumps(text, ensure_ascii=False)


_LOWER = re.compile(r"(?<![\w'\u2019-])[a-z](?:[a-z'\u2019-]*[a-z])?(?![\w'\u2019-])")


def words_in(texts: Iterable[str]) -> list[str]:
    """The lower-case words of ``texts``."""
    return list(dict.fromkeys(w for text in texts for w in _LOWER.findall(text)))


def names_in(texts: Iterable[str]) -> list[str]:
    """The capitalized words and numbers of ``texts``, as written (an abbreviation keeps its dot)."""
    found: dict[str, None] = {}
    for text in texts:
        for match in _TOKEN.finditer(text):
            word = match.group(0).rstrip(",.")
            while word.endswith(")") and word.count(")") > word.count("("):
                word = word[:-1]
            end = match.start() + len(word)
            if text[end : end + 1] == "." and _ABBREVIATION.match(word + "."):
                word += "."
            found[word] = None
    return list(found)


def trie(words: Sequence[str]) -> str:
    """An alternation of ``words`` shaped as a prefix tree: llama.cpp checks each vocabulary token
    against every open alternative, so shared prefixes keep decoding fast."""
    heads: dict[str, list[str]] = {}
    for word in dict.fromkeys(words):
        if word:
            heads.setdefault(word[0], []).append(word[1:])
    alternatives = []
    for head, rests in sorted(heads.items()):
        longer = [r for r in rests if r]
        if not longer:
            alternatives.append(literal(head))
            continue
        optional = "?" if len(longer) < len(rests) else ""
        prefix = _common_prefix(longer) if not optional and len(longer) > 1 else ""
        if prefix:
            inner = trie([r[len(prefix) :] for r in longer])
            alternatives.append(f"{literal(head + prefix)} ({inner})")
        elif len(longer) == 1:
            alternatives.append(f"{literal(head)} {literal(longer[0])}{optional}")
        else:
            alternatives.append(f"{literal(head)} ({trie(longer)}){optional}")
    return " | ".join(alternatives)


def _common_prefix(words: Sequence[str]) -> str:
    first, last = min(words), max(words)
    size = 0
    while size < min(len(first), len(last)) and first[size] == last[size]:
        size += 1
    return first[:size] if all(len(w) > size for w in words) else ""


def choice(options: Iterable[str]) -> str:
    """An alternation of fixed strings."""
    return " | ".join(literal(o) for o in dict.fromkeys(options))


def sentence(
    *,
    openers: Sequence[str],
    verbs: Sequence[str],
    required: Sequence[str],
    names: Sequence[str],
    words: Sequence[str],
    ending: Sequence[str],
    max_words: int,
) -> str:
    """A grammar for one sentence: an opener (who acts), a verb (the status), one of the
    ``required`` phrases when there are any (the count, say), up to ``max_words`` copied words and
    names, one of the ``ending`` phrases when there are any (the legal basis, say), a full stop."""
    middle = "required " if required else ""
    end = "ending " if ending else ""
    rules = [
        f'root ::= " "? opener " " verb {middle}item{{0,{max_words}}} {end}"."',
        f"opener ::= {choice(openers)}",
        f"verb ::= {choice(verbs)}",
        'item ::= ","? " " (word | name)',
        f"word ::= {trie(words) if words else literal('and')}",
        f"name ::= {trie(names) if names else literal('-')}",
    ]
    if required:
        rules.append(f"required ::= {choice(' ' + r for r in required)}")
    if ending:
        rules.append(f"ending ::= {choice(ending)}")
    return "\n".join(rules) + "\n"


#: The fewest words a copied run may have (shorter runs are fragments: "the main").
MIN_COPY = 4
_QUOTE = re.compile(r"[\"\u201c\u201d\u2018\u2019(){}\[\]]")


def copied(words: Sequence[str], openers: Collection[str]) -> list[str]:
    """Rules for ``copy``: a run of at least ``MIN_COPY`` consecutive ``words`` that starts where
    a phrase opens (after a comma, or at one of ``openers``) and holds no quotation mark or
    bracket (a run never opens or closes a quote)."""
    usable = [not _QUOTE.search(re.sub(r"['\u2019]s\b", "", w)) for w in words]
    rules = [
        f"copy{i} ::= {literal(' ' + word)}"
        + (f" copy{i + 1}?" if i + 1 < len(words) and usable[i + 1] else "")
        for i, word in enumerate(words)
        if usable[i]
    ]
    starts = []
    for i in range(len(words) - MIN_COPY + 1):
        run = range(i, i + MIN_COPY)
        opens = words[i].lower() in openers or (i > 0 and words[i - 1].endswith(","))
        if not opens or not all(usable[j] for j in run):
            continue
        follow = i + MIN_COPY
        tail = f" copy{follow}?" if follow < len(words) and usable[follow] else ""
        starts.append(literal("".join(f" {words[j]}" for j in run)) + tail)
    return [f"copy ::= {' | '.join(f'({s})' for s in starts)}", *rules] if starts else []


def span_sentence(
    *,
    openers: Sequence[str],
    verbs: Sequence[str],
    required: Sequence[str],
    source: str,
    phrase_openers: Collection[str],
    ending: Sequence[str],
) -> str:
    """A stricter grammar for a second try: the opener, the verb, the required phrase, then one
    run of consecutive words copied from ``source`` as it is written, the ending and a full stop."""
    middle = "required " if required else ""
    end = "ending " if ending else ""
    copy = copied(source.rstrip(".!?").split(), phrase_openers)
    run = '","? copy? ' if copy else ""
    rules = [
        f'root ::= " "? opener " " verb {middle}{run}{end}"."',
        f"opener ::= {choice(openers)}",
        f"verb ::= {choice(verbs)}",
        *copy,
    ]
    if required:
        rules.append(f"required ::= {choice(' ' + r for r in required)}")
    if ending:
        rules.append(f"ending ::= {choice(ending)}")
    return "\n".join(rules) + "\n"
