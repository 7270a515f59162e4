"""Link every named target of some results to a sanctions list the user supplies, offline.

The list is a FollowTheMoney entity file (an OpenSanctions export, say) or OFAC's SDN CSV
(``sdn.csv``, with ``alt.csv`` and ``add.csv`` beside it when present). Names are indexed by the
tokens nomenklatura's blocker makes of them (name parts transliterated to Latin, name symbols that
join spellings across scripts, a word-order-free name key); each target is scored against its best
few candidates with nomenklatura's ``logic-v2`` matcher, which compares names with rigour (aliases,
legal forms, word order) and takes the target's kind (FtM schema) and country as evidence.
See ``docs/analysts.md`` for the threshold and the output.
"""

from __future__ import annotations

import csv
import heapq
import json
import math
import os
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from followthemoney import ValueEntity, model
from followthemoney.exc import InvalidData
from nomenklatura.blocker.tokenizer import NAME_PART_FIELD, SYMBOL_FIELD, tokenize_entity
from nomenklatura.matching import LogicV2

from summarizer.errors import InputError
from summarizer.records import Record
from summarizer.schema import Target, TargetKind

#: Matches scoring at least this (logic-v2, 0 to 1) are reported.
THRESHOLD = 0.7
#: Candidates per target that the blocker hands to the matcher.
CANDIDATES = 30
#: Tokens shared by more list entities than this do not select candidates (too common to tell).
MAX_POSTINGS = 5000
_FIELDS = {NAME_PART_FIELD, SYMBOL_FIELD, "name"}
_SCHEMA = {
    TargetKind.PERSON: "Person",
    TargetKind.ORGANIZATION: "Organization",
    TargetKind.VESSEL: "Vessel",
    TargetKind.AIRCRAFT: "Airplane",
}


@dataclass(frozen=True)
class Match:
    """A list entity a target matches, with the matcher's score."""

    id: str
    caption: str
    score: float
    datasets: list[str]
    schema: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "caption": self.caption,
            "score": round(self.score, 3),
            "datasets": self.datasets,
            "schema": self.schema,
        }


@dataclass(frozen=True)
class TargetLinks:
    """One named target of one record (the actions that name it), and its matches, best first."""

    record_id: str
    target: Target
    actions: list[int]
    matches: list[Match] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.record_id,
            "target": self.target.model_dump(mode="json"),
            "actions": self.actions,
            "matches": [m.as_dict() for m in self.matches],
        }


def query_entity(target: Target) -> ValueEntity:
    """The FtM entity a target is matched as: its kind's schema, name and country."""
    entity = ValueEntity(model[_SCHEMA[target.kind]], {})
    entity.make_id("query", target.kind.value, target.name, target.country)
    entity.add("name", target.name)
    if target.country:
        entity.add("country", target.country.lower())
    return entity


class SanctionsList:
    """List entities with an inverted index of their name tokens (the blocker)."""

    def __init__(self, entities: Iterable[ValueEntity]) -> None:
        self.entities: list[ValueEntity] = []
        postings: defaultdict[str, list[int]] = defaultdict(list)
        for entity in entities:
            if not entity.schema.matchable or not entity.id or not entity.names:
                continue
            index = len(self.entities)
            self.entities.append(entity)
            for token in _tokens(entity):
                postings[token].append(index)
        self._postings = dict(postings)
        total = max(1, len(self.entities))
        self._weight = {t: math.log(1 + total / len(p)) for t, p in self._postings.items()}

    def __len__(self) -> int:
        return len(self.entities)

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> SanctionsList:
        """Read a FtM entity file (JSON lines) or OFAC's SDN CSV (``*.csv``)."""
        file = Path(path)
        if not file.is_file():
            raise InputError(f"sanctions list not found: {file}", hint="check the path")
        if file.suffix.lower() == ".csv":
            return cls(read_sdn_csv(file))
        return cls(read_ftm(file))

    def candidates(self, query: ValueEntity, limit: int = CANDIDATES) -> list[ValueEntity]:
        """The list entities sharing the most telling name tokens with ``query``."""
        scores: defaultdict[int, float] = defaultdict(float)
        for token in _tokens(query):
            found = self._postings.get(token, ())
            if not found or len(found) > MAX_POSTINGS:
                continue
            weight = self._weight[token]
            for index in found:
                scores[index] += weight
        best = heapq.nlargest(limit, scores.items(), key=lambda item: item[1])
        return [self.entities[index] for index, _ in best]

    def match(self, target: Target, *, threshold: float = THRESHOLD, limit: int = 5) -> list[Match]:
        """The entities ``target`` matches at ``threshold`` or above, best first, at most ``limit``."""
        query = query_entity(target)
        config = LogicV2.default_config()
        found = []
        for candidate in self.candidates(query):
            score = LogicV2.compare(query, candidate, config).score
            if score >= threshold:
                found.append(
                    Match(
                        str(candidate.id),
                        candidate.caption,
                        score,
                        sorted(candidate.datasets),
                        candidate.schema.name,
                    )
                )
        found.sort(key=lambda m: (-m.score, m.id))
        return found[:limit]


def _tokens(entity: ValueEntity) -> set[str]:
    return {token for name, token in tokenize_entity(entity) if name in _FIELDS}  # type: ignore[arg-type]


def link(
    records: Iterable[Record],
    against: SanctionsList,
    *,
    threshold: float = THRESHOLD,
    limit: int = 5,
) -> list[TargetLinks]:
    """Every named target of ``records`` (once per record) with its matches in ``against``."""
    out: list[TargetLinks] = []
    for record in records:
        seen: dict[tuple[str, str, str | None], TargetLinks] = {}
        for number, action in enumerate(record.summary.actions):
            for target in action.targets:
                key = (" ".join(target.name.casefold().split()), target.kind.value, target.country)
                if key in seen:
                    seen[key].actions.append(number)
                    continue
                matches = against.match(target, threshold=threshold, limit=limit)
                seen[key] = TargetLinks(record.id, target, [number], matches)
                out.append(seen[key])
    return out


def read_ftm(path: Path) -> Iterator[ValueEntity]:
    """FtM entities from a JSON-lines file (an OpenSanctions ``entities.ftm.json``, say)."""
    with path.open(encoding="utf-8-sig") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                data = json.loads(line)
                yield ValueEntity.from_dict(data, cleaned=False)
            except (json.JSONDecodeError, InvalidData, KeyError, TypeError) as exc:
                raise InputError(
                    f"{path} line {number} is not a FollowTheMoney entity ({exc})",
                    hint="pass FtM JSON lines (an OpenSanctions export) or OFAC's sdn.csv",
                ) from None


# OFAC's SDN CSV: no header; "-0-" marks an empty field. Remarks hold aliases and nationalities.
_SDN_COLUMNS = ("ent_num", "name", "type", "program", "title", "call_sign", "vessel_type",
                "tonnage", "grt", "flag", "owner", "remarks")  # fmt: skip
_SDN_SCHEMA = {"individual": "Person", "vessel": "Vessel", "aircraft": "Airplane"}
_AKA = re.compile(r"\b[afn]\.k\.a\.,?\s+'([^']+)'", re.IGNORECASE)
_NATIONALITY = re.compile(r"\b(?:nationality|citizen)\s+([^;.]+)", re.IGNORECASE)
_IMO = re.compile(r"\bIMO\s+(\d{7})\b")


def _sdn_rows(path: Path) -> Iterator[dict[str, str]]:
    if not path.is_file():
        return
    with path.open(encoding="utf-8-sig", errors="replace", newline="") as handle:
        for row in csv.reader(handle):
            if row and row[0].strip().isdigit():
                yield {
                    k: ("" if v.strip() == "-0-" else v.strip())
                    for k, v in zip(_SDN_COLUMNS, row, strict=False)
                }


def _sdn_extras(folder: Path) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    aliases: defaultdict[str, list[str]] = defaultdict(list)
    countries: defaultdict[str, list[str]] = defaultdict(list)
    for file, into, column in (("alt.csv", aliases, 3), ("add.csv", countries, 5)):
        path = folder / file
        if path.is_file():
            with path.open(encoding="utf-8-sig", errors="replace", newline="") as handle:
                for row in csv.reader(handle):
                    if len(row) > column and row[column].strip() not in ("", "-0-"):
                        into[row[0].strip()].append(row[column].strip())
    return aliases, countries


def read_sdn_csv(path: Path) -> Iterator[ValueEntity]:
    """Entities of OFAC's ``sdn.csv`` (aliases from ``alt.csv`` and remarks, countries from
    ``add.csv`` and remarks, IMO numbers from remarks)."""
    aliases, countries = _sdn_extras(path.parent)
    rows = 0
    for row in _sdn_rows(path):
        rows += 1
        schema = _SDN_SCHEMA.get(row["type"].lower(), "LegalEntity")
        entity = ValueEntity(
            model[schema], {"id": f"ofac-{row['ent_num']}", "datasets": ["us_ofac_sdn"]}
        )
        entity.add("name", row["name"])
        remarks = row.get("remarks", "")
        entity.add("alias", [*aliases.get(row["ent_num"], []), *_AKA.findall(remarks)])
        entity.add("country", countries.get(row["ent_num"], []), fuzzy=True)
        entity.add("country", _NATIONALITY.findall(remarks), fuzzy=True)
        entity.add("program", row["program"])
        if schema == "Vessel":
            entity.add("flag", row["flag"], fuzzy=True)
            entity.add("imoNumber", [f"IMO{n}" for n in _IMO.findall(remarks)])
        yield entity
    if rows == 0:
        raise InputError(
            f"{path} has no SDN rows (expected OFAC's sdn.csv: number, name, type, program, …)",
            hint="pass OFAC's sdn.csv, or FollowTheMoney JSON lines",
        )
