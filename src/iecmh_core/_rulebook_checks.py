"""
The checks a rulebook must pass beyond its schema, before it is used.

A rulebook is data an association writes by hand, and some mistakes in it
are valid JSON that the engine would run without a word: a provider
category code with a typo never matches any session; more reference slots
than ratings asked for can never all be filled; a spread of sessions
longer than the window they must fall in can never be met. Each such
mistake is a `Problem` at its JSON path, so the rulebook is refused when
it is loaded rather than deciding wrongly later.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from typing import Any

from iecmh_core.exceptions import Problem

#: The category codes of the data contract (IMH-E® and ECMH-E®); a rulebook
#: may refer to these and to the codes of the categories it defines itself.
CONTRACT_CATEGORIES = frozenset(
    {
        "IFA",
        "IFS",
        "IFRS",
        "IMHS",
        "IMHM-C",
        "IMHM-P",
        "IMHM-RF",
        "ECFA",
        "ECFS",
        "ECFRS",
        "ECMHS",
        "ECMHM-C",
        "ECMHM-P",
        "ECMHM-RF",
    }
)

_CENT = Decimal("0.01")


def _walk(
    requirements: Iterable[Mapping[str, Any]], path: str
) -> Iterator[tuple[Mapping[str, Any], str]]:
    """
    Every requirement with its JSON path, those inside OR paths included.
    """
    for index, requirement in enumerate(requirements):
        here = f"{path}[{index}]"
        yield requirement, here
        for p, alternative in enumerate(requirement.get("paths", ())):
            yield from _walk(
                alternative["requirements"], f"{here}.paths[{p}].requirements"
            )


def _codes(
    values: Iterable[str], known: frozenset[str], path: str, what: str
) -> Iterator[Problem]:
    for index, code in enumerate(values):
        if code not in known:
            yield Problem(
                f"{path}[{index}]",
                f"expected a category code of the contract or of this "
                f"rulebook for {what}, got {code!r} (a typo never matches)",
            )


def _requirement_problems(
    requirement: Mapping[str, Any], path: str, known: frozenset[str]
) -> Iterator[Problem]:
    for index, rule in enumerate(requirement.get("providers", ())):
        when = rule.get("when", {})
        start, end = (
            when.get("evidence_on_or_after"),
            when.get("evidence_before"),
        )
        if start is not None and end is not None and str(start) >= str(end):
            yield Problem(
                f"{path}.providers[{index}].when",
                f"expected evidence_on_or_after ({start}) before "
                f"evidence_before ({end}): no session could ever fall "
                "between them",
            )
        yield from _codes(
            rule.get("categories", ()),
            known,
            f"{path}.providers[{index}].categories",
            "an RSC provider",
        )
    if requirement.get("kind") == "endorsement_held":
        yield from _codes(
            requirement["categories"],
            known,
            f"{path}.categories",
            "an endorsement held",
        )
    for index, slot in enumerate(requirement.get("slots", ())):
        yield from _codes(
            slot.get("rater_categories", ()),
            known,
            f"{path}.slots[{index}].rater_categories",
            "a rater",
        )
    slots = len(requirement.get("slots", ()))
    if "count" in requirement and slots > requirement["count"]:
        yield Problem(
            f"{path}.slots",
            f"expected at most count ({requirement['count']}) slots, each "
            f"filled by one of the ratings, got {slots}",
        )
    span = requirement.get("min_span_months")
    window = requirement.get("window_months")
    if requirement.get("kind") == "rsc" and span and window and span > window:
        yield Problem(
            f"{path}.min_span_months",
            f"expected a spread of at most the window ({window} months), "
            f"got {span}: sessions inside the window can never spread "
            "over it, so the requirement could never be met",
        )
    yield from _part_problems(requirement, path)
    yield from _hour_places(requirement.get("hours"), path)


def _part_problems(
    requirement: Mapping[str, Any], path: str
) -> Iterator[Problem]:
    if requirement.get("surplus_fills_general") and not requirement.get(
        "parts"
    ):
        yield Problem(
            f"{path}.surplus_fills_general",
            "expected parts beside surplus_fills_general (it says how the "
            "parts share hours), got no parts",
        )
    parts = requirement.get("parts", ())
    if parts:
        total = sum(Decimal(str(part["hours"])) for part in parts)
        if "hours" in requirement and total > Decimal(
            str(requirement["hours"])
        ):
            yield Problem(
                f"{path}.parts",
                f"expected parts adding up to at most hours "
                f"({requirement['hours']}), got {total}",
            )
        if "topic" in requirement:
            yield Problem(
                f"{path}.topic",
                "expected either a topic or parts (each part names its own "
                "topic), got both",
            )
        for index, part in enumerate(parts):
            yield from _hour_places(
                part.get("hours"), f"{path}.parts[{index}]"
            )


def _hour_places(hours: object, path: str) -> Iterator[Problem]:
    if isinstance(hours, (int, float, Decimal)) and not isinstance(
        hours, bool
    ):
        exact = Decimal(str(hours))
        if exact != exact.quantize(_CENT):
            yield Problem(
                f"{path}.hours",
                "expected clock hours with at most 2 decimal places, got "
                f"{hours}",
            )


def _eligibility_problems(
    requirements: Iterable[Mapping[str, Any]], path: str
) -> Iterator[Problem]:
    parts: dict[int, str] = {}
    for requirement, here in _walk(requirements, path):
        if "when" in requirement:
            yield Problem(
                f"{here}.when",
                "expected no when on an eligibility requirement (when "
                "conditions apply to renewal requirements only; an "
                "eligibility requirement is never waived), got "
                f"{dict(requirement['when'])!r}",
            )
        if requirement.get("kind") == "exam" and here.count("paths") == 0:
            part = requirement["part"]
            if part in parts:
                yield Problem(
                    f"{here}.part",
                    f"expected one requirement per exam part, got part "
                    f"{part} already required at {parts[part]}",
                )
            parts.setdefault(part, here)


def rulebook_problems(data: Mapping[str, Any]) -> Iterator[Problem]:
    """
    Find the mistakes in a schema-valid rulebook that the schema cannot see.

    Category codes in provider rules and rater slots must be the
    contract's or the rulebook's own; a references requirement may not
    name more slots than ratings; an RSC spread may not be longer than
    its window; eligibility requirements take no ``when`` (only renewal
    requirements are conditional); a category requires each exam part
    once; hours have at most 2 decimal places.
    """
    categories = data.get("categories", ())
    known = CONTRACT_CATEGORIES | {c["code"] for c in categories}
    renewal = data.get("renewal", {})
    for requirement, here in _walk(
        renewal.get("reinstatement", ()), "$.renewal.reinstatement"
    ):
        yield from _requirement_problems(requirement, here, known)
    for index, category in enumerate(categories):
        path = f"$.categories[{index}]"
        eligibility = category.get("requirements", ())
        yield from _eligibility_problems(eligibility, f"{path}.requirements")
        for requirement, here in _walk(eligibility, f"{path}.requirements"):
            yield from _requirement_problems(requirement, here, known)
        for requirement, here in _walk(
            category.get("renewal", ()), f"{path}.renewal"
        ):
            yield from _requirement_problems(requirement, here, known)
        emerging = category.get("emerging", {}).get("requirements", ())
        here = f"{path}.emerging.requirements"
        yield from _eligibility_problems(emerging, here)
        for requirement, where in _walk(emerging, here):
            yield from _requirement_problems(requirement, where, known)
