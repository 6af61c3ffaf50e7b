"""
The earned endorsement as an Open Badges 3.0 ``AchievementCredential``.

The credential is returned unsigned, as JSON-ready data; the issuer signs
it with its own key (see iecmh_core._signing, the ``sign`` extra).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from iecmh_core._catalogue import RulebookCatalogue
from iecmh_core._exports import (
    ASSOCIATION_NAMES,
    export_case,
    requirement_conditions,
    stable_uuid,
)
from iecmh_core._framework import Framework
from iecmh_core._lifecycle import (
    LifecycleStatus,
    _held,
    _policy_book,
    endorsement_status,
)
from iecmh_core._portfolio import HeldEndorsement, Portfolio
from iecmh_core._rulebook import Rulebook
from iecmh_core.exceptions import EndorsementNotCurrentError

#: The JSON-LD contexts of an Open Badges 3.0.3 credential, in order.
OB3_CONTEXT = (
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
)


def _moment(day: dt.date, *, end: bool = False) -> str:
    time = dt.time(23, 59, 59) if end else dt.time()
    return (
        dt.datetime.combine(day, time, dt.UTC)
        .isoformat()
        .replace("+00:00", "Z")
    )


def _subject(
    portfolio: Portfolio, subject_id: str | None, salt: str | None
) -> dict[str, Any]:
    subject: dict[str, Any] = {"type": ["AchievementSubject"]}
    if subject_id is not None:
        subject["id"] = subject_id
        return subject
    # Never the portfolio's id in clear: with no salt given, a fresh random
    # one, so the same holder's credentials cannot be linked by the hash.
    salt = secrets.token_hex(16) if salt is None else salt
    digest = hashlib.sha256((portfolio.id + salt).encode()).hexdigest()
    identity = {
        "type": "IdentityObject",
        "hashed": True,
        "identityHash": f"sha256${digest}",
        "identityType": "identifier",
        "salt": salt,
    }
    subject["identifier"] = [identity]
    return subject


def export_ob3(  # noqa: PLR0913 - the credential's optional parts
    portfolio: Portfolio,
    endorsement: HeldEndorsement | str,
    rulebook: Rulebook | str | None = None,
    *,
    framework: Framework | None = None,
    issued_on: dt.date | None = None,
    subject_id: str | None = None,
    salt: str | None = None,
    issuer_id: str | None = None,
    case_base_uri: str = "urn:uuid:",
    catalogue: RulebookCatalogue | None = None,
) -> dict[str, Any]:
    """
    Turn an earned endorsement into an unsigned Open Badges 3.0 credential.

    The ``AchievementCredential`` names the association as issuer, describes
    the category as an ``Achievement`` whose criteria are the rulebook's
    requirements in words, aligns it with the competency framework's domains
    (by their CASE identifiers) when *framework* is given, and is valid from
    the award through the grace days after the due date of the renewal
    cycle in force on *issued_on*; its id changes with that cycle, so a
    credential re-issued after a renewal is a new credential.

    Args:
        portfolio: The holder's portfolio.
        endorsement: The endorsement held, or its category code.
        rulebook: A `Rulebook`, a bundled edition's id, or ``None`` for the
            edition of the endorsement's association in force on
            *issued_on*.
        framework: The competency framework to align with, if any.
        issued_on: The day the credential is issued; today (the local date)
            when ``None``.
        subject_id: The holder's id for the credential (a DID, a
            ``mailto:`` URI ...), its ``credentialSubject.id``, which a
            VC-JWT needs as its ``sub``; when ``None``, the portfolio's id
            is given as an identifier, hashed with *salt*.
        salt: The salt for hashing the portfolio's id; a fresh random one
            when ``None`` (the credential then differs at each call: give
            one for reproducible output).
        issuer_id: The issuer profile's id (its URL); a ``urn:iecmh``
            identifier for the association when ``None``.
        case_base_uri: The base URI the framework's CASE package was
            published with (see `export_case`), for the alignments' URLs.
        catalogue: The editions to choose from (see `load_catalogue`); the
            bundled ones when ``None``.

    Returns:
        The credential as JSON-ready data.

    Raises:
        EndorsementNotHeldError: The portfolio holds no such endorsement.
        EndorsementNotCurrentError: The endorsement is lapsed, inactive or
            archived on *issued_on*.

    >>> portfolio = load_portfolio({
    ...     "id": "a-1", "code_of_ethics_signed_on": "2025-03-01",
    ...     "endorsements": [{"category": "IFS", "rulebook": "mi-aimh-2024",
    ...                       "awarded_on": "2025-04-01", "status": "active"}],
    ... })
    >>> badge = export_ob3(
    ...     portfolio, "IFS", issued_on=datetime.date(2025, 6, 1))
    >>> badge["type"], badge["validUntil"]
    (['VerifiableCredential', 'OpenBadgeCredential'], '2027-01-31T23:59:59Z')

    .. versionadded:: 0.1.0
    """
    held = _held(portfolio, endorsement)
    day = issued_on or dt.date.today()  # noqa: DTZ011 - documented
    book, _ = _policy_book(held, rulebook, day, catalogue=catalogue)
    state = endorsement_status(held, day, book)
    if state.status in {
        LifecycleStatus.NOT_YET_AWARDED,
        LifecycleStatus.LAPSED,
        LifecycleStatus.INACTIVE,
        LifecycleStatus.ARCHIVED,
    }:
        raise EndorsementNotCurrentError(held.category, state.explanation)
    category = book.category(held.category)
    issuer_name = ASSOCIATION_NAMES.get(book.association, book.association)
    issuer = {
        "id": issuer_id or f"urn:iecmh:association:{book.association}",
        "type": ["Profile"],
        "name": issuer_name,
    }
    criteria = "\n".join(
        f"- {requirement.title}: "
        + "; ".join(requirement_conditions(requirement))
        for requirement in category.requirements
    )
    achievement: dict[str, Any] = {
        "id": f"urn:iecmh:rulebook:{book.id}#{category.code}",
        "type": ["Achievement"],
        "achievementType": "Certification",
        "name": f"{category.name} ({category.code})",
        "description": (
            f"The {issuer_name} Endorsement for Culturally Sensitive, "
            "Relationship-Focused Practice Promoting Infant and Early "
            f"Childhood Mental Health, category {category.name} "
            f"({category.code}, {category.family.value})."
        ),
        # The criteria get no id: sharing the achievement's would make them
        # one JSON-LD node, and they have no web page of their own.
        "criteria": {
            "narrative": (
                f"Met the requirements of {category.code} in the rulebook "
                f"edition {book.id} ({book.title}):\n{criteria}"
            ),
        },
        "humanCode": category.code,
        "version": book.id,
        "creator": issuer,
        "inLanguage": "en",
    }
    if framework is not None:
        case = export_case(framework, base_uri=case_base_uri)
        domains = {
            item["fullStatement"]: item
            for item in case["CFItems"]
            if item["CFItemType"] == "Domain"
        }
        achievement["alignment"] = [
            {
                "type": ["Alignment"],
                "targetName": domain.name,
                "targetUrl": domains[domain.name]["uri"],
                "targetType": "CFItem",
                "targetCode": domain.id,
                "targetFramework": framework.title,
            }
            for domain in framework.domains
        ]
    credential: dict[str, Any] = {
        "@context": list(OB3_CONTEXT),
        "id": "urn:uuid:"
        + stable_uuid(
            "ob3",
            portfolio.id,
            category.code,
            held.awarded_on.isoformat(),
            str(state.due_on),
        ),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": f"{category.name} ({category.code}) Endorsement",
        "issuer": issuer,
        "validFrom": _moment(held.awarded_on),
        "awardedDate": _moment(held.awarded_on),
        "credentialSubject": {
            **_subject(portfolio, subject_id, salt),
            "achievement": achievement,
        },
    }
    if state.due_on is not None:
        # Valid while the renewal can still be made: through the grace days.
        policy = book.renewal
        grace = dt.timedelta(days=policy.grace_days if policy else 0)
        credential["validUntil"] = _moment(state.due_on + grace, end=True)
    return credential
