"""
The Infant and Early Childhood Mental Health Endorsement rules as a library.

Read portfolios, rulebooks and competency frameworks; check them against the
shipped JSON Schemas; decide, with reasons, whether a portfolio meets an
endorsement category on a date; write everything back as JSON-ready data.

>>> import iecmh_core
>>> iecmh_core.validate({"id": "a-1", "code_of_ethics_signed_on": None})
()
"""

from __future__ import annotations

from typing import Any

from iecmh_core._badges import export_ob3
from iecmh_core._batch import (
    BatchRecord,
    BatchSummary,
    evaluate_batch,
    read_batch,
)
from iecmh_core._cohort import (
    CohortGroup,
    CohortReport,
    Distance,
    Expiring,
    Lack,
    Near,
    NearApplicant,
    RequirementSummary,
    Shortfall,
    ShortfallBin,
    Tally,
    summarize_cohort,
)
from iecmh_core._cohort_render import render_cohort_html, render_cohort_text
from iecmh_core._coverage import AreaCoverage, Coverage, DomainCoverage
from iecmh_core._determination import (
    Alternative,
    Determination,
    EvaluationWarning,
    Finding,
    Purpose,
    Rejection,
    RejectionReason,
    WarningCode,
)
from iecmh_core._documents import (
    Source,
    dump,
    dump_json,
    guess_kind,
    load_cohort_report,
    load_determination,
    load_framework,
    load_portfolio,
    load_rulebook,
    validate,
)
from iecmh_core._evaluation import (
    bundled_framework,
    bundled_frameworks,
    bundled_rulebook,
    bundled_rulebooks,
    competency_coverage,
    evaluate,
    rulebook_in_force,
)
from iecmh_core._exports import (
    export_case,
    export_ctdl,
    requirement_conditions,
)
from iecmh_core._framework import (
    Domain,
    EvidenceKind,
    EvidenceMapping,
    Framework,
    KnowledgeArea,
)
from iecmh_core._lifecycle import (
    EndorsementState,
    LifecycleStatus,
    endorsement_status,
    evaluate_reinstatement,
    evaluate_renewal,
)
from iecmh_core._portfolio import (
    Education,
    Exam,
    HeldEndorsement,
    Leadership,
    Membership,
    Period,
    Portfolio,
    Reference,
    Renewal,
    RscSession,
    Training,
    WorkExperience,
)
from iecmh_core._rulebook import (
    AnyOfRequirement,
    Applicability,
    Category,
    EducationRequirement,
    EndorsementHeldRequirement,
    EthicsRequirement,
    EvidenceDates,
    ExamRequirement,
    LeadershipRequirement,
    MembershipRequirement,
    Path,
    ProviderRule,
    ReferenceSlot,
    ReferencesRequirement,
    RenewalPolicy,
    Requirement,
    RscRequirement,
    Rulebook,
    TrainingPart,
    TrainingRequirement,
    WorkRequirement,
)
from iecmh_core._schemas import SCHEMA_REGISTRY, fast_path_available, schema
from iecmh_core._vocab import (
    AgeBand,
    DocumentKind,
    EducationLevel,
    Eligibility,
    EndorsementStatus,
    Family,
    LeadershipLevel,
    Outcome,
    ReferenceRole,
    RequirementKind,
    RscFormat,
    Scope,
    Service,
    TrainingTopic,
)
from iecmh_core.exceptions import (
    EndorsementNotCurrentError,
    EndorsementNotHeldError,
    IecmhError,
    InvalidDocumentError,
    InvalidRulebookError,
    Problem,
    RulebookMismatchError,
    UnknownCategoryError,
    UnknownFrameworkError,
    UnknownRulebookError,
)

__all__ = [
    "SCHEMA_REGISTRY",
    "AgeBand",
    "Alternative",
    "AnyOfRequirement",
    "Applicability",
    "AreaCoverage",
    "BatchRecord",
    "BatchSummary",
    "Category",
    "CohortGroup",
    "CohortReport",
    "Coverage",
    "Determination",
    "Distance",
    "DocumentKind",
    "Domain",
    "DomainCoverage",
    "Education",
    "EducationLevel",
    "EducationRequirement",
    "Eligibility",
    "EndorsementHeldRequirement",
    "EndorsementNotCurrentError",
    "EndorsementNotHeldError",
    "EndorsementState",
    "EndorsementStatus",
    "EthicsRequirement",
    "EvaluationWarning",
    "EvidenceDates",
    "EvidenceKind",
    "EvidenceMapping",
    "Exam",
    "ExamRequirement",
    "Expiring",
    "Family",
    "Finding",
    "Framework",
    "HeldEndorsement",
    "IecmhError",
    "InvalidDocumentError",
    "InvalidRulebookError",
    "KnowledgeArea",
    "Lack",
    "Leadership",
    "LeadershipLevel",
    "LeadershipRequirement",
    "LifecycleStatus",
    "Membership",
    "MembershipRequirement",
    "Near",
    "NearApplicant",
    "Outcome",
    "Path",
    "Period",
    "Portfolio",
    "Problem",
    "ProviderRule",
    "Purpose",
    "Reference",
    "ReferenceRole",
    "ReferenceSlot",
    "ReferencesRequirement",
    "Rejection",
    "RejectionReason",
    "Renewal",
    "RenewalPolicy",
    "Requirement",
    "RequirementKind",
    "RequirementSummary",
    "RscFormat",
    "RscRequirement",
    "RscSession",
    "Rulebook",
    "RulebookMismatchError",
    "Scope",
    "Service",
    "Shortfall",
    "ShortfallBin",
    "Source",
    "Tally",
    "Training",
    "TrainingPart",
    "TrainingRequirement",
    "TrainingTopic",
    "UnknownCategoryError",
    "UnknownFrameworkError",
    "UnknownRulebookError",
    "WarningCode",
    "WorkExperience",
    "WorkRequirement",
    "bundled_framework",
    "bundled_frameworks",
    "bundled_rulebook",
    "bundled_rulebooks",
    "competency_coverage",
    "dump",
    "dump_json",
    "endorsement_status",
    "evaluate",
    "evaluate_batch",
    "evaluate_reinstatement",
    "evaluate_renewal",
    "export_case",
    "export_ctdl",
    "export_ob3",
    "fast_path_available",
    "guess_kind",
    "load_cohort_report",
    "load_determination",
    "load_framework",
    "load_portfolio",
    "load_rulebook",
    "read_batch",
    "render_cohort_html",
    "render_cohort_text",
    "requirement_conditions",
    "rulebook_in_force",
    "schema",
    "summarize_cohort",
    "validate",
]


def __getattr__(name: str) -> Any:
    if name == "__version__":
        from importlib.metadata import version  # noqa: PLC0415

        return version("iecmh-core")
    msg = f"module 'iecmh_core' has no attribute {name!r}"
    raise AttributeError(msg)


def __dir__() -> list[str]:
    return [*__all__, "__version__"]
