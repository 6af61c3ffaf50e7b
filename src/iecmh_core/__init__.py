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
from iecmh_core._batch import BatchRecord, BatchSummary, evaluate_batch
from iecmh_core._catalogue import RulebookCatalogue, load_catalogue
from iecmh_core._coverage import AreaCoverage, Coverage, DomainCoverage
from iecmh_core._determination import (
    Alternative,
    Determination,
    EmergingResult,
    EvaluationWarning,
    Finding,
    Purpose,
    Rejection,
    RejectionReason,
    WarningCode,
)
from iecmh_core._diff import (
    OutcomeChange,
    ParameterChange,
    RequirementChange,
    RulebookDiff,
    affected_portfolios,
    diff,
)
from iecmh_core._document_rules import DOCUMENT_RULES, DocumentRule
from iecmh_core._documents import (
    Source,
    dump,
    dump_json,
    guess_kind,
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
    EmergingPath,
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
from iecmh_core._signing import (
    new_signing_key,
    sign_credential,
    sign_credential_jwt,
    verify_credential,
)
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
    DuplicateEditionError,
    EndorsementNotCurrentError,
    EndorsementNotHeldError,
    IecmhError,
    IncompleteExportError,
    InvalidArgumentError,
    InvalidDocumentError,
    InvalidRulebookError,
    Problem,
    RulebookMismatchError,
    SigningError,
    UnknownCategoryError,
    UnknownFrameworkError,
    UnknownKindError,
    UnknownRulebookError,
    VerificationError,
)

__all__ = [
    "DOCUMENT_RULES",
    "SCHEMA_REGISTRY",
    "AgeBand",
    "Alternative",
    "AnyOfRequirement",
    "Applicability",
    "AreaCoverage",
    "BatchRecord",
    "BatchSummary",
    "Category",
    "Coverage",
    "Determination",
    "DocumentKind",
    "DocumentRule",
    "Domain",
    "DomainCoverage",
    "DuplicateEditionError",
    "Education",
    "EducationLevel",
    "EducationRequirement",
    "Eligibility",
    "EmergingPath",
    "EmergingResult",
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
    "Family",
    "Finding",
    "Framework",
    "HeldEndorsement",
    "IecmhError",
    "IncompleteExportError",
    "InvalidArgumentError",
    "InvalidDocumentError",
    "InvalidRulebookError",
    "KnowledgeArea",
    "Leadership",
    "LeadershipLevel",
    "LeadershipRequirement",
    "LifecycleStatus",
    "Membership",
    "MembershipRequirement",
    "Outcome",
    "OutcomeChange",
    "ParameterChange",
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
    "RequirementChange",
    "RequirementKind",
    "RscFormat",
    "RscRequirement",
    "RscSession",
    "Rulebook",
    "RulebookCatalogue",
    "RulebookDiff",
    "RulebookMismatchError",
    "Scope",
    "Service",
    "SigningError",
    "Source",
    "Training",
    "TrainingPart",
    "TrainingRequirement",
    "TrainingTopic",
    "UnknownCategoryError",
    "UnknownFrameworkError",
    "UnknownKindError",
    "UnknownRulebookError",
    "VerificationError",
    "WarningCode",
    "WorkExperience",
    "WorkRequirement",
    "affected_portfolios",
    "bundled_framework",
    "bundled_frameworks",
    "bundled_rulebook",
    "bundled_rulebooks",
    "competency_coverage",
    "diff",
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
    "load_catalogue",
    "load_determination",
    "load_framework",
    "load_portfolio",
    "load_rulebook",
    "new_signing_key",
    "requirement_conditions",
    "rulebook_in_force",
    "schema",
    "sign_credential",
    "sign_credential_jwt",
    "validate",
    "verify_credential",
]


def __getattr__(name: str) -> Any:
    if name == "__version__":
        from importlib.metadata import version  # noqa: PLC0415

        return version("iecmh-core")
    msg = f"module 'iecmh_core' has no attribute {name!r}"
    raise AttributeError(msg)


def __dir__() -> list[str]:
    return [*__all__, "__version__"]
