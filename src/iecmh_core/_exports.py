"""
Exports to the credential and competency standards (CASE, CTDL).

1EdTech CASE 1.1 carries the framework; Credential Engine's CTDL, with
CTDL-ASN, carries a category.

Each export is a pure function returning JSON-ready data. The executable
rules stay in the rulebook; an export carries their description in words
and identifiers that lead back to the rulebook edition and requirement.
Identifiers are UUIDs derived from the framework's or rulebook's ids, so the
same input always exports the same identifiers.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from iecmh_core._convert import unstructure_decimal
from iecmh_core._engine import number
from iecmh_core._evaluation import bundled_frameworks
from iecmh_core._framework import Framework
from iecmh_core._rulebook import (
    AnyOfRequirement,
    Category,
    EducationRequirement,
    EndorsementHeldRequirement,
    EthicsRequirement,
    ExamRequirement,
    LeadershipRequirement,
    MembershipRequirement,
    Path,
    ReferencesRequirement,
    Requirement,
    RscRequirement,
    Rulebook,
    TrainingRequirement,
    WorkRequirement,
)
from iecmh_core._vocab import RscFormat
from iecmh_core.exceptions import (
    IncompleteExportError,
    InvalidDocumentError,
    Problem,
    UnknownFrameworkError,
)

#: The namespace of every UUID iecmh_core derives (from ``urn:iecmh``).
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:iecmh")

_EN = "en-US"

#: Display names of the associations whose rulebooks are bundled.
ASSOCIATION_NAMES = {
    "mi-aimh": "Michigan Association for Infant Mental Health",
    "massaimh": "Massachusetts Association for Infant Mental Health",
}
_CTDL_CONTEXT = "https://credreg.net/ctdl/schema/context/json"


def stable_uuid(*parts: str) -> str:
    """
    Return the UUID (version 5) that iecmh_core gives the named thing.

    >>> stable_uuid("mi-aimh-competency-guidelines-2024") == stable_uuid(
    ...     "mi-aimh-competency-guidelines-2024")
    True

    .. versionadded:: 0.1.0
    """
    return str(uuid.uuid5(NAMESPACE, "/".join(parts)))


# -- CASE --------------------------------------------------------------------


def _stamp(day: dt.date | None) -> str:
    moment = dt.datetime.combine(day or dt.date(2000, 1, 1), dt.time(), dt.UTC)
    return moment.isoformat().replace("+00:00", "Z")


def _code(name: str) -> str:
    return "".join(word[0] for word in name.replace("&", " ").split()).upper()


def _superseded(
    framework: Framework, given: Framework | None
) -> Framework | None:
    renamed = any(
        area.aliases
        for domain in framework.domains
        for area in domain.knowledge_areas
    )
    if framework.supersedes is None or not renamed:
        return None
    if given is not None and given.id == framework.supersedes:
        return given
    editions = bundled_frameworks()
    for edition in editions:
        if edition.id == framework.supersedes:
            return edition
    known = [edition.id for edition in editions]
    if given is not None:
        known.append(given.id)
    raise UnknownFrameworkError(framework.supersedes, known)


def _statement(previous: Framework, alias: str, source: str, path: str) -> str:
    found = previous.area(alias)
    if found is None:
        raise InvalidDocumentError(
            source,
            "framework",
            [
                Problem(
                    path,
                    f"expected the id of a knowledge area of the superseded "
                    f"edition {previous.id}; got {alias!r}",
                )
            ],
        )
    return found[1].name


def export_case(
    framework: Framework,
    *,
    base_uri: str = "urn:uuid:",
    creator: str = "Michigan Association for Infant Mental Health",
    superseded: Framework | None = None,
) -> dict[str, Any]:
    """
    Export a framework as a 1EdTech CASE 1.1 ``CFPackage``.

    The package holds the ``CFDocument``, one ``CFItem`` per domain
    (``CFItemType`` "Domain") and per knowledge area (``CFItemType``
    "Knowledge Area"), and ``isChildOf`` associations: each area to its
    domain, each domain to the document. A knowledge area that replaced an
    earlier id (an alias) also gets a ``replacedBy`` association from the
    superseded edition's item.

    Args:
        framework: The framework edition.
        base_uri: The prefix of every ``uri``; each uri is the prefix
            followed by the identifier. Give your CASE server's address to
            publish there.
        creator: The framework's creator, for the ``CFDocument``; MI-AIMH,
            who wrote the Competency Guidelines, unless you export your own.
        superseded: The edition *framework* supersedes, for the titles of
            the ``replacedBy`` origins; the bundled edition of that id when
            ``None``.

    Returns:
        The CFPackage as JSON-ready data; the same framework always gives
        the same data.

    Raises:
        UnknownFrameworkError: The edition *framework* supersedes is neither
            bundled nor given as *superseded*.
        InvalidDocumentError: An alias names no knowledge area of the
            superseded edition.

    >>> package = export_case(bundled_framework("mi-aimh-competency-guidelines-2024"))
    >>> sorted(package)
    ['CFAssociations', 'CFDocument', 'CFItems']

    .. versionadded:: 0.1.0
    """  # noqa: E501
    stamp = _stamp(framework.effective_from)
    previous = _superseded(framework, superseded)

    def link(title: str, identifier: str) -> dict[str, str]:
        return {
            "title": title,
            "identifier": identifier,
            "uri": f"{base_uri}{identifier}",
        }

    doc_id = stable_uuid(framework.id)
    document = {
        "identifier": doc_id,
        "uri": f"{base_uri}{doc_id}",
        "creator": creator,
        "title": framework.title,
        "lastChangeDateTime": stamp,
        "version": framework.edition,
        "adoptionStatus": "Adopted",
        "language": "en",
        "caseVersion": "1.1",
        "frameworkType": "Competency Guidelines",
        "notes": "Exported by iecmh_core from the framework edition "
        f"{framework.id}; sources: {', '.join(framework.sources)}",
    }
    if framework.effective_from:
        document["statusStartDate"] = framework.effective_from.isoformat()
    doc_link = link(framework.title, doc_id)
    items: list[dict[str, Any]] = []
    associations: list[dict[str, Any]] = []

    def child_of(
        child: dict[str, Any], parent: dict[str, str], seq: int
    ) -> None:
        identifier = stable_uuid(
            framework.id,
            child["identifier"],
            "isChildOf",
            parent["identifier"],
        )
        associations.append(
            {
                "identifier": identifier,
                "uri": f"{base_uri}{identifier}",
                "associationType": "isChildOf",
                "originNodeURI": link(
                    child["fullStatement"], child["identifier"]
                ),
                "destinationNodeURI": parent,
                "sequenceNumber": seq,
                "lastChangeDateTime": stamp,
            }
        )

    for d_index, domain in enumerate(framework.domains, start=1):
        d_id = stable_uuid(framework.id, domain.id)
        d_item = {
            "identifier": d_id,
            "uri": f"{base_uri}{d_id}",
            "fullStatement": domain.name,
            "humanCodingScheme": _code(domain.name),
            "listEnumeration": str(d_index),
            "CFItemType": "Domain",
            "lastChangeDateTime": stamp,
        }
        items.append(d_item)
        child_of(d_item, doc_link, d_index)
        for a_index, area in enumerate(domain.knowledge_areas, start=1):
            a_id = stable_uuid(framework.id, area.id)
            notes = (
                []
                if area.confirmed
                else ["Not confirmed by a cited public source."]
            )
            if area.note:
                notes.append(area.note)
            a_item: dict[str, Any] = {
                "identifier": a_id,
                "uri": f"{base_uri}{a_id}",
                "fullStatement": area.name,
                "humanCodingScheme": f"{_code(domain.name)}.{a_index}",
                "listEnumeration": str(a_index),
                "CFItemType": "Knowledge Area",
                "conceptKeywords": list(area.categories),
                "lastChangeDateTime": stamp,
            }
            if notes:
                a_item["notes"] = " ".join(notes)
            items.append(a_item)
            child_of(a_item, link(domain.name, d_id), a_index)
            if previous is not None:
                for k_index, alias in enumerate(area.aliases):
                    statement = _statement(
                        previous,
                        alias,
                        framework.id,
                        f"$.domains[{d_index - 1}].knowledge_areas"
                        f"[{a_index - 1}].aliases[{k_index}]",
                    )
                    old = stable_uuid(previous.id, alias)
                    identifier = stable_uuid(framework.id, alias, "replacedBy")
                    associations.append(
                        {
                            "identifier": identifier,
                            "uri": f"{base_uri}{identifier}",
                            "associationType": "replacedBy",
                            "originNodeURI": link(statement, old),
                            "destinationNodeURI": link(area.name, a_id),
                            "lastChangeDateTime": stamp,
                        }
                    )
    return {
        "CFDocument": document,
        "CFItems": items,
        "CFAssociations": associations,
    }


# -- CTDL --------------------------------------------------------------------


def _text(value: Any) -> dict[str, Any]:
    return {_EN: value}


def _levels(levels: Any) -> str:
    names = [getattr(level, "value", level) for level in levels]
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} or {names[-1]}"


def requirement_conditions(requirement: Requirement) -> list[str]:  # noqa: C901, PLR0911, PLR0912, PLR0915 - one case per kind
    """
    Say what a requirement asks for, in plain words, one condition a line.

    >>> requirement_conditions(TrainingRequirement(
    ...     id="x.t", title="Training", sources=("https://example.org",),
    ...     hours=Decimal(30)))
    ['At least 30 clock hours of in-service training']

    .. versionadded:: 0.1.0
    """
    match requirement:
        case EducationRequirement(levels=levels):
            return [f"A completed degree or credential: {_levels(levels)}"]
        case WorkRequirement() as r:
            lines = [
                f"At least {number(r.years)} years of full-time-equivalent "
                + ("paid " if r.paid_only else "")
                + "work"
            ]
            if r.age_bands:
                lines.append(f"With the age band {_levels(r.age_bands)}")
            if r.services:
                lines.append(f"Providing {_levels(r.services)} services")
            if r.min_families:
                lines.append(f"Serving at least {r.min_families} families")
            if r.after_level:
                lines.append(f"After a {r.after_level.value} degree or higher")
            if r.supervised_only:
                lines.append("Supervised")
            if r.unpaid_if_supervised:
                lines.append("Unpaid work counts when it was supervised")
            return lines
        case TrainingRequirement(hours=hours, topic=topic):
            about = {
                "rsc": " about providing reflective supervision/consultation",
                "dei": " on diversity, equity and inclusion in IECMH",
            }.get(topic.value if topic else "", "")
            training = "clock hours of in-service training"
            lines = [f"At least {number(hours)} {training}{about}"]
            lines.extend(
                f"Of which {number(part.hours)} hours of {part.title}, "
                "counted toward no other part"
                for part in requirement.parts
            )
            if requirement.parts and requirement.surplus_fills_general:
                lines.append(
                    "Hours beyond a topic's part may count toward a part "
                    "with no topic"
                )
            return lines
        case RscRequirement() as r:
            received = (
                f"At least {number(r.hours)} clock hours of reflective "
                "supervision/consultation received within the "
                f"{r.window_months} months up to the date evaluated"
            )
            formats = f"In {_levels(r.formats)} format"
            if RscFormat.PEER not in r.formats:
                formats += " (peer RSC does not count)"
            lines = [received, formats]
            if r.min_span_months:
                lines.append(
                    f"Spread over at least {r.min_span_months} months"
                )
            if r.max_providers:
                lines.append(f"From at most {r.max_providers} providers")
            if r.majority_from_one:
                lines.append("More than half of the hours from one provider")
            if r.about_providing_rsc:
                lines.append("About the RSC the applicant provides to others")
            for rule in r.providers:
                who = []
                if rule.categories:
                    who.append("endorsed " + _levels(rule.categories))
                if rule.vetted:
                    who.append("vetted by the association")
                line = "Provider: " + " or ".join(who)
                if rule.provider_levels:
                    line += f", with a {_levels(rule.provider_levels)} degree"
                if rule.applicant_levels:
                    line += (
                        " (for applicants whose highest degree is "
                        f"{_levels(rule.applicant_levels)})"
                    )
                if rule.when is not None:
                    if rule.when.evidence_on_or_after is not None:
                        line += (
                            " (for sessions on or after "
                            f"{rule.when.evidence_on_or_after})"
                        )
                    if rule.when.evidence_before is not None:
                        before = rule.when.evidence_before
                        line += f" (for sessions before {before})"
                lines.append(line)
            return lines
        case ReferencesRequirement() as r:
            lines = [f"{r.count} reference ratings"]
            lines.extend(f"One from {slot.title}" for slot in r.slots)
            if r.void_at:
                lines.append(
                    f"A rating with {r.void_at} or more items the rater "
                    "could not rate does not count"
                )
            return lines
        case ExamRequirement(part=part, pass_percent=mark):
            line = f"Pass part {part} of the Endorsement exam"
            if mark is not None:
                line += f" with at least {number(mark)}%"
            return [line]
        case MembershipRequirement(associations=names):
            which = _levels(names) if names else "an infant mental health"
            return [f"A current membership in {which} association"]
        case EthicsRequirement():
            return ["The Code of Ethics and Endorsement Agreement, signed"]
        case LeadershipRequirement(years=years, levels=levels):
            at = f" at the {_levels(levels)} level" if levels else ""
            return [f"At least {number(years)} years of leadership{at}"]
        case EndorsementHeldRequirement(categories=codes) as r:
            standing = " in good standing" if r.good_standing else ""
            longer = (
                f" for at least {r.min_years} years" if r.min_years else ""
            )
            return [
                f"Holds an endorsement as {_levels(codes)}{standing}{longer}"
            ]
        case AnyOfRequirement(paths=paths):
            return ["One of: " + "; or ".join(path.title for path in paths)]
    raise NotImplementedError(type(requirement))  # pragma: no cover


def _urn(rulebook: Rulebook, name: str) -> str:
    return f"urn:iecmh:rulebook:{rulebook.id}#{name}"


def _credit(hours: Decimal) -> dict[str, Any]:
    return {
        "@type": "ceterms:ValueProfile",
        "schema:value": unstructure_decimal(hours),
        "ceterms:creditUnitType": ["creditUnit:ClockHour"],
        "schema:description": _text("clock hours"),
    }


def _concept(
    framework: str, framework_name: str, node: str, name: str
) -> dict[str, Any]:
    return {
        "@type": "ceterms:CredentialAlignmentObject",
        "ceterms:framework": framework,
        "ceterms:frameworkName": _text(framework_name),
        "ceterms:targetNode": node,
        "ceterms:targetNodeName": _text(name),
    }


#: Properties of a ConditionProfile that an OR path gathers from its parts.
_GATHERED = (
    "ceterms:creditValue",
    "ceterms:targetAssessment",
    "ceterms:alternativeCondition",
)


def _path(path: Path, rulebook: Rulebook) -> dict[str, Any]:
    parts = [_condition(inner, rulebook) for inner in path.requirements]
    profile: dict[str, Any] = {
        "@type": "ceterms:ConditionProfile",
        "ceterms:name": _text(path.title),
        "ceterms:description": _text(
            " ".join(
                [path.title + ":"]
                + [part["ceterms:description"][_EN] for part in parts]
            )
        ),
        "ceterms:condition": _text(
            [line for part in parts for line in part["ceterms:condition"][_EN]]
        ),
        "ceterms:dateEffective": rulebook.effective_from.isoformat(),
    }
    if parts:
        profile["ceterms:subjectWebpage"] = parts[0]["ceterms:subjectWebpage"]
    years = [
        part["ceterms:yearsOfExperience"]
        for part in parts
        if "ceterms:yearsOfExperience" in part
    ]
    if years:
        profile["ceterms:yearsOfExperience"] = (
            years[0] if len(years) == 1 else years
        )
    for key in _GATHERED:
        values = [value for part in parts for value in part.get(key, [])]
        if values:
            profile[key] = values
    return profile


def _condition(requirement: Requirement, rulebook: Rulebook) -> dict[str, Any]:
    lines = requirement_conditions(requirement)
    description = (
        "; ".join(lines) + f". Rule {requirement.id} of the iecmh_core "
        f"rulebook {rulebook.id} ({_urn(rulebook, requirement.id)})."
    )
    if requirement.note:
        description += (
            f" How the rulebook reads its sources: {requirement.note}"
        )
    profile: dict[str, Any] = {
        "@type": "ceterms:ConditionProfile",
        "ceterms:name": _text(f"{requirement.title} ({requirement.id})"),
        "ceterms:description": _text(description),
        # One language map whose value is the list: a list of language
        # maps would be node objects, which JSON-LD expansion drops.
        "ceterms:condition": _text(lines),
        "ceterms:dateEffective": rulebook.effective_from.isoformat(),
        "ceterms:subjectWebpage": requirement.sources[0],
    }
    match requirement:
        case TrainingRequirement(hours=hours) | RscRequirement(hours=hours):
            profile["ceterms:creditValue"] = [_credit(hours)]
        case WorkRequirement(years=years) | LeadershipRequirement(years=years):
            profile["ceterms:yearsOfExperience"] = unstructure_decimal(years)
        case ExamRequirement(part=part):
            profile["ceterms:targetAssessment"] = [
                {
                    "@type": "ceterms:AssessmentProfile",
                    "ceterms:name": _text(f"Endorsement exam, part {part}"),
                    "ceterms:description": _text(lines[0]),
                }
            ]
        case ReferencesRequirement():
            profile["ceterms:submissionOfDescription"] = _text(
                "Reference ratings"
            )
        case AnyOfRequirement(paths=paths):
            profile["ceterms:alternativeCondition"] = [
                _path(path, rulebook) for path in paths
            ]
    return profile


def _valid_from(framework: Framework) -> dict[str, str]:
    if framework.effective_from is None:
        return {}
    return {"ceasn:dateValidFrom": _stamp(framework.effective_from)}


def _absolute(value: str, *, web: bool) -> bool:
    scheme, colon, rest = value.partition(":")
    if web:
        return (
            scheme in {"http", "https"}
            and rest.startswith("//")
            and len(rest) > 2
        )
    return bool(colon and rest and scheme[:1].isalpha() and " " not in value)


def export_ctdl(  # noqa: PLR0913 - the Registry's required parts
    rulebook: Rulebook,
    category: str,
    framework: Framework | None = None,
    *,
    owner: str | None = None,
    owner_name: str | None = None,
    subject_webpage: str | None = None,
) -> dict[str, Any]:
    """
    Describe a rulebook's category as a CTDL credential and competencies.

    The result is a JSON-LD ``@graph``: a ``ceterms:Certification`` whose
    ``ceterms:requires`` holds one ``ceterms:ConditionProfile`` per
    requirement (hours as a ``ceterms:creditValue`` ``ceterms:ValueProfile``
    in ``creditUnit:ClockHour``, years as ``ceterms:yearsOfExperience``, OR
    paths as ``ceterms:alternativeCondition``, the exam as
    ``ceterms:targetAssessment``), then the ``ceterms:CredentialOrganization``
    that owns it; with a *framework*, also a ``ceasn:CompetencyFramework``
    and one ``ceasn:Competency`` per domain and knowledge area, and one more
    condition whose ``ceterms:targetCompetency`` aligns the knowledge areas
    the category expects. Identifiers lead back to the executable rulebook
    as ``urn:iecmh:rulebook:<edition>#<requirement>``. Every term is one
    of the CTDL or CTDL-ASN vocabulary, used on its domain with a value in
    its range, and the graph expands as JSON-LD with nothing dropped.

    Args:
        rulebook: The rulebook edition.
        category: The category code.
        framework: The competency framework to describe alongside, if any.
        owner: The URI of the organization that owns the credential
            (``ceterms:ownedBy``, which the Credential Registry requires),
            such as its Registry resource URI; required.
        owner_name: The owner's name; the association's name when ``None``.
        subject_webpage: The credential's web page
            (``ceterms:subjectWebpage``, also required by the Registry);
            the rulebook's first source when ``None``.

    Returns:
        JSON-LD as JSON-ready data, the same for the same input.

    Raises:
        UnknownCategoryError: The rulebook defines no such category.
        IncompleteExportError: *owner* is missing or not an absolute URI,
            or *subject_webpage* is not an ``http(s)`` URL and the rulebook
            has no source to take it from.

    >>> graph = export_ctdl(bundled_rulebook("mi-aimh-2024"), "IFS",
    ...                     owner="https://example.org/mi-aimh")["@graph"]
    >>> graph[0]["@type"], graph[0]["ceterms:name"]
    ('ceterms:Certification', {'en-US': 'Infant Family Specialist'})

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2.0
       *owner* is required; the graph holds the owner, and the
       competencies' alignment moved into a ``ceterms:ConditionProfile``.
    """
    chosen: Category = rulebook.category(category)
    what = f"the CTDL export of {chosen.code}"
    if owner is None or not _absolute(owner, web=False):
        raise IncompleteExportError(
            what,
            "ceterms:ownedBy",
            "the absolute URI of the organization that owns the "
            "credential (owner, or --owner), which the Credential Registry "
            "requires",
            owner,
        )
    webpage = subject_webpage
    if webpage is None and rulebook.sources:
        webpage = rulebook.sources[0]
    if webpage is None or not _absolute(webpage, web=True):
        raise IncompleteExportError(
            what,
            "ceterms:subjectWebpage",
            "the http(s) URL of the credential's web page "
            "(subject_webpage, or --subject-webpage), which the Credential "
            "Registry requires",
            webpage,
        )
    ended = rulebook.effective_until is not None
    status = "Deprecated" if ended else "Active"
    ctid = "ce-" + stable_uuid(rulebook.id, chosen.code)
    requires = [
        _condition(requirement, rulebook)
        for requirement in chosen.requirements
    ]
    credential: dict[str, Any] = {
        "@id": f"urn:iecmh:rulebook:{rulebook.id}#{chosen.code}",
        "@type": "ceterms:Certification",
        "ceterms:ctid": ctid,
        "ceterms:name": _text(chosen.name),
        "ceterms:description": _text(
            f"{chosen.name} ({chosen.code}), {chosen.family.value}, as "
            f"defined by the rulebook edition {rulebook.id} "
            f"({rulebook.title}), in force from {rulebook.effective_from}"
            + (
                f" to {rulebook.effective_until}"
                if rulebook.effective_until
                else ""
            )
            + "."
        ),
        "ceterms:ownedBy": [owner],
        "ceterms:credentialStatusType": _concept(
            "https://credreg.net/ctdl/terms/CredentialStatus",
            "Credential Status",
            f"credentialStat:{status}",
            status,
        ),
        "ceterms:subjectWebpage": webpage,
        "ceterms:inLanguage": [_EN],
        "ceterms:versionIdentifier": [
            {
                "@type": "ceterms:IdentifierValue",
                "ceterms:identifierTypeName": _text("iecmh_core rulebook"),
                "ceterms:identifierValueCode": rulebook.id,
            }
        ],
        "ceterms:dateEffective": rulebook.effective_from.isoformat(),
        "ceterms:requires": requires,
    }
    if rulebook.effective_until:
        credential["ceterms:expirationDate"] = (
            rulebook.effective_until.isoformat()
        )
    organization = {
        "@id": owner,
        "@type": "ceterms:CredentialOrganization",
        "ceterms:name": _text(
            owner_name
            or ASSOCIATION_NAMES.get(
                rulebook.association, rulebook.association
            )
        ),
    }
    graph: list[dict[str, Any]] = [credential, organization]
    if framework is not None:
        graph.extend(_competencies(framework, chosen, rulebook, requires))
    return {"@context": _CTDL_CONTEXT, "@graph": graph}


def _competencies(
    framework: Framework,
    chosen: Category,
    rulebook: Rulebook,
    requires: list[dict[str, Any]],
) -> list[dict[str, Any]]:
    framework_id = f"urn:iecmh:framework:{framework.id}"
    competencies = []
    aligned = []
    for domain in framework.domains:
        d_id = f"{framework_id}#{domain.id}"
        competencies.append(
            {
                "@id": d_id,
                "@type": "ceasn:Competency",
                "ceasn:competencyText": _text(domain.name),
                "ceasn:codedNotation": domain.id,
                "ceasn:isPartOf": framework_id,
                "ceasn:isTopChildOf": framework_id,
                "ceasn:competencyCategory": _text("Domain"),
            }
        )
        for area in domain.knowledge_areas:
            a_id = f"{framework_id}#{area.id}"
            competencies.append(
                {
                    "@id": a_id,
                    "@type": "ceasn:Competency",
                    "ceasn:competencyText": _text(area.name),
                    "ceasn:codedNotation": area.id,
                    "ceasn:isPartOf": framework_id,
                    "ceasn:isChildOf": [d_id],
                    "ceasn:competencyCategory": _text("Knowledge Area"),
                }
            )
            if chosen.code in area.categories:
                aligned.append(
                    {
                        "@type": "ceterms:CredentialAlignmentObject",
                        "ceterms:framework": framework_id,
                        "ceterms:frameworkName": _text(framework.title),
                        "ceterms:targetNode": a_id,
                        "ceterms:targetNodeName": _text(area.name),
                    }
                )
    if aligned:
        requires.append(
            {
                "@type": "ceterms:ConditionProfile",
                "ceterms:name": _text(f"Competencies ({framework.id})"),
                "ceterms:description": _text(
                    f"The knowledge areas of {framework.title}, edition "
                    f"{framework.edition}, that {chosen.code} expects."
                ),
                "ceterms:dateEffective": rulebook.effective_from.isoformat(),
                "ceterms:targetCompetency": aligned,
            }
        )
    return [
        {
            "@id": framework_id,
            "@type": "ceasn:CompetencyFramework",
            "ceasn:name": _text(framework.title),
            "ceterms:versionIdentifier": [
                {
                    "@type": "ceterms:IdentifierValue",
                    "ceterms:identifierTypeName": _text("edition"),
                    "ceterms:identifierValueCode": framework.edition,
                }
            ],
            "ceasn:inLanguage": [_EN],
            "ceasn:hasTopChild": [
                f"{framework_id}#{domain.id}" for domain in framework.domains
            ],
            **_valid_from(framework),
        },
        *competencies,
    ]
