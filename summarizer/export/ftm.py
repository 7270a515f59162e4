"""Results as FollowTheMoney entities, one JSON object a line, as OpenSanctions and Aleph load them.

Per article an ``Article`` (the source document); per named target a ``Person``, ``Company`` (a
legal form such as LLC or PJSC in the name, found by rigour), ``Organization``, ``Vessel`` (with its
IMO number where the text states it) or ``Airplane``; per action and target a ``Sanction``. An
action that names no target gets a ``Sanction`` per target country, whose entity is that
``Territory``, or, without countries either, one whose entity is the article. Every entity is built
and validated with the ``followthemoney`` model; ids are hashes of content, so they are stable
across runs, and a target named in several articles is one entity. See ``docs/analysts.md``.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable
from typing import IO, Any

from followthemoney import ValueEntity, model, registry
from followthemoney.exc import InvalidData
from rigour.ids import IMO
from rigour.names.org_types import extract_org_types

from summarizer.errors import SummarizerError
from summarizer.records import Record
from summarizer.schema import SanctionAction, SanctionsSummary, Status, Target, TargetKind

log = logging.getLogger(__name__)

#: The dataset name written on every entity.
DATASET = "sanctions_summarizer"
_SCHEMA = {
    TargetKind.PERSON: "Person",
    TargetKind.ORGANIZATION: "Organization",
    TargetKind.VESSEL: "Vessel",
    TargetKind.AIRCRAFT: "Airplane",
}
_IMO_NEAR = r"[^.\n]{{0,60}}?\bIMO\b\D{{0,15}}(\d{{7}})"


class ExportError(SummarizerError):
    """An entity failed the FollowTheMoney model's validation."""


class _Builder:
    """Entities of one export, merged by id, in the order they were first made."""

    def __init__(self, dataset: str) -> None:
        self.dataset = dataset
        self.entities: dict[str, ValueEntity] = {}

    def make(self, schema: str, *key: Any, **props: Any) -> ValueEntity:
        entity = ValueEntity(model[schema], {"datasets": [self.dataset]})
        ident = entity.make_id(json.dumps([schema, *key], ensure_ascii=False, default=str))
        assert ident is not None  # the key is never empty
        for name, values in props.items():
            prop = entity.schema.properties[name]
            for value in values if isinstance(values, list) else [values]:
                if value is None or value == "":
                    continue
                if prop.type.clean(str(value), proxy=entity) is None:
                    log.warning("%s.%s: %r is not a valid value; left out", schema, name, value)
                    continue
                entity.add(prop, str(value))
        known = self.entities.get(ident)
        self.entities[ident] = entity if known is None else known.merge(entity)
        return entity

    def dicts(self) -> list[dict[str, Any]]:
        out = []
        for entity in self.entities.values():
            data = entity.to_dict()
            try:
                entity.schema.validate({"properties": entity.properties})
            except InvalidData as exc:
                raise ExportError(
                    f"{entity.schema.name} {entity.id} is not valid FtM: {exc}"
                ) from None
            data["caption"] = entity.caption
            out.append(data)
        return out


def _imo(name: str, texts: Iterable[str]) -> str | None:
    pattern = re.compile(re.escape(name) + _IMO_NEAR.format(), re.IGNORECASE)
    for text in texts:
        for match in pattern.finditer(text):
            if IMO.is_valid_vessel(match.group(1)):
                return f"IMO{match.group(1)}"
    return None


def _target_schema(target: Target) -> str:
    if target.kind is TargetKind.ORGANIZATION:
        return "Company" if extract_org_types(target.name.casefold()) else "Organization"
    return _SCHEMA[target.kind]


def _target(build: _Builder, target: Target, texts: list[str], article: str | None) -> ValueEntity:
    schema = _target_schema(target)
    key = " ".join(target.name.casefold().split())
    extra = {"imoNumber": _imo(target.name, texts)} if target.kind is TargetKind.VESSEL else {}
    return build.make(
        schema, key, target.country, name=target.name, country=target.country, proof=article,
        **extra,
    )  # fmt: skip


def _article(build: _Builder, record: Record) -> ValueEntity:
    summary = record.summary
    key = record.source_sha256 or [record.id, summary.headline, summary.summary]
    return build.make(
        "Article", key, title=summary.headline or record.id, summary=summary.summary,
        publishedAt=summary.published_date, bodyText=record.source,
    )  # fmt: skip


def _sanction(build: _Builder, action: SanctionAction, summary: SanctionsSummary, entity: ValueEntity,
              article: ValueEntity) -> None:  # fmt: skip
    status = f"Status: {action.status.value}."
    if action.measures:
        status += (
            " Measures: " + ", ".join(m.value.replace("_", " ") for m in action.measures) + "."
        )
    imposed = action.status is Status.IMPOSED
    build.make(
        "Sanction", article.id, entity.id, action.imposer, action.status.value, action.evidence,
        entity=entity.id, country=action.imposer.lower(), authority=action.authority,
        program=action.legal_basis, provisions=[m.value.replace("_", " ") for m in action.measures],
        reason=action.reason, startDate=action.effective_date,
        listingDate=summary.published_date if imposed else None, summary=status,
        description="\n".join(action.evidence), proof=article.id,
    )  # fmt: skip


def _subjects(
    build: _Builder, action: SanctionAction, texts: list[str], article: ValueEntity
) -> list[ValueEntity]:
    if action.targets:
        return [_target(build, t, texts, article.id) for t in action.targets]
    if action.target_countries:
        names = registry.country.names
        return [
            build.make("Territory", code, name=names.get(code.lower(), code), country=code)
            for code in action.target_countries
        ]
    return [article]


def ftm_entities(records: Iterable[Record], *, dataset: str = DATASET) -> list[dict[str, Any]]:
    """The FollowTheMoney entities of ``records``, as JSON-ready dicts, validated."""
    build = _Builder(dataset)
    for record in records:
        article = _article(build, record)
        for action in record.summary.actions:
            texts = [*action.evidence, record.source or ""]
            for subject in _subjects(build, action, texts, article):
                _sanction(build, action, record.summary, subject, article)
    return build.dicts()


def write_ftm(records: Iterable[Record], out: IO[str], *, dataset: str = DATASET) -> int:
    """Write the entities of ``records`` to ``out``, one JSON object a line; returns how many."""
    entities = ftm_entities(records, dataset=dataset)
    for entity in entities:
        out.write(json.dumps(entity, ensure_ascii=False, sort_keys=True) + "\n")
    return len(entities)
