"""
The result of an evaluation: a determination made of explained findings.
"""

from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal

import attrs

from iecmh_core._coverage import Coverage
from iecmh_core._vocab import Eligibility, Outcome, RequirementKind


class RejectionReason(enum.Enum):
    """
    Why a piece of evidence was not counted toward a requirement.

    .. versionadded:: 0.1.0
    """

    OUTSIDE_WINDOW = "outside_window"
    FORMAT_NOT_ACCEPTED = "format_not_accepted"
    PROVIDER_NOT_QUALIFIED = "provider_not_qualified"
    PROVIDER_LIMIT = "provider_limit"
    NOT_ABOUT_PROVIDING_RSC = "not_about_providing_rsc"
    TOPIC_NOT_TAGGED = "topic_not_tagged"
    BEFORE_DEGREE = "before_degree"
    UNPAID = "unpaid"
    AGE_BAND = "age_band"
    SERVICES = "services"
    TOO_FEW_FAMILIES = "too_few_families"
    NOT_SUPERVISED = "not_supervised"
    VOID_REFERENCE = "void_reference"
    NO_SLOT = "no_slot"
    LEVEL_NOT_ACCEPTED = "level_not_accepted"
    IN_PROGRESS = "in_progress"
    BELOW_PASS_MARK = "below_pass_mark"  # noqa: S105 - not a password
    NOT_PASSED = "not_passed"
    NOT_CURRENT = "not_current"
    ASSOCIATION_NOT_ACCEPTED = "association_not_accepted"
    BEFORE_LAPSE = "before_lapse"
    NOT_LEADERSHIP = "not_leadership"
    CATEGORY_NOT_ACCEPTED = "category_not_accepted"
    NOT_IN_GOOD_STANDING = "not_in_good_standing"
    HELD_TOO_BRIEFLY = "held_too_briefly"


class WarningCode(enum.Enum):
    """
    Why the rules applied may not fit the question asked.

    ``OUTSIDE_EFFECTIVE_DATES``: the edition was not in force on the date
    the determination speaks for. ``OTHER_ASSOCIATION``: the edition is
    another association's than the one the endorsement was awarded under
    (renewal, reinstatement and status, when the caller insisted).

    .. versionadded:: 0.2.0
    """

    OUTSIDE_EFFECTIVE_DATES = "outside_effective_dates"
    OTHER_ASSOCIATION = "other_association"


@attrs.frozen
class EvaluationWarning:
    """
    A caveat on a determination: the answer stands, but read it with this.

    Attributes:
        code: What kind of caveat.
        message: The caveat in plain language, naming the edition and dates.

    >>> print(EvaluationWarning(WarningCode.OTHER_ASSOCIATION, "…").code.value)
    other_association

    .. versionadded:: 0.2.0
    """

    code: WarningCode
    message: str


class Purpose(enum.Enum):
    """
    What a determination decides, when it is not first-time eligibility.

    .. versionadded:: 0.1.0
    """

    RENEWAL = "renewal"
    REINSTATEMENT = "reinstatement"


@attrs.frozen(kw_only=True)
class Rejection:
    """
    A piece of evidence that was looked at and not counted, and why.

    Attributes:
        evidence: Where the evidence is in the portfolio, e.g. ``"rsc[3]"``.
        reason: The reason, as a code.
        explanation: The reason in plain language.

    .. versionadded:: 0.1.0
    """

    evidence: str
    reason: RejectionReason
    explanation: str


@attrs.frozen(kw_only=True)
class Alternative:
    """
    One path of an OR requirement, with its own findings.

    Attributes:
        id: The alternative's id within its requirement.
        title: A short label, e.g. ``"two years of paid work"``.
        outcome: Met when every finding of the path is met.
        findings: The findings of the path's requirements.

    .. versionadded:: 0.1.0
    """

    id: str
    title: str
    outcome: Outcome
    findings: tuple[Finding, ...] = ()


@attrs.frozen(kw_only=True)
class Finding:
    """
    The outcome of one requirement, explained.

    Attributes:
        requirement: The requirement's id, e.g. ``"ifs.rsc"``.
        kind: The requirement's kind.
        outcome: Met, unmet or undetermined.
        explanation: What was found, in plain language, met or not.
        required: For quantities, the amount required.
        counted: For quantities, the amount counted.
        shortfall: For quantities, ``max(required - counted, 0)``.
        unit: The unit of the quantities (``"hours"``, ``"years"`` ...).
        evidence: The evidence counted, as portfolio references.
        rejected: The evidence looked at and not counted, with reasons.
        missing: Portfolio paths whose missing values left the outcome
            undetermined.
        advice: What would close the gap, when unmet or undetermined.
        expires_on: For windowed requirements, the first day on which
            evidence counted today falls out of the window.
        alternatives: For OR requirements, every path with its findings.
        closest: For OR requirements, the id of the path nearest to met.
        sources: Where the rule comes from.
        note: The rulebook's note on how it read unclear sources.

    .. versionadded:: 0.1.0
    """

    requirement: str
    kind: RequirementKind
    outcome: Outcome
    explanation: str
    required: Decimal | None = None
    counted: Decimal | None = None
    shortfall: Decimal | None = None
    unit: str | None = None
    evidence: tuple[str, ...] = ()
    rejected: tuple[Rejection, ...] = ()
    missing: tuple[str, ...] = ()
    advice: str | None = None
    expires_on: dt.date | None = None
    alternatives: tuple[Alternative, ...] = ()
    closest: str | None = None
    sources: tuple[str, ...] = ()
    note: str | None = None


@attrs.frozen(kw_only=True)
class EmergingResult:
    """
    How a portfolio fares against a category's Emerging requirements.

    Attributes:
        outcome: Met when every Emerging requirement is met.
        findings: One finding per Emerging requirement.
        deadline: When met, the last day to meet every requirement of the
            category: the determination's date plus the months allowed.

    .. versionadded:: 0.2.0
    """

    outcome: Outcome
    findings: tuple[Finding, ...] = ()
    deadline: dt.date | None = None


@attrs.frozen(kw_only=True)
class Determination:
    """
    Whether a portfolio meets a category's requirements on a date, and why.

    Attributes:
        portfolio: The portfolio's id.
        category: The category code evaluated.
        rulebook: The id of the rulebook edition applied.
        as_of: The date the evaluation speaks for.
        outcome: Eligible when every finding is met, not eligible when any
            is unmet, otherwise undetermined.
        findings: One finding per requirement, in rulebook order.
        coverage: Optional: how the portfolio covers the competency
            framework, when the evaluation was asked for it.
        purpose: ``None`` for eligibility; renewal or reinstatement
            otherwise.
        warnings: Caveats on the rules applied: an edition used outside
            its effective dates, or another association's edition.
        emerging: For a category with an Emerging outcome whose
            requirements are not all met, how the portfolio fares against
            the Emerging requirements; ``outcome`` is then ``emerging``
            when they are all met.

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2.0 *warnings*.
    """

    portfolio: str
    category: str
    rulebook: str
    as_of: dt.date
    outcome: Eligibility
    findings: tuple[Finding, ...] = ()
    coverage: Coverage | None = None
    purpose: Purpose | None = None
    warnings: tuple[EvaluationWarning, ...] = ()
    emerging: EmergingResult | None = None
