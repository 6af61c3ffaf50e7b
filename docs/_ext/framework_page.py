# A Sphinx extension found through sys.path, not part of a package:
# ruff: noqa: INP001
"""
Generate the competency framework pages from the bundled frameworks.

On ``builder-inited`` this writes one MyST page per bundled framework
edition to ``docs/framework/<edition>.md``: the edition's dates and sources,
an overview of its domains, its evidence mapping (which domains exam parts
and reference ratings show), then one section per domain, in order, and one
entry per knowledge area (id, name, aliases, categories, whether a cited
source confirms it, sources as links, and the framework's note).

The pages are built from `iecmh_core.bundled_frameworks`, so they always
describe the frameworks of the library being documented. The folder is
generated, ignored by git, and rewritten only where a page changed, so that
unchanged pages do not make Sphinx read them again.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

# The catalogue extension sits beside this one, on the same sys.path entry.
from catalogue import code, escape, listing, number, write_changed

import iecmh_core
from iecmh_core import (
    Domain,
    EvidenceKind,
    EvidenceMapping,
    Framework,
    KnowledgeArea,
)

#: The folder, under the documentation's source folder, of the generated pages.
FOLDER = "framework"

#: How each kind of evidence is named on the pages.
EVIDENCE_NAMES = {
    EvidenceKind.EXAM_PART_1: "Exam part 1",
    EvidenceKind.EXAM_PART_2: "Exam part 2",
    EvidenceKind.REFERENCES: "Reference ratings",
}


def label(edition: str, name: str) -> str:
    """
    The cross-reference label of a domain or knowledge area of *edition*.

    Domain and area ids are unique across an edition (aliases included),
    so one namespace per edition is enough.
    """
    return f"framework-{edition}-{name}"


def link(url: str) -> str:
    """
    Show *url* as a link whose text is the URL itself.
    """
    return f"[{escape(url)}](<{url}>)"


def shows(mapping: EvidenceMapping) -> str:
    """
    Say in words which evidence of *mapping*'s kind shows its domains.
    """
    if mapping.evidence is EvidenceKind.REFERENCES:
        text = (
            "Each reference rating submitted on or before the as-of date "
            "that says how many items the rater could not rate"
        )
        if mapping.void_at is not None:
            text += f" (fewer than {mapping.void_at})"
        return text + "."
    part = 1 if mapping.evidence is EvidenceKind.EXAM_PART_1 else 2
    text = f"Each sitting of part {part} taken on or before the as-of date "
    if mapping.pass_percent is not None:
        return (
            text + f"with a score of at least {number(mapping.pass_percent)}%"
            ", or, when the sitting gives no score, marked passed."
        )
    return text + "and marked passed."


def _evidence_section(framework: Framework) -> Iterator[str]:
    yield "## Evidence mapping"
    yield ""
    if not framework.evidence:
        yield (
            "This edition maps no evidence to whole domains: only trainings "
            "that name a knowledge area cover it."
        )
        yield ""
        return
    yield (
        "Trainings name the knowledge areas they cover themselves. Exam "
        "parts and reference ratings do not: the framework says which "
        "domains each shows as a whole. A coverage report lists them with "
        "those domains, never as covering a named knowledge area."
    )
    yield ""
    names = {domain.id: domain.name for domain in framework.domains}
    for mapping in framework.evidence:
        yield f"### {EVIDENCE_NAMES[mapping.evidence]}"
        yield ""
        yield "Evidence"
        yield f": {code(mapping.evidence)}"
        yield ""
        yield "Shows the domains"
        yield ": " + listing(
            (
                (
                    f"{{ref}}`{names[d]} <{label(framework.id, d)}>`"
                    if d in names
                    else code(d)
                )
                for d in mapping.domains
            ),
            "and",
        )
        yield ""
        yield "Counted"
        yield f": {shows(mapping)}"
        yield ""
        yield from _definition(
            "Sources", [link(source) for source in mapping.sources]
        )


def _definition(term: str, items: list[str]) -> Iterator[str]:
    yield term
    if len(items) == 1:
        yield f": {items[0]}"
    else:
        for index, item in enumerate(items):
            yield f"{': ' if index == 0 else '  '}- {item}"
    yield ""


def _status(area: KnowledgeArea) -> str:
    if area.confirmed:
        return "Confirmed: a cited public source confirms the area."
    return (
        "**Unconfirmed**: kept from background knowledge and marked so; no "
        "cited public source confirms the area."
    )


def _renames(
    framework: Framework, frameworks: tuple[Framework, ...]
) -> dict[str, str]:
    # For each area id of *framework* that a bundled edition superseding it
    # keeps as an alias: how the pages say where the area went.
    renamed = {}
    for newer in frameworks:
        if newer.supersedes != framework.id:
            continue
        for domain in newer.domains:
            for area in domain.knowledge_areas:
                for alias in area.aliases:
                    renamed[alias] = (
                        f"{{ref}}`{area.name} <{label(newer.id, area.id)}>` "
                        f"({code(area.id)}) in {{doc}}`{newer.id}`"
                    )
    return renamed


def _former(
    framework: Framework, frameworks: tuple[Framework, ...]
) -> set[str]:
    # The area ids of the bundled edition *framework* supersedes, if any.
    for older in frameworks:
        if older.id == framework.supersedes:
            return {
                area.id
                for domain in older.domains
                for area in domain.knowledge_areas
            }
    return set()


def _alias(alias: str, framework: Framework, former: set[str]) -> str:
    if alias in former and framework.supersedes:
        return f"{{ref}}`{alias} <{label(framework.supersedes, alias)}>`"
    return code(alias)


def _area(
    area: KnowledgeArea,
    framework: Framework,
    renamed: dict[str, str],
    former: set[str],
) -> Iterator[str]:
    edition = framework.id
    yield f"({label(edition, area.id)})="
    yield ""
    yield f"### {code(area.id)}: {escape(area.name)}"
    yield ""
    yield "Status"
    yield f": {_status(area)}"
    yield ""
    if area.aliases:
        yield "Aliases"
        yield (
            ": "
            + ", ".join(_alias(a, framework, former) for a in area.aliases)
            + " (former "
            + ("id" if len(area.aliases) == 1 else "ids")
            + " that still "
            + ("resolves" if len(area.aliases) == 1 else "resolve")
            + " to this area)"
        )
        yield ""
    if area.id in renamed:
        yield "Renamed"
        yield f": to {renamed[area.id]}, which keeps this id as an alias"
        yield ""
    yield "Categories"
    if area.categories:
        yield ": " + ", ".join(code(c) for c in area.categories)
    else:
        yield ": None listed."
    yield ""
    if area.sources:
        yield from _definition(
            "Sources", [link(source) for source in area.sources]
        )
    if area.note:
        yield "Note"
        yield f": {escape(area.note)}"
        yield ""


def _shown_by(domain: Domain, framework: Framework) -> list[str]:
    return [
        EVIDENCE_NAMES[mapping.evidence].lower()
        for mapping in framework.evidence
        if domain.id in mapping.domains
    ]


def _domain(
    position: int,
    domain: Domain,
    framework: Framework,
    frameworks: tuple[Framework, ...],
) -> Iterator[str]:
    yield f"({label(framework.id, domain.id)})="
    yield ""
    yield f"## {position}. {escape(domain.name)}"
    yield ""
    count = len(domain.knowledge_areas)
    unconfirmed = sum(not a.confirmed for a in domain.knowledge_areas)
    text = (
        f"Domain {code(domain.id)}, "
        f"{count} knowledge {'area' if count == 1 else 'areas'}"
    )
    if unconfirmed:
        text += f" ({unconfirmed} unconfirmed)"
    text += ", in the framework's order."
    shown = _shown_by(domain, framework)
    if shown:
        text += (
            " Shown as a whole by "
            + listing(shown, "and")
            + " (see {ref}`"
            + f"framework-{framework.id}-evidence`)."
        )
    yield text
    yield ""
    if domain.sources:
        yield from _definition(
            "Sources", [link(source) for source in domain.sources]
        )
    renamed = _renames(framework, frameworks)
    former = _former(framework, frameworks)
    for area in domain.knowledge_areas:
        yield from _area(area, framework, renamed, former)


def _overview(framework: Framework) -> Iterator[str]:
    yield "| | Domain | Id | Knowledge areas | Shown as a whole by |"
    yield "|---|---|---|---|---|"
    for position, domain in enumerate(framework.domains, start=1):
        target = label(framework.id, domain.id)
        shown = ", ".join(_shown_by(domain, framework)) or "—"
        yield (
            f"| {position} | {{ref}}`{domain.name} <{target}>` "
            f"| {code(domain.id)} | {len(domain.knowledge_areas)} "
            f"| {shown} |"
        )
    yield ""


def page(framework: Framework, frameworks: tuple[Framework, ...]) -> str:
    """
    Write the page of *framework*, one of the bundled *frameworks*.
    """
    bundled = {f.id for f in frameworks}
    areas = [a for d in framework.domains for a in d.knowledge_areas]
    unconfirmed = sum(not a.confirmed for a in areas)
    lines = [
        (
            "% Generated by docs/_ext/framework_page.py from "
            "iecmh_core.bundled_frameworks(): do not edit."
        ),
        "",
        f"# {escape(framework.id)}",
        "",
        "| | |",
        "|---|---|",
        f"| Framework | {escape(framework.title)} |",
        f"| Edition | {code(framework.edition)} |",
        f"| Id | {code(framework.id)} |",
        "| In force | "
        + (
            f"from {framework.effective_from} |"
            if framework.effective_from
            else "(no date given) |"
        ),
    ]
    if framework.supersedes:
        older = (
            f"{{doc}}`{framework.supersedes}`"
            if framework.supersedes in bundled
            else code(framework.supersedes)
        )
        lines.append(f"| Supersedes | {older} |")
    newer = [f for f in frameworks if f.supersedes == framework.id]
    if newer:
        lines.append(
            "| Superseded by | "
            + ", ".join(
                f"{{doc}}`{f.id}`"
                + (f" from {f.effective_from}" if f.effective_from else "")
                for f in newer
            )
            + " |"
        )
    lines += [
        (
            f"| Contents | {len(framework.domains)} domains, "
            f"{len(areas)} knowledge areas, {unconfirmed} of them "
            "unconfirmed |"
        ),
        "",
        (
            "{doc}`/framework` explains editions, aliases, unconfirmed "
            "areas and the evidence mapping."
        ),
        "",
    ]
    if framework.sources:
        lines += ["Sources for the edition as a whole:", ""]
        lines += [f"- {link(s)}" for s in framework.sources]
        lines.append("")
    lines += ["## Domains", ""]
    lines.extend(_overview(framework))
    lines += [f"(framework-{framework.id}-evidence)=", ""]
    lines.extend(_evidence_section(framework))
    for position, domain in enumerate(framework.domains, start=1):
        lines.extend(_domain(position, domain, framework, frameworks))
    return "\n".join(lines).rstrip() + "\n"


def write_pages(folder: Path) -> list[Path]:
    """
    Write one page per bundled edition into *folder*; return the pages.
    """
    frameworks = iecmh_core.bundled_frameworks()
    return write_changed(
        folder,
        {f"{f.id}.md": page(f, frameworks) for f in frameworks},
    )


def _generate(app: Any) -> None:
    write_pages(Path(app.srcdir) / FOLDER)


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
