"""
Rulebook catalogues: the editions an evaluation may choose from.

A catalogue holds the bundled editions and the caller's, all alike: one
rule chooses among them by association and date, honouring each edition's
``effective_from``, ``effective_until`` and ``supersedes``. Every function
that picks an edition (evaluation, renewal, reinstatement, status, the
exports, batch and the command line) asks a catalogue.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator, Mapping
from functools import cache
from importlib.resources import as_file, files
from pathlib import Path
from typing import Any

import attrs

from iecmh_core._arguments import expect
from iecmh_core._documents import _read as read_document
from iecmh_core._documents import _Unreadable, dump, load_rulebook
from iecmh_core._rulebook import Rulebook
from iecmh_core.exceptions import (
    DuplicateEditionError,
    InvalidRulebookError,
    Problem,
    UnknownCategoryError,
    UnknownRulebookError,
)

#: The association whose edition is chosen when none is named and several
#: define the category: MI-AIMH owns the Endorsement and licenses it.
DEFAULT_ASSOCIATION = "mi-aimh"

CatalogueSource = Rulebook | str | os.PathLike[str]


def in_force_on(book: Rulebook, on: dt.date) -> bool:
    return book.effective_from <= on and (
        book.effective_until is None or on <= book.effective_until
    )


_INHERITED = ("title", "sources", "note", "renewal")


def _document(path: Path) -> Any:
    try:
        data, _ = read_document(path)
    except _Unreadable:
        return None  # load_rulebook reports it, with its path
    return data


def _files(source: CatalogueSource) -> Iterator[Rulebook | Path]:
    if isinstance(source, Rulebook):
        yield source
        return
    path = Path(source)
    if path.is_dir():
        yield from sorted(path.glob("*.json"))
        return
    yield path


def _problem(label: str, path: str, message: str) -> InvalidRulebookError:
    problem = Problem(path, message, "catalogue.extension")
    return InvalidRulebookError(label, "rulebook", [problem])


def _modified(
    category: dict[str, Any], change: Mapping[str, Any], at: str, label: str
) -> dict[str, Any]:
    category = dict(category)
    sections = ("requirements", "renewal")
    for index, rid in enumerate(change.get("remove_requirements", ())):
        kept = {
            s: [r for r in category.get(s, ()) if r["id"] != rid]
            for s in sections
        }
        if all(len(kept[s]) == len(category.get(s, ())) for s in sections):
            raise _problem(
                label,
                f"{at}.remove_requirements[{index}]",
                f"expected a requirement id of {category['code']}, got "
                f"{rid!r}",
            )
        category.update({s: kept[s] for s in sections if s in category})
    for requirement in change.get("requirements", ()):
        for section in sections:
            found = [
                i
                for i, r in enumerate(category.get(section, ()))
                if r["id"] == requirement["id"]
            ]
            if found:
                listed = list(category[section])
                listed[found[0]] = requirement
                category[section] = listed
                break
        else:
            category["requirements"] = [
                *category["requirements"],
                requirement,
            ]
    for field in ("name", "note", "sources"):
        if field in change:
            category[field] = change[field]
    return category


def resolve_extension(
    data: Mapping[str, Any], base: Rulebook, label: str = "<data>"
) -> dict[str, Any]:
    """
    Apply an extending edition's changes to its base: a whole edition.

    The extending edition's own fields (id, association, dates, title,
    sources, note) replace the base's; ``effective_until`` and
    ``supersedes`` are never inherited. Its ``changes`` remove categories,
    add or replace whole ones by code, and change a category requirement
    by requirement, by id; a renewal policy given replaces the base's.

    Raises:
        InvalidRulebookError: A change names a category or requirement the
            base does not have, at the change's JSON path.
    """
    whole: dict[str, Any] = {
        k: v for k, v in dump(base).items() if k in _INHERITED
    }
    whole.update(
        {k: v for k, v in data.items() if k not in {"extends", "changes"}}
    )
    base_categories = dump(base)["categories"]
    categories = {c["code"]: c for c in base_categories}
    changes = data.get("changes", {})
    for index, code in enumerate(changes.get("remove_categories", ())):
        if code not in categories:
            raise _problem(
                label,
                f"$.changes.remove_categories[{index}]",
                f"expected a category code of {base.id}, got {code!r}",
            )
        del categories[code]
    for index, change in enumerate(changes.get("modify_categories", ())):
        code = change["code"]
        at = f"$.changes.modify_categories[{index}]"
        if code not in categories:
            raise _problem(
                label,
                f"{at}.code",
                f"expected a category code of {base.id}, got {code!r}",
            )
        categories[code] = _modified(categories[code], change, at, label)
    for category in changes.get("categories", ()):
        categories[category["code"]] = category
    whole["categories"] = list(categories.values())
    if "renewal" in changes:
        whole["renewal"] = changes["renewal"]
    return whole


@attrs.frozen
class RulebookCatalogue:
    """
    The rulebook editions an evaluation may choose from, bundled or not.

    Editions are ordered by association and then by the date they take
    effect. Build one with `load_catalogue`; `RulebookCatalogue.bundled`
    is the library's own editions.

    Attributes:
        editions: The editions, each id once.
        origins: For each edition id, where it came from: ``"bundled"``,
            a file's path, or ``"<object>"`` for a `Rulebook` passed in.
        extensions: For each edition that extends another, the document
            as written (its ``extends`` and ``changes``); the edition in
            `editions` is its resolution, a whole edition.

    >>> catalogue = RulebookCatalogue.bundled()
    >>> catalogue.select("IFS", datetime.date(2020, 6, 1)).id
    'mi-aimh-2017'

    .. versionadded:: 0.2.0
    """

    editions: tuple[Rulebook, ...]
    origins: tuple[tuple[str, str], ...] = ()
    extensions: tuple[tuple[str, Any], ...] = ()

    @classmethod
    def bundled(cls) -> RulebookCatalogue:
        """
        Return the catalogue of the editions shipped with the library.
        """
        return _bundled_catalogue()

    def with_editions(self, *sources: CatalogueSource) -> RulebookCatalogue:
        """
        Return this catalogue with more editions: objects, files, folders.

        A folder adds every ``*.json`` file in it, in name order.

        Raises:
            DuplicateEditionError: An edition's id is already in the
                catalogue (bundled or another of the caller's).
            InvalidRulebookError: A file is not a valid rulebook.
        """
        editions = list(self.editions)
        origins = dict(self.origins)
        extensions = dict(self.extensions)
        pending: list[tuple[Mapping[str, Any], str]] = []

        def add(book: Rulebook, origin: str) -> None:
            if book.id in origins:
                raise DuplicateEditionError(book.id, origins[book.id], origin)
            editions.append(book)
            origins[book.id] = origin

        for source in sources:
            for item in _files(source):
                if isinstance(item, Rulebook):
                    add(item, "<object>")
                    continue
                data = _document(item)
                if isinstance(data, Mapping) and "extends" in data:
                    pending.append((data, str(item)))
                else:
                    add(load_rulebook(item), str(item))
        while pending:
            known = {b.id: b for b in editions}
            ready = [(d, o) for d, o in pending if d["extends"] in known]
            if not ready:
                data, origin = pending[0]
                wanted = (
                    f"{data['extends']}, the base edition {origin} extends "
                    "(add it to the catalogue)"
                )
                raise UnknownRulebookError(wanted, sorted(known))
            for data, origin in ready:
                whole = resolve_extension(data, known[data["extends"]], origin)
                add(load_rulebook(whole), origin)
                extensions[str(data["id"])] = data
            pending = [(d, o) for d, o in pending if (d, o) not in ready]
        editions.sort(key=lambda b: (b.association, b.effective_from, b.id))
        return RulebookCatalogue(
            tuple(editions),
            tuple(origins.items()),
            tuple(extensions.items()),
        )

    def document(self, rulebook_id: str, *, resolved: bool = True) -> Any:
        """
        The edition *rulebook_id* as a JSON-ready document.

        Args:
            rulebook_id: The edition's id.
            resolved: The whole edition (the default); when false, an
                edition that extends another as it was written.

        Raises:
            UnknownRulebookError: No edition has that id.
        """
        book = self.get(rulebook_id)
        written = dict(self.extensions).get(rulebook_id)
        if not resolved and written is not None:
            return written
        return dump(book)

    def ids(self) -> list[str]:
        """
        The ids of the editions, in the catalogue's order.
        """
        return [book.id for book in self.editions]

    def origin(self, rulebook_id: str) -> str:
        """
        Where the edition *rulebook_id* came from (``"bundled"``, a path).
        """
        return dict(self.origins).get(rulebook_id, "<object>")

    def get(self, rulebook_id: str) -> Rulebook:
        """
        Return the edition with the id *rulebook_id*.

        Raises:
            UnknownRulebookError: No edition has that id.
        """
        for book in self.editions:
            if book.id == rulebook_id:
                return book
        raise UnknownRulebookError(rulebook_id, self.ids())

    def find(self, rulebook_id: str) -> Rulebook | None:
        """
        Return the edition with the id *rulebook_id*, or ``None``.
        """
        return next((b for b in self.editions if b.id == rulebook_id), None)

    def in_force(
        self,
        on: dt.date,
        *,
        association: str | None = None,
        category: str | None = None,
    ) -> list[Rulebook]:
        """
        The editions in force on *on* and not superseded then.

        An edition is in force from its ``effective_from`` to its
        ``effective_until``; it is superseded on a day when another edition
        in force that day names it in ``supersedes``.

        Args:
            on: The date.
            association: Only this association's editions.
            category: Only editions that define this category code.
        """
        live = [b for b in self.editions if in_force_on(b, on)]
        replaced = {b.supersedes for b in live if b.supersedes is not None}
        return [
            b
            for b in live
            if b.id not in replaced
            and (association is None or b.association == association)
            and (
                category is None
                or any(c.code == category for c in b.categories)
            )
        ]

    def select(
        self, category: str, on: dt.date, *, association: str | None = None
    ) -> Rulebook:
        """
        Choose the edition that applies to *category* on *on*.

        Among the editions in force and not superseded that define the
        category (of *association*, when given): MI-AIMH's when several
        associations' do and none is named, and then the one that took
        effect last.

        Raises:
            UnknownRulebookError: No edition is in force on that date, or
                none of *association*; the message says which start when.
            UnknownCategoryError: Editions are in force, but none defines
                the category.
        """
        candidates = self.in_force(on, association=association)
        if not candidates:
            starts = sorted(
                (b.effective_from, b.id)
                for b in self.editions
                if association is None or b.association == association
            )
            whose = f" of {association}" if association else ""
            earliest = (
                f"; the earliest{whose} starts {starts[0][0]} ({starts[0][1]})"
                if starts
                else ""
            )
            wanted = f"an edition{whose} in force on {on}{earliest}"
            raise UnknownRulebookError(wanted, self.ids())
        defining = [
            b
            for b in candidates
            if any(c.code == category for c in b.categories)
        ]
        if not defining:
            codes = sorted({c.code for b in candidates for c in b.categories})
            where = (
                f"(any edition{' of ' + association if association else ''} "
                f"in force on {on})"
            )
            raise UnknownCategoryError(category, where, codes)
        preferred = [
            b for b in defining if b.association == DEFAULT_ASSOCIATION
        ]
        return max(preferred or defining, key=lambda b: b.effective_from)


@cache
def _bundled_catalogue() -> RulebookCatalogue:
    with as_file(files(__package__).joinpath("rulebooks")) as folder:
        loaded = RulebookCatalogue(()).with_editions(folder)
    return RulebookCatalogue(
        loaded.editions,
        tuple((b.id, "bundled") for b in loaded.editions),
        loaded.extensions,
    )


def load_catalogue(
    *sources: CatalogueSource, bundled: bool = True
) -> RulebookCatalogue:
    """
    Build a catalogue of the bundled editions and the caller's.

    Args:
        sources: `Rulebook` objects, rulebook files, and folders (every
            ``*.json`` file in a folder, in name order).
        bundled: Start from the bundled editions (the default); when false,
            the catalogue holds only *sources*.

    Returns:
        The catalogue.

    Raises:
        DuplicateEditionError: Two editions share an id.
        InvalidRulebookError: A file is not a valid rulebook.

    >>> catalogue = load_catalogue()
    >>> catalogue.ids()
    ['infancy-onward-2024', 'massaimh-2024', 'mi-aimh-2017', 'mi-aimh-2024']

    .. versionadded:: 0.2.0
    """
    start = RulebookCatalogue.bundled() if bundled else RulebookCatalogue(())
    return start.with_editions(*sources)


def catalogue_of(catalogue: RulebookCatalogue | None) -> RulebookCatalogue:
    """
    The catalogue to choose from: *catalogue*, or the bundled one.

    Raises:
        InvalidArgumentError: *catalogue* is neither ``None`` nor a
            `RulebookCatalogue`.
    """
    expect(
        "catalogue",
        catalogue,
        RulebookCatalogue,
        "a RulebookCatalogue (see load_catalogue)",
        optional=True,
    )
    return catalogue if catalogue is not None else RulebookCatalogue.bundled()
