# A Sphinx extension found through sys.path, not part of a package:
# ruff: noqa: INP001
"""
Generate the requirement catalogue from the bundled rulebooks.

On ``builder-inited`` this writes one MyST page per bundled edition to
``docs/catalogue/<edition>.md``: the edition's dates and sources, then one
section per category and one entry per requirement (id, kind, title, the
parameters in words, the sources as links and the rulebook's note), with
the paths of ``any_of`` requirements and their requirements nested inside,
each category's renewal requirements under its own heading, and the
edition's renewal cycle and reinstatement requirements at the end.

The pages are built from `iecmh_core.bundled_rulebooks`, so they always
describe the rulebooks of the library being documented. The folder is
generated, ignored by git, and rewritten only where a page changed, so that
an unchanged catalogue does not make Sphinx read the pages again.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import iecmh_core
from iecmh_core import (
    AnyOfRequirement,
    Applicability,
    Category,
    EducationRequirement,
    EndorsementHeldRequirement,
    EthicsRequirement,
    ExamRequirement,
    LeadershipRequirement,
    MembershipRequirement,
    ProviderRule,
    ReferenceSlot,
    ReferencesRequirement,
    RenewalPolicy,
    Requirement,
    RscRequirement,
    Rulebook,
    TrainingRequirement,
    WorkRequirement,
)

#: The folder, under the documentation's source folder, of the generated pages.
FOLDER = "catalogue"

_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~$&%])")
_LIST_START = re.compile(r"^(\d+)([.)])(?=\s|$)")


def escape(text: str) -> str:
    """
    Escape *text* so that MyST shows it as written, with no markup.
    """
    text = _SPECIAL.sub(r"\\\1", " ".join(text.split()))
    if text[:1] in string.punctuation and text[:1] != "\\":
        # "- ", ": ", "% " and the like begin a block at the start of a line.
        text = "\\" + text
    # So does "2. ", an ordered list.
    return _LIST_START.sub(r"\1\\\2", text)


def code(value: object) -> str:
    """
    Show *value* (an enumeration member or a string) as inline code.
    """
    text = str(getattr(value, "value", value))
    fence = "``" if "`" in text else "`"
    return f"{fence}{text}{fence}"


def listing(items: Iterable[str], last: str = "or") -> str:
    """
    Join *items* as prose: ``a``, ``a or b``, ``a, b or c``.
    """
    names = list(items)
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} {last} {names[-1]}"


def number(value: object) -> str:
    """
    Write a decimal quantity without a trailing ``.0``.
    """
    text = f"{value:f}" if not isinstance(value, int) else str(value)
    return text.rstrip("0").rstrip(".") if "." in text else text


def label(edition: str, name: str) -> str:
    """
    The cross-reference label of a category or requirement of *edition*.
    """
    return f"catalogue-{edition}-{name.lower().replace('/', '-')}"


# -- parameters in words ----------------------------------------------------


def _education(req: EducationRequirement) -> list[str]:
    levels = listing(code(lv) for lv in req.levels)
    return [
        (
            "A degree or credential at one of these levels, completed on or "
            f"before the as-of date: {levels}."
        )
    ]


def _work(req: WorkRequirement) -> list[str]:
    lines = [
        (
            f"{number(req.years)} years of full-time-equivalent work, each "
            "job prorated by its `fte` and at most one full-time post "
            "counted per day."
        )
    ]
    if req.unpaid_if_supervised:
        lines.append("Paid work and supervised volunteer work count.")
    else:
        lines.append(
            "Paid work only."
            if req.paid_only
            else "Paid and unpaid work count."
        )
    if req.age_bands:
        lines.append(
            "Age bands: " + listing(code(b) for b in req.age_bands) + "."
        )
    if req.services:
        lines.append(
            "Services: at least one of "
            + listing(code(s) for s in req.services)
            + "."
        )
    if req.after_level:
        level = code(req.after_level)
        lines.append(
            f"Only work after the applicant completed a {level} degree or "
            "higher."
        )
    if req.min_families is not None:
        lines.append(
            f"Only jobs that served at least {req.min_families} families."
        )
    if req.supervised_only:
        lines.append("Supervised work only.")
    return lines


def _training(req: TrainingRequirement) -> list[str]:
    text = f"{number(req.hours)} clock hours of training"
    if req.topic is not None:
        text += f" tagged with the topic {code(req.topic)}"
    if req.parts:
        text += ", in parts each hour counts toward once: " + listing(
            f"{number(part.hours)} hours of {part.title}"
            + (f" (tagged {code(part.topic)})" if part.topic else "")
            for part in req.parts
        )
        text += (
            "; hours beyond a topic's part may fill a part with no topic"
            if req.surplus_fills_general
            else "; a part with no topic takes trainings tagged with none "
            "of the parts' topics"
        )
    if req.window_months:
        return [
            text + f", completed in the {req.window_months} months up to "
            "the as-of date."
        ]
    return [text + ", completed on or before the as-of date."]


def provider_rule(rule: ProviderRule) -> str:
    """
    Say in words who qualifies as an RSC provider under *rule*.
    """
    who = []
    if rule.categories:
        text = "endorsed as " + listing(code(c) for c in rule.categories)
        if rule.provider_levels:
            text += (
                " with a "
                + listing(code(lv) for lv in rule.provider_levels)
                + " degree"
            )
        who.append(text)
    if rule.vetted:
        who.append("vetted by the association")
    text = " or ".join(who)
    if rule.applicant_levels:
        text += (
            ", for applicants whose highest degree on the session's date is "
            + listing(code(lv) for lv in rule.applicant_levels)
        )
    if rule.when is not None:
        if rule.when.evidence_on_or_after is not None:
            text += (
                f", for sessions on or after {rule.when.evidence_on_or_after}"
            )
        if rule.when.evidence_before is not None:
            text += f", for sessions before {rule.when.evidence_before}"
    return text


def _rsc(req: RscRequirement) -> list[str]:
    lines = [
        (
            f"{number(req.hours)} clock hours of RSC received in the "
            f"{req.window_months} months up to the as-of date."
        ),
        "Formats: " + listing(code(f) for f in req.formats) + ".",
        "Qualifying providers: "
        + "; or ".join(provider_rule(rule) for rule in req.providers)
        + ".",
    ]
    if req.min_span_months:
        lines.append(
            "The counted sessions spread over at least "
            f"{req.min_span_months} months, first to last."
        )
    if req.max_providers:
        lines.append(
            f"Hours from at most {req.max_providers} "
            + ("provider" if req.max_providers == 1 else "providers")
            + "."
        )
    if req.majority_from_one:
        lines.append("More than half of the required hours from one provider.")
    if req.about_providing_rsc:
        lines.append(
            "Only sessions about the RSC the applicant provides to others."
        )
    return lines


def reference_slot(slot: ReferenceSlot) -> str:
    """
    Say in words which ratings fill *slot*.
    """
    parts = []
    if slot.roles:
        parts.append("role " + listing(code(r) for r in slot.roles))
    if slot.rater_categories:
        text = "rater endorsed as " + listing(
            code(c) for c in slot.rater_categories
        )
        if slot.vetted_counts:
            text += ", or vetted by the association"
        parts.append(text)
    condition = "; ".join(parts) if parts else "any rater"
    return f"{escape(slot.title)} ({condition})"


def _references(req: ReferencesRequirement) -> list[str]:
    lines = [
        f"{req.count} valid reference "
        + ("rating" if req.count == 1 else "ratings")
        + ", submitted on or before the as-of date."
    ]
    if req.void_at is not None:
        lines.append(
            "A rating is void when the rater could not rate "
            f"{req.void_at} or more items."
        )
    if req.slots:
        lines.append(
            "Among them, one different rating for each of these:\n"
            + "\n".join(f"- {reference_slot(s)}" for s in req.slots)
        )
    return lines


def _exam(req: ExamRequirement) -> list[str]:
    text = f"Part {req.part} of the Endorsement exam, passed"
    if req.pass_percent is not None:
        text += f" with a score of at least {number(req.pass_percent)}%"
    return [text + ", on or before the as-of date."]


def _membership(req: MembershipRequirement) -> list[str]:
    which = (
        listing(code(a) for a in req.associations)
        if req.associations
        else "any infant mental health association"
    )
    return [f"A membership in {which}, current on the as-of date."]


def _ethics(req: EthicsRequirement) -> list[str]:
    if req.window_months:
        return [
            (
                "The Code of Ethics and Endorsement Agreement, signed in the "
                f"{req.window_months} months up to the as-of date."
            )
        ]
    return [
        (
            "The Code of Ethics and Endorsement Agreement, signed on or "
            "before the as-of date."
        )
    ]


def _leadership(req: LeadershipRequirement) -> list[str]:
    text = f"{number(req.years)} years of leadership"
    if req.levels:
        text += " at the " + listing(code(lv) for lv in req.levels)
        text += " level"
    return [text + ", overlapping activities counted once per day."]


def _endorsement_held(req: EndorsementHeldRequirement) -> list[str]:
    text = "Holds an endorsement as " + listing(
        code(c) for c in req.categories
    )
    if req.good_standing:
        text += ", in good standing on the as-of date"
    if req.min_years is not None:
        text += f", held for at least {req.min_years} years"
    return [text + "."]


def _any_of(req: AnyOfRequirement) -> list[str]:
    return [
        (
            f"Met when any one of its {len(req.paths)} paths has all its "
            "requirements met."
        )
    ]


_WORDS: dict[type, Any] = {
    EducationRequirement: _education,
    WorkRequirement: _work,
    TrainingRequirement: _training,
    RscRequirement: _rsc,
    ReferencesRequirement: _references,
    ExamRequirement: _exam,
    MembershipRequirement: _membership,
    EthicsRequirement: _ethics,
    LeadershipRequirement: _leadership,
    EndorsementHeldRequirement: _endorsement_held,
    AnyOfRequirement: _any_of,
}


def parameters(requirement: Requirement) -> list[str]:
    """
    Say in words what *requirement* asks for, one sentence per parameter.
    """
    return list(_WORDS[type(requirement)](requirement))


def applicability(when: Applicability) -> list[str]:
    """
    Say in words when a renewal requirement applies, one condition each.
    """
    conditions = []
    if when.held_for_years_at_least is not None:
        conditions.append(
            "The endorsement has been held at least "
            f"{when.held_for_years_at_least} full years on the due date."
        )
    if when.held_for_years_under is not None:
        conditions.append(
            "The endorsement has been held fewer than "
            f"{when.held_for_years_under} full years on the due date."
        )
    if when.provides_rsc:
        conditions.append(
            "The holder provides RSC: a job in the 12 months up to the due "
            "date provides the `rsc_provision` service."
        )
    if when.in_first_year:
        conditions.append(
            "Also in the first renewal year, which is otherwise exempt."
        )
    return conditions or ["Always."]


# -- pages ------------------------------------------------------------------


def _link(url: str) -> str:
    return f"[{escape(url)}](<{url}>)"


def _definition(term: str, items: list[str]) -> Iterator[str]:
    # One item is the definition itself; several are a list, and an item's
    # further lines (a nested list) are indented under it.
    yield term
    if len(items) == 1 and "\n" not in items[0]:
        yield f": {items[0]}"
    else:
        for index, item in enumerate(items):
            first, *rest = item.split("\n")
            yield f"{': ' if index == 0 else '  '}- {first}"
            yield from (f"    {line}" for line in rest)
    yield ""


def _requirement(
    requirement: Requirement, edition: str, depth: int, labels: set[str]
) -> Iterator[str]:
    target = label(edition, requirement.id)
    if target not in labels:
        labels.add(target)
        yield f"({target})="
        yield ""
    yield (
        f"{'#' * min(depth, 6)} {code(requirement.id)}: "
        f"{escape(requirement.title)}"
    )
    yield ""
    kind = requirement.kind.value
    yield "Kind"
    yield f": {{ref}}`{kind} <kind-{kind}>`"
    yield ""
    yield from _definition("Asks for", parameters(requirement))
    if requirement.when is not None:
        yield from _definition("Applies", applicability(requirement.when))
    yield from _definition(
        "Sources", [_link(source) for source in requirement.sources]
    )
    if requirement.note:
        yield "Note"
        yield f": {escape(requirement.note)}"
        yield ""
    if isinstance(requirement, AnyOfRequirement):
        for number_, path in enumerate(requirement.paths, start=1):
            yield (
                f"{'#' * min(depth + 1, 6)} Path {number_} of "
                f"{len(requirement.paths)}, {code(path.id)}: "
                f"{escape(path.title)}"
            )
            yield ""
            yield (
                f"All of these must be met for {code(requirement.id)} to be "
                "met through this path."
            )
            yield ""
            for inner in path.requirements:
                yield from _requirement(inner, edition, depth + 2, labels)


def _category(
    category: Category, edition: str, labels: set[str]
) -> Iterator[str]:
    yield f"({label(edition, category.code)})="
    yield ""
    yield f"## {category.code}: {escape(category.name)}"
    yield ""
    count = len(category.requirements)
    yield (
        f"Family {code(category.family)}, age band {code(category.age_band)},"
        f" scope of practice {code(category.scope)};"
        f" {count} {'requirement' if count == 1 else 'requirements'},"
        " in the order a determination reports them."
    )
    yield ""
    for requirement in category.requirements:
        yield from _requirement(requirement, edition, 3, labels)
    if category.renewal:
        yield f"({label(edition, category.code)}-renewal)="
        yield ""
        yield "### Renewal"
        yield ""
        count = len(category.renewal)
        yield (
            f"What renewing the endorsement asks each year: {count} "
            f"{'requirement' if count == 1 else 'requirements'}, evaluated on"
            " the due date (see {ref}"
            f"`the renewal cycle <{label(edition, 'renewal')}>`). "
            "A requirement whose conditions do not hold is reported met, as "
            "not required."
        )
        yield ""
        for requirement in category.renewal:
            yield from _requirement(requirement, edition, 4, labels)


def _days(count: int) -> str:
    return f"{count} {'day' if count == 1 else 'days'}"


def _policy(
    policy: RenewalPolicy, edition: str, labels: set[str]
) -> Iterator[str]:
    yield f"({label(edition, 'renewal')})="
    yield ""
    yield "## Renewal and reinstatement"
    yield ""
    due = f"{policy.due_day} {_MONTHS[policy.due_month - 1]}"
    yield "| | |"
    yield "|---|---|"
    yield f"| Due date | every year on {due} |"
    yield (
        f"| Grace | {_days(policy.grace_days)} after the due date; "
        f"an endorsement not renewed by then lapses the day after |"
    )
    yield (
        f"| Reported due | from {_days(policy.opens_days_before)} before "
        "the due date |"
    )
    yield (
        "| First year | "
        + (
            "exempt: an endorsement awarded in a year is first renewed by "
            "the next year's due date |"
            if policy.first_year_exempt
            else "not exempt: renewed from the year of the award |"
        )
    )
    yield ""
    if policy.note:
        yield escape(policy.note)
        yield ""
    yield from _definition(
        "Sources", [_link(source) for source in policy.sources]
    )
    yield (
        "Each category's renewal requirements are listed under its "
        "*Renewal* heading above."
    )
    yield ""
    if policy.reinstatement:
        yield f"({label(edition, 'reinstatement')})="
        yield ""
        yield "### Reinstatement"
        yield ""
        yield (
            "What a lapsed endorsement needs to be reinstated, whatever its "
            "category, evaluated on the day of reinstatement: reference "
            "ratings count only when submitted on or after the day it "
            "lapsed, and the Code of Ethics must have been signed since."
        )
        yield ""
        for requirement in policy.reinstatement:
            yield from _requirement(requirement, edition, 4, labels)


_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def page(book: Rulebook, books: tuple[Rulebook, ...]) -> str:
    """
    Write the catalogue page of *book*, one of the bundled *books*.
    """
    bundled = {b.id for b in books}
    lines = [
        (
            "% Generated by docs/_ext/catalogue.py from "
            "iecmh_core.bundled_rulebooks(): do not edit."
        ),
        "",
        f"# {book.id}: {escape(book.title)}",
        "",
        "| | |",
        "|---|---|",
        f"| Edition | {code(book.id)} |",
        f"| Association | {code(book.association)} |",
        f"| In force | from {book.effective_from} "
        + (
            f"to {book.effective_until} |"
            if book.effective_until
            else "(no end date) |"
        ),
    ]
    if book.supersedes:
        older = (
            f"{{doc}}`{book.supersedes}`"
            if book.supersedes in bundled
            else code(book.supersedes)
        )
        lines.append(f"| Supersedes | {older} |")
    newer = [b.id for b in books if b.supersedes == book.id]
    if newer:
        lines.append(
            "| Superseded by | "
            + ", ".join(f"{{doc}}`{n}`" for n in newer)
            + " |"
        )
    lines.append(
        "| Categories | "
        + ", ".join(
            f"{{ref}}`{c.code} <{label(book.id, c.code)}>`"
            for c in book.categories
        )
        + " |"
    )
    if book.renewal is not None:
        lines.append(
            f"| Renewal | {{ref}}`yearly <{label(book.id, 'renewal')}>` |"
        )
    lines.append("")
    if book.note:
        lines += [escape(book.note), ""]
    if book.sources:
        lines += ["Sources for the edition as a whole:", ""]
        lines += [f"- {_link(s)}" for s in book.sources]
        lines.append("")
    labels: set[str] = set()
    for category in book.categories:
        lines.extend(_category(category, book.id, labels))
    if book.renewal is not None:
        lines.extend(_policy(book.renewal, book.id, labels))
    return "\n".join(lines).rstrip() + "\n"


def write_changed(folder: Path, pages: dict[str, str]) -> list[Path]:
    """
    Write *pages* (file name to text) into *folder*; return their paths.

    A page is rewritten only when its text changed, so that Sphinx does not
    read unchanged pages again, and other pages in the folder are removed.
    """
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in pages.items():
        target = folder / name
        if not target.exists() or target.read_text("utf-8") != text:
            target.write_text(text, encoding="utf-8")
        written.append(target)
    for stale in set(folder.glob("*.md")) - set(written):
        stale.unlink()
    return written


def write_catalogue(folder: Path) -> list[Path]:
    """
    Write one page per bundled edition into *folder*; return the pages.
    """
    books = iecmh_core.bundled_rulebooks()
    return write_changed(
        folder, {f"{book.id}.md": page(book, books) for book in books}
    )


def _generate(app: Any) -> None:
    write_catalogue(Path(app.srcdir) / FOLDER)


def setup(app: Any) -> dict[str, Any]:
    """
    Register the generator with Sphinx.
    """
    app.connect("builder-inited", _generate)
    return {
        "version": "1",
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
