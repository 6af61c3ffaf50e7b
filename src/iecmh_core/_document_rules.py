"""
The rules a JSON Schema cannot state, each with a stable code.

Every problem the library reports carries a code (`Problem.code`): a
``schema.<keyword>`` code when the document breaks its JSON Schema (the
keyword every validator names, ``schema.required``, ``schema.format``…), a
``json.<name>`` code when it cannot be read as JSON, and one of the
``rule.<name>`` codes below when it breaks a rule no schema can state.
Other stacks implement the rules, or at least name them, by these codes.
"""

from __future__ import annotations

import attrs

from iecmh_core._vocab import DocumentKind


@attrs.frozen
class DocumentRule:
    """
    A rule a document must keep that its JSON Schema cannot state.

    Attributes:
        code: The stable code problems breaking the rule carry, e.g.
            ``rule.end-before-start``; never reused for another rule.
        kinds: The kinds of document the rule applies to.
        summary: What the rule requires, in one sentence.

    >>> rule = DOCUMENT_RULES[0]
    >>> rule.code, [kind.value for kind in rule.kinds]
    ('rule.end-before-start', ['portfolio'])

    .. versionadded:: 0.2.0
    """

    code: str
    kinds: tuple[DocumentKind, ...]
    summary: str


_P, _R, _F = (
    DocumentKind.PORTFOLIO,
    DocumentKind.RULEBOOK,
    DocumentKind.FRAMEWORK,
)

#: Every rule a document must keep beyond its schema, by code.
DOCUMENT_RULES: tuple[DocumentRule, ...] = (
    DocumentRule(
        "rule.end-before-start",
        (_P,),
        "An end date (of a membership, job, leadership activity or "
        "inactive period) is not before its start date.",
    ),
    DocumentRule(
        "rule.hours-precision",
        (_P, _R),
        "Clock hours (of training and RSC, and those a requirement asks "
        "for) have at most 2 decimal places.",
    ),
    DocumentRule(
        "rule.peer-rsc",
        (_R,),
        "A requirement toward an endorsement or a reinstatement does not "
        "count peer RSC.",
    ),
    DocumentRule(
        "rule.duplicate-category",
        (_R,),
        "A category code is defined once in a rulebook.",
    ),
    DocumentRule(
        "rule.duplicate-requirement",
        (_R,),
        "A requirement id is used once within a category, its renewal and "
        "the paths of its OR requirements included.",
    ),
    DocumentRule(
        "rule.effective-until-before-from",
        (_R,),
        "A rulebook's effective_until is not before its effective_from.",
    ),
    DocumentRule(
        "rule.unknown-category",
        (_R,),
        "A category code in a provider rule, a rater slot or an "
        "endorsement-held requirement is one of the contract's or of the "
        "rulebook's own categories.",
    ),
    DocumentRule(
        "rule.provider-dates",
        (_R,),
        "A provider rule's evidence_on_or_after is before its "
        "evidence_before.",
    ),
    DocumentRule(
        "rule.slots-over-count",
        (_R,),
        "A references requirement names no more rater slots than the "
        "ratings it asks for (count).",
    ),
    DocumentRule(
        "rule.span-over-window",
        (_R,),
        "An RSC requirement's min_span_months is at most its window_months.",
    ),
    DocumentRule(
        "rule.parts-over-hours",
        (_R,),
        "The parts of a training requirement add up to at most its hours.",
    ),
    DocumentRule(
        "rule.topic-and-parts",
        (_R,),
        "A training requirement has a topic or parts, not both.",
    ),
    DocumentRule(
        "rule.surplus-without-parts",
        (_R,),
        "A training requirement with surplus_fills_general has parts.",
    ),
    DocumentRule(
        "rule.when-on-eligibility",
        (_R,),
        "Only renewal requirements have a when condition; an eligibility "
        "requirement is never waived.",
    ),
    DocumentRule(
        "rule.duplicate-exam-part",
        (_R,),
        "A category requires each exam part once.",
    ),
    DocumentRule(
        "rule.unknown-domain",
        (_F,),
        "An evidence mapping names only domains of its own framework.",
    ),
    DocumentRule(
        "rule.duplicate-framework-id",
        (_F,),
        "A domain id, knowledge area id or alias is used once in a framework.",
    ),
    DocumentRule(
        "json.duplicate-key",
        tuple(DocumentKind),
        "An object of JSON text has each key once (RFC 8259 leaves "
        "duplicates to the reader; the library refuses them).",
    ),
)

#: Codes of problems that are not rule breaches: the text is not JSON.
READING_CODES: dict[str, str] = {
    "json.syntax": "The text is not JSON.",
    "json.encoding": "The bytes are not UTF-8.",
    "json.number": "A number is NaN or infinite, which JSON cannot hold, "
    "or has more digits than the library reads.",
    "json.surrogate": "A string holds a lone surrogate, which no UTF-8 text "
    "can hold.",
    "json.depth": "The document is nested too deeply to read.",
    "json.unreadable": "The file cannot be read.",
    "json.source": "The source is not a mapping, JSON text or a path.",
    "document.kind": "The kind of document cannot be told from its keys.",
    "model.conversion": "The data passed every check but does not convert "
    "into model objects (values Python gives that JSON cannot hold).",
}

RULE_CODES = frozenset(rule.code for rule in DOCUMENT_RULES)
