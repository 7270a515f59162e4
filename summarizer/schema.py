"""The output contract (docs/schema.md): pydantic models, validators, JSON Schema export.

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
    """State of a sanctions development (docs/schema.md#status)."""

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
    """Where an evidence quote sits in the source: char offsets and how it was matched.

    ``start``/``end`` index the cleaned text (``Result.source``); ``raw_start``/``raw_end`` index
    the input exactly as given (CRLF, BOM, zero-width characters counted), null for HTML input."""

    quote: str = Field(description="The evidence quote as the model or the rules wrote it.")
    start: int = Field(description="Offset of the quote's first character in the cleaned source.")
    end: int = Field(description="Offset just after the quote's last character (exclusive).")
    status: AlignmentStatus = Field(
        description="How the quote was found: exact, normalized (space, case, quote marks) or fuzzy."
    )
    score: float = Field(description="Match score, 0-100 (100 for exact and normalized matches).")
    raw_start: int | None = Field(
        default=None,
        description="Offset of the quote's first character in the input exactly as given "
        "(null for HTML input).",
    )
    raw_end: int | None = Field(
        default=None,
        description="Offset just after the quote's last character in the input as given (exclusive).",
    )


class Target(_Model):
    """A person, organization, vessel or aircraft named as subject to an action."""

    name: Name = Field(
        description="The name as first written in the text, without aliases or titles; legal forms "
        "kept (e.g. 'Ningbo Huaxin Precision Machinery Co., Ltd.')."
    )
    kind: TargetKind = Field(description="person, organization, vessel or aircraft.")
    country: CountryCode | None = Field(
        default=None,
        description="ISO 3166-1 alpha-2 code of the stated nationality, else the stated base or "
        "registration (a vessel's flag); null when the text does not say.",
    )


class Official(_Model):
    """A person quoted or named as announcing."""

    name: Name = Field(description="The person's name as written, without titles.")
    title: ShortText | None = Field(
        default=None, description="Their title as the text gives it ('Secretary of the Treasury')."
    )
    organization: ShortText | None = Field(
        default=None, description="The body they speak for, when the text names it."
    )


class SanctionAction(_Model):
    """One distinct sanctions development reported by the text."""

    imposer: Imposer = Field(
        description="Code of the sanctioning jurisdiction: ISO 3166-1 alpha-2 ('US', 'GB', 'JP') or "
        "'EU', 'UN'. The White House, State, Treasury and OFAC are 'US'; the Council and the "
        "Commission 'EU'; the Security Council and its committees 'UN'."
    )
    authority: ShortText | None = Field(
        default=None,
        description="The acting body as the text names it ('Office of Foreign Assets Control', "
        "'Council of the European Union'); null when no body is named.",
    )
    status: Status = Field(
        description="imposed (put in place now), announced (decided or planned, not yet in force), "
        "threatened (conditional warning), proposed (formally proposed, not adopted), lifted "
        "(removed), eased (general licence, waiver, exemption, suspension), extended (renewed)."
    )
    target_countries: list[CountryCode] = Field(
        default_factory=list,
        max_length=40,
        description="ISO alpha-2 codes, sorted and unique: the country the measures are aimed at (the "
        "programme country) plus the country of every named target. Never the imposer.",
    )
    targets: list[Target] = Field(
        default_factory=list,
        max_length=MAX_TARGETS,
        description="Persons, organizations, vessels and aircraft named as subject to this action; "
        "generic groups ('Russian businessmen') are not targets.",
    )
    measures: list[Measure] = Field(
        default_factory=list,
        max_length=12,
        description="Measures the text states or unambiguously implies (a US designation blocks "
        "property: asset_freeze). Empty when the text gives no detail. Expulsions, tariffs and "
        "indictments are not measures.",
    )
    reason: Annotated[str, Field(max_length=400), AfterValidator(_text)] | None = Field(
        default=None, description="The stated rationale, short, in the text's terms."
    )
    legal_basis: list[ShortText] = Field(
        default_factory=list,
        max_length=20,
        description="Normalized legal instruments: 'E.O. 14024', 'Regulation (EU) 833/2014', "
        "'Decision (CFSP) 2024/745', 'UNSCR 2231'; other statutes as written.",
    )
    target_count: int | None = Field(
        default=None,
        ge=0,
        description="How many targets this action covers when the text says so ('11 individuals "
        "and 29 entities' -> 40; 'more than 500' -> 500). Cumulative totals are not this count.",
    )
    count_qualifier: CountQualifier | None = Field(
        default=None,
        description="exact, more_than, about or up_to; null exactly when target_count is null.",
    )
    effective_date: date | None = Field(
        default=None, description="When the measures take or took effect, if the text states it."
    )
    evidence: list[Annotated[str, Field(max_length=1000)]] = Field(
        min_length=1,
        max_length=3,
        description="1-3 verbatim quotes from the text (at least 20 characters each) that state "
        "this action, preferably the sentence that announces it.",
    )
    evidence_spans: list[EvidenceSpan] = Field(
        default_factory=list,
        description="Computed during validation with a source: where each evidence quote sits.",
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
    """A typed, evidence-grounded summary of one sanctions text (docs/schema.md)."""

    schema_version: Literal["1"] = Field(
        default="1", description="Version of this schema; changes only with breaking changes."
    )
    is_sanctions_news: bool = Field(
        description="True when the text reports a new sanctions development (imposed, announced, "
        "threatened, proposed, lifted, eased or extended); false for background, enforcement "
        "penalties, and 'sanctions' in another sense. When false, actions is empty."
    )
    headline: Annotated[str, Field(max_length=160), AfterValidator(_text)] = Field(
        description="One neutral sentence of at most 160 characters: who sanctions whom, and why."
    )
    summary: Annotated[str, Field(max_length=700), AfterValidator(_text)] = Field(
        description="1-4 sentences, at most 700 characters; every name, number and date in it "
        "occurs in the text."
    )
    published_date: date | None = Field(
        default=None,
        description="Date of publication or announcement stated in the text (ISO 8601); null when "
        "the text only says 'today'.",
    )
    actions: list[SanctionAction] = Field(
        default_factory=list,
        max_length=MAX_ACTIONS,
        description="One entry per distinct development, most prominent first. Earlier measures "
        "mentioned as background are not actions.",
    )
    officials: list[Official] = Field(
        default_factory=list,
        max_length=MAX_OFFICIALS,
        description="People quoted or named as announcing the development.",
    )

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
