"""Cue rules: which sentences carry a sanctions development, in which status, with which measures."""

from __future__ import annotations

import re

from summarizer.schema import Measure, Status


def _rx(*patterns: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.I)


# A sentence must speak of sanctions to carry an action.
SANCTIONS = _rx(
    r"\bsanction(?:s|ed|ing)?\b", r"\bdesignat(?:e|es|ed|ing|ion|ions)\b", r"restrictive measures",
    r"asset[s]? freez", r"\bfreez(?:e|es|ing)\b.{0,40}\bassets?\b", r"\bfroze\b", r"\bblock(?:ed|ing|s)?\b.{0,40}\bproperty\b",
    r"visa restrictions?", r"travel bans?", r"entry bans?", r"\bdelist", r"\bSDN List\b", r"\blisting",
    r"\badded? (?:\w+ ){0,4}to (?:the|its) (?:\w+ ){0,3}(?:list|List)", r"general licen[cs]e", r"\bwaiver",
    r"\bembargo", r"export (?:ban|controls?|restrictions)", r"import ban", r"price cap", r"\bpackage\b",
    r"national emergency", r"\bfreezing of (?:funds|assets)\b", r"\b(?:funds|assets) (?:are|were|will be) frozen\b",
    r"\bremov(?:e|es|ed|ing)\b.{0,120}\bfrom (?:the|its) (?:[\w-]+ ){0,7}[Ll]ist\b", r"\b(?:economic|financial|severe|serious|massive|swift) (?:consequences|costs|penalties|measures)\b",
    r"\b(?:further|more|additional|new|heavy|higher) (?:costs|penalties|consequences|economic measures)\b",
)  # fmt: skip
NEGATED = _rx(
    r"\b(?:no|not|never|neither|nor|without)\b(?:\s+\w+){0,5}\s+(?:new\s+)?(?:sanction|designat|restrictive|penalt|remov|lift|unblock|listed)",
    r"\bdid not make it\b",
    r"\bsanctions?\b(?:\s+\w+){0,3}\s+(?:were|was|are|is|have|has)\s+not\b",
    r"\bdoes not (?:involve|include|amount)",
)

_LIFTED = _rx(
    r"\blift(?:s|ed|ing)?\b", r"\bdelist", r"\bremov(?:e|es|ed|ing)\b.{0,80}\b(?:from|off) (?:the|its) (?:\w+ ){0,3}(?:list|List)",
    r"\brevok(?:e|es|ed|ing)\b", r"\brevocation\b", r"\bremov(?:e|es|ed|ing)\b.{0,120}\bfrom (?:the|its) (?:[\w-]+ ){0,7}(?:list|List)\b", r"\bterminat(?:e|es|ed|ing|ion)\b", r"\brescind", r"\bunblock",
    r"\bend(?:s|ed|ing)?\b.{0,30}\bsanctions program", r"\bend(?:ed|s)? (?:the |its )?sanctions\b",
)  # fmt: skip
_EASED = _rx(
    r"general licen[cs]es?", r"\bwaivers?\b", r"\bexemptions?\b", r"\bexempt(?:s|ed|ing)?\b", r"\bcarve-?outs?\b",
    r"\bsuspen(?:d|ds|ded|ding|sion)\b", r"\beas(?:e|es|ed|ing)\b", r"\bsanctions relief\b", r"\bauthoriz(?:e|es|ed|ing) (?:certain |all |most )?(?:[\w-]+ ){0,3}transactions",
    r"\blicen[cs]e\b.{0,40}\b(?:issued|authoriz)",
)  # fmt: skip
_EXTENDED = _rx(
    r"\bextend(?:s|ed|ing)?\b", r"\bextension\b", r"\brenew(?:s|ed|ing|al)?\b", r"\bprolong", r"\broll(?:ed|s)? over\b",
    r"\bcontinu(?:e|es|ed|ing|ation)\b.{0,40}national emergency", r"\bfor (?:a further|another) (?:six|twelve|\d+) months\b",
)  # fmt: skip
_PROPOSED = _rx(
    r"\bpropos(?:e|es|ed|ing|al|als)\b", r"\b(?:a |the )?bill\b", r"\bintroduc(?:e|es|ed|ing)\b.{0,40}\b(?:bill|legislation)",
    r"\bput(?:s)? forward\b", r"\bdraft (?:package|regulation|law|legislation)\b",
)  # fmt: skip
_THREATENED = _rx(
    r"\bthreat(?:en|ens|ened|ening)\b (?:to |with |further |new |more |additional |sanctions)", r"\bthreatened\b.{0,40}\bsanctions",
    r"\bwarn(?:s|ed|ing)?\b.{0,140}\b(?:sanction|consequences|measures|costs|penalt)", r"\bprepared to\b", r"\bready to\b",
    r"\bstands? ready\b", r"\b(?:would|could|will) (?:\w+ ){0,2}(?:face|be met|trigger|result in|lead to|bring|prompt|draw|incur)\b",
    r"\bunless\b", r"\bif\b.{0,160}\b(?:sanction|measures|consequences|costs|penalties)",
    r"\b(?:sanction|measures|consequences|costs|penalties)\b.{0,160}\bif\b", r"^Should [A-Z]", r"\bsevere consequences\b",
    r"\bnot hesitate\b", r"\bkeep all options\b",
)  # fmt: skip
_ANNOUNCED = _rx(
    r"\bwill (?:\w+ ){0,2}(?:impose|sanction|announce|unveil|designate|adopt|target|add|introduce|roll out|list|ban|freeze|restrict|take)",
    r"\bplan(?:s|ned)? to\b", r"\bis set to\b", r"\bare set to\b", r"\bintends? to\b", r"\bin the coming (?:days|weeks)\b",
    r"\bnext (?:week|month)\b", r"\b(?:is|are) expected to\b", r"\bagreed to (?:impose|adopt)", r"\bon (?:Monday|Tuesday|Wednesday|Thursday|Friday)\b.{0,30}\b(?:will|plans)",
    r"\bwill (?:be|take) effect\b", r"\bwould be announced\b", r"\bforthcoming\b", r"\bupcoming\b",
)  # fmt: skip

# Sentences that describe the past or the standing regime, not this text's development.
BACKGROUND = _rx(
    r"\bpreviously\b", r"\bearlier (?:this|last) (?:year|month|week)\b", r"\bwas designated\b", r"\bwere designated\b",
    r"(?<!\bit )(?<!\bthey )(?<!\bthat )\bhad (?:been )?(?:designated|sanctioned|imposed)\b", r"\balready\b", r"\bto date\b", r"\bbringing the (?:total|number)\b",
    r"\bhas now (?:sanctioned|designated)\b", r"\bhave now (?:sanctioned|designated)\b", r"\bsince (?:19|20)\d\d\b", r"\bin force\b",
    r"\blast year\b", r"\bin (?:19|20)\d\d\b", r"\bdesignated (?:by OFAC )?in (?:January|February|March|April|May|June|July|August|September|October|November|December)\b",
    r"\bhas (?:sanctioned|designated) (?:more than|over)\b", r"\bsince the (?:start|beginning)\b", r"\bexisting\b", r"\bin total\b",
    r"\bwhich (?:authorizes|targets|provides for|allows)\b", r"\bprevious (?:package|round|designations?|listings?)\b",
    r"\b(?:adopted|imposed|designated|introduced|listed) (?:in|last) (?:January|February|March|April|May|June|July|August|September|October|November|December)\b",
    r"\b(?:[Tt]hose|[Tt]hese) (?:rules|measures|sanctions) (?:were|have|had|,)", r"\brepeatedly\b", r"\bha(?:s|ve) been (?:sanctioned|designated|listed|subject)\b",
    r"\bremains? (?:subject|listed|in place|under)\b", r"\bfirst (?:introduced|imposed|adopted)\b", r"\bframework (?:allows|enables|permits)\b",
    r"\ballows the [Gg]overnment to\b", r"\b(?:in|since|from) (?:January|February|March|April|May|June|July|August|September|October|November|December) (?:19|20)\d\d\b", r"\bunder (?:this|the) (?:framework|regime), the\b",
)  # fmt: skip
BOILERPLATE = _rx(
    r"property and interests in property", r"U\.S\. persons are (?:generally )?prohibited", r"foreign financial institutions?",
    r"\b50 percent or more\b", r"petition(?:s)? for (?:removal|delisting)", r"For (?:more )?(?:information|identifying information)",
    r"\bmay expose\b", r"\bstrength and integrity of\b", r"ultimate goal of sanctions", r"\bclick here\b", r"\bsanctions programs? administered\b",
    r"\bprohibitions include\b", r"\bviolations? of (?:U\.S\. )?sanctions may result\b", r"\bprohibit all transactions\b",
    r"\btaken by unanimity\b", r"\bregulations generally prohibit\b", r"\bmay (?:ask|request|petition|seek)\b", r"\bon the basis of (?:a )?proposals?\b", r"\bsubject to (?:an )?(?:asset freeze|the freezing).{0,80}\bEU citizens and companies are forbidden\b",
)  # fmt: skip
# "Sanctions" in another sense: sport, courts, discipline, enforcement of past violations, compliance.
OTHER_SENSE = _rx(
    r"\bfootball\b", r"\bFIFA\b", r"\bUEFA\b", r"\bclubs?\b", r"\bplayers?\b", r"\bfans\b", r"\bstadium\b", r"\bdoping\b", r"\bathlete", r"\bleague\b", r"\bmatch(?:es)?\b",
    r"\bdisciplinary\b", r"\bcourt\b.{0,40}\bsanction", r"\blawyers?\b", r"\bRule 11\b", r"\bcivil (?:monetary )?penalt",
    r"\bapparent violations?\b", r"\bsettle(?:d|s|ment)?\b", r"\bagreed to pay\b", r"\bpleaded guilty\b", r"\bconvicted\b",
    r"\bsentenced\b", r"\bmedical board\b", r"\blicen[cs]e was suspended\b", r"\btariffs?\b", r"\bexpel(?:s|led|ling)?\b",
    r"\bcompliance (?:program|team|officer)", r"\bwind(?:ing)? down\b", r"\bearnings\b", r"\bexit(?:s|ed|ing)? (?:the )?(?:Russian )?market\b",
)  # fmt: skip


def is_sanctions_sentence(sentence: str) -> bool:
    """True when the sentence speaks of sanctions at all."""
    return SANCTIONS.search(sentence) is not None


def is_background(sentence: str, action_end: int | None = None) -> bool:
    """Past or standing measures, boilerplate, negations: not a development of this text.

    With ``action_end`` (where the sentence's action verb ends), past-time cues after the clause
    that carries the action ("…, the order signed in February last year") do not count."""
    if BOILERPLATE.search(sentence) or NEGATED.search(sentence):
        return True
    scope = sentence if action_end is None else sentence[: action_end + 60]
    return BACKGROUND.search(scope) is not None


def is_other_sense(sentence: str) -> bool:
    """Sport, courts, enforcement, compliance: "sanctions" in another sense."""
    return OTHER_SENSE.search(sentence) is not None


def status_of(sentence: str) -> Status:
    """The status a sanctions sentence expresses, by cue precedence."""
    if _LIFTED.search(sentence) and not _EXTENDED.search(sentence):
        return Status.LIFTED
    if _EASED.search(sentence):
        return Status.EASED
    if _EXTENDED.search(sentence):
        return Status.EXTENDED
    if _PROPOSED.search(sentence):
        return Status.PROPOSED
    if _THREATENED.search(sentence):
        return Status.THREATENED
    if _ANNOUNCED.search(sentence):
        return Status.ANNOUNCED
    return Status.IMPOSED


MEASURE_CUES: tuple[tuple[Measure, re.Pattern[str]], ...] = (
    (Measure.ASSET_FREEZE, _rx(r"asset[s]? freez", r"\bfreez(?:e|es|ing)\b", r"\bfroze(?:n)?\b", r"\bblock(?:ed|ing)\b.{0,30}\b(?:property|assets)", r"\bdesignat(?:e|es|ed|ing)\b", r"\bSDN List\b")),
    (Measure.TRAVEL_BAN, _rx(r"travel bans?", r"visa restrictions?", r"entry bans?", r"\b(?:banned|barred|prohibited) from (?:entering|travel)", r"\bvisa bans?\b", r"\binadmissib", r"\bentry into\b.{0,40}\b(?:prohibited|barred)", r"\bfrom entering\b", r"\bineligible for entry\b")),
    (Measure.EXPORT_CONTROLS, _rx(r"export (?:ban|controls?|restrictions?|licen)", r"\bEntity List\b", r"\brestrictions on (?:the )?(?:export|sale)", r"\bban(?:s|ned)? (?:on )?(?:the )?exports?\b", r"\bexports? (?:of|to) .{0,40}\b(?:banned|prohibited)")),
    (Measure.IMPORT_RESTRICTIONS, _rx(r"import (?:ban|restrictions?)", r"\bban(?:s|ned)? (?:on )?(?:the )?imports?\b", r"\bimports? of .{0,60}\b(?:banned|prohibited|ban)\b")),
    (Measure.FINANCIAL_RESTRICTIONS, _rx(r"\bSWIFT\b", r"correspondent", r"payable-through", r"\bdebt\b", r"\bequity\b", r"\btransaction ban", r"\bfinancial (?:restrictions|messaging|sector)", r"\bbanking\b", r"\bdeposits?\b")),
    (Measure.INVESTMENT_BAN, _rx(r"investment ban", r"\bnew investments?\b", r"\bban(?:s|ned)? (?:on )?investment")),
    (Measure.SERVICES_BAN, _rx(r"services ban", r"provision of (?:\w+ ){0,3}services", r"\b(?:trust|professional|accounting|consulting|IT|legal) services\b")),
    (Measure.TRANSPORT_RESTRICTIONS, _rx(r"\b[Pp]ort (?:access|bans?|calls?|entry|services)\b", r"\b(?:access to|enter|entering|call at) (?:\w+ ){0,2}ports\b", r"\bports\b(?! of)", r"airspace", r"flight ban", r"\blanding\b", r"\bshipping ban\b", r"\bberth", r"\bmaritime services\b", r"\bshadow fleet\b")),
    (Measure.ARMS_EMBARGO, _rx(r"arms embargo", r"\barms (?:sales|exports?|transfers?)\b")),
    (Measure.PRICE_CAP, _rx(r"price cap")),
    (Measure.SECONDARY_SANCTIONS, _rx(r"secondary sanctions", r"\bthird[- ]country (?:banks|entities|companies)\b.{0,60}\b(?:will|would) (?:face|be)")),
)  # fmt: skip


def measures_in(sentence: str) -> list[Measure]:
    """Measures named by cue words in one sentence."""
    return [measure for measure, pattern in MEASURE_CUES if pattern.search(sentence)]
