"""The output contract (SPEC §1): pydantic models, validators, JSON Schema export.

Validate with the source text as context to ground evidence::

    SanctionsSummary.model_validate(data, context={"source": text})
"""

from __future__ import annotations

import copy
from datetime import date
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from summarizer.grounding import MIN_QUOTE_CHARS, AlignmentStatus, align, normalize_space
from summarizer.injection import instruction_spans, overlaps
from summarizer.normalize import country_code, legal_basis

SCHEMA_VERSION = "1"
MAX_ACTIONS, MAX_TARGETS, MAX_OFFICIALS = 20, 400, 30


class Status(StrEnum):
    """State of a sanctions development (SPEC §1)."""

    IMPOSED = "imposed"
    ANNOUNCED = "announced"
    THREATENED = "threatened"
    PROPOSED = "proposed"
    LIFTED = "lifted"
    EASED = "eased"
    EXTENDED = "extended"


class Measure(StrEnum):
    """Kinds of restrictive measure."""

    ASSET_FREEZE = "asset_freeze"
    TRAVEL_BAN = "travel_ban"
    EXPORT_CONTROLS = "export_controls"
    IMPORT_RESTRICTIONS = "import_restrictions"
    FINANCIAL_RESTRICTIONS = "financial_restrictions"
    INVESTMENT_BAN = "investment_ban"
    SERVICES_BAN = "services_ban"
    TRANSPORT_RESTRICTIONS = "transport_restrictions"
    ARMS_EMBARGO = "arms_embargo"
    PRICE_CAP = "price_cap"
    SECONDARY_SANCTIONS = "secondary_sanctions"
    OTHER = "other"


class CountQualifier(StrEnum):
    """How exact ``target_count`` is."""

    EXACT = "exact"
    MORE_THAN = "more_than"
    ABOUT = "about"
    UP_TO = "up_to"


class TargetKind(StrEnum):
    """What a named target is."""

    PERSON = "person"
    ORGANIZATION = "organization"
    VESSEL = "vessel"
    AIRCRAFT = "aircraft"


def _country(value: str) -> str:
    code = country_code(value)
    if code is None or code in {"EU", "UN"}:
        raise ValueError(f"{value!r} is not an ISO 3166-1 alpha-2 country code (e.g. 'RU', 'IR')")
    return code


def _imposer(value: str) -> str:
    code = country_code(value)
    if code is None:
        raise ValueError(
            f"{value!r} is not a jurisdiction code: use ISO alpha-2 ('US'), 'EU' or 'UN'"
        )
    return code


def _text(value: str) -> str:
    return normalize_space(value)


CountryCode = Annotated[str, AfterValidator(_country)]
Imposer = Annotated[str, AfterValidator(_imposer)]
Name = Annotated[str, Field(min_length=1, max_length=200), AfterValidator(_text)]
ShortText = Annotated[str, Field(min_length=1, max_length=300), AfterValidator(_text)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", use_enum_values=False)


class EvidenceSpan(_Model):
    """Where an evidence quote sits in the source: char offsets and how it was matched."""

    quote: str
    start: int
    end: int
    status: AlignmentStatus
    score: float


class Target(_Model):
    """A person, organization, vessel or aircraft named as subject to an action."""

    name: Name
    kind: TargetKind
    country: CountryCode | None = None


class Official(_Model):
    """A person quoted or named as announcing."""

    name: Name
    title: ShortText | None = None
    organization: ShortText | None = None


class SanctionAction(_Model):
    """One distinct sanctions development reported by the text."""

    imposer: Imposer
    authority: ShortText | None = None
    status: Status
    target_countries: list[CountryCode] = Field(default_factory=list, max_length=40)
    targets: list[Target] = Field(default_factory=list, max_length=MAX_TARGETS)
    measures: list[Measure] = Field(default_factory=list, max_length=12)
    reason: Annotated[str, Field(max_length=400), AfterValidator(_text)] | None = None
    legal_basis: list[ShortText] = Field(default_factory=list, max_length=20)
    target_count: int | None = Field(default=None, ge=0)
    count_qualifier: CountQualifier | None = None
    effective_date: date | None = None
    evidence: list[Annotated[str, Field(max_length=1000)]] = Field(min_length=1, max_length=3)
    evidence_spans: list[EvidenceSpan] = Field(
        default_factory=list,
        description="Filled during validation with a source: where each evidence quote sits.",
    )

    @field_validator("measures")
    @classmethod
    def _unique_measures(cls, value: list[Measure]) -> list[Measure]:
        return list(dict.fromkeys(value))

    @field_validator("legal_basis")
    @classmethod
    def _normalize_legal_basis(cls, value: list[str]) -> list[str]:
        return list(dict.fromkeys(legal_basis(item) for item in value))

    @model_validator(mode="after")
    def _consistent(self, info: ValidationInfo) -> SanctionAction:
        countries = set(self.target_countries)
        countries.update(t.country for t in self.targets if t.country)
        self.target_countries = sorted(countries)
        if (self.target_count is None) != (self.count_qualifier is None):
            raise ValueError(
                "count_qualifier must be null exactly when target_count is null "
                f"(got target_count={self.target_count}, count_qualifier={self.count_qualifier})"
            )
        self.evidence = [normalize_space(q) for q in self.evidence]
        short = [q for q in self.evidence if len(q) < MIN_QUOTE_CHARS]
        if short:
            raise ValueError(
                f"evidence quotes must be at least {MIN_QUOTE_CHARS} characters: {short!r}"
            )
        source = _source(info)
        if source is not None:
            self.evidence_spans = _ground(self.evidence, source)
        return self


def _source(info: ValidationInfo) -> str | None:
    context = info.context
    if isinstance(context, dict):
        source = context.get("source")
        if isinstance(source, str):
            return source
    return None


def _ground(quotes: list[str], source: str) -> list[EvidenceSpan]:
    spans: list[EvidenceSpan] = []
    missing: list[str] = []
    for quote in quotes:
        found = align(quote, source)
        if not found.grounded or found.start is None or found.end is None:
            missing.append(quote)
            continue
        spans.append(
            EvidenceSpan(
                quote=quote,
                start=found.start,
                end=found.end,
                status=found.status,
                score=found.score,
            )
        )
    if missing:
        raise ValueError(
            "evidence must be copied verbatim from the article; not found in the source: "
            + "; ".join(repr(q[:120]) for q in missing)
        )
    injected = instruction_spans(source)
    planted = [s.quote for s in spans if overlaps(s.start, s.end, injected)]
    if planted:
        raise ValueError(
            "evidence quotes a passage that gives instructions to the model or embeds JSON "
            "(a prompt injection), not the article's reporting: "
            + "; ".join(repr(q[:120]) for q in planted)
        )
    return spans


class SanctionsSummary(_Model):
    """A typed, evidence-grounded summary of one sanctions text (SPEC §1)."""

    schema_version: Literal["1"] = "1"
    is_sanctions_news: bool
    headline: Annotated[str, Field(max_length=160), AfterValidator(_text)]
    summary: Annotated[str, Field(max_length=700), AfterValidator(_text)]
    published_date: date | None = None
    actions: list[SanctionAction] = Field(default_factory=list, max_length=MAX_ACTIONS)
    officials: list[Official] = Field(default_factory=list, max_length=MAX_OFFICIALS)

    @model_validator(mode="after")
    def _actions_need_news(self) -> SanctionsSummary:
        if not self.is_sanctions_news and self.actions:
            raise ValueError("is_sanctions_news is false, so actions must be empty")
        return self


#: Fields the library computes; models never write them.
COMPUTED_FIELDS = ("schema_version", "evidence_spans")


def json_schema() -> dict[str, Any]:
    """The full JSON Schema of :class:`SanctionsSummary` (what the library returns)."""
    return SanctionsSummary.model_json_schema()


def output_schema(
    *, max_actions: int = 6, max_targets: int = 40, max_officials: int = 6
) -> dict[str, Any]:
    """The JSON Schema a model fills: computed fields removed, every property required, lists bounded."""
    schema = copy.deepcopy(SanctionsSummary.model_json_schema())
    bounds = {"actions": max_actions, "targets": max_targets, "officials": max_officials}
    for node in [schema, *schema.get("$defs", {}).values()]:
        props: dict[str, Any] = node.get("properties", {})
        for name in COMPUTED_FIELDS:
            props.pop(name, None)
        if not props:
            continue
        for name, prop in props.items():
            prop.pop("default", None)
            if name in bounds:
                prop["maxItems"] = min(prop.get("maxItems", bounds[name]), bounds[name])
        node["required"] = list(props)
        node["additionalProperties"] = False
    return schema
