"""
A catalogue chooses among the bundled editions and the caller's, alike.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path
from typing import Any, ClassVar

import pytest

import iecmh_core
from iecmh_core import RulebookCatalogue, load_catalogue
from iecmh_core._cli import main

EXAMPLE = Path(__file__).parent.parent / "examples" / "portfolio.json"


def edition(**changes: Any) -> dict[str, Any]:
    """mi-aimh-2024 as a document, with *changes* to its top-level fields."""
    data = iecmh_core.dump(iecmh_core.bundled_rulebook("mi-aimh-2024"))
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


NEXT = edition(
    id="mi-aimh-2027",
    title="MI-AIMH rules from 2027",
    effective_from="2027-01-01",
    supersedes="mi-aimh-2024",
)
CONNECTICUT = edition(
    id="ct-aimh-2024",
    association="ct-aimh",
    title="CT-AIMH rules",
    supersedes=None,
)


def folder(tmp_path: Path, *books: dict[str, Any]) -> Path:
    where = tmp_path / "rulebooks"
    where.mkdir(exist_ok=True)
    for book in books:
        (where / f"{book['id']}.json").write_text(json.dumps(book), "utf-8")
    return where


def portfolio() -> iecmh_core.Portfolio:
    return iecmh_core.load_portfolio(EXAMPLE)


class TestSelection:
    def test_the_bundled_catalogue_is_the_bundled_editions(self):
        """RulebookCatalogue.bundled() holds exactly bundled_rulebooks()."""
        assert iecmh_core.bundled_rulebooks() == (
            RulebookCatalogue.bundled().editions
        )

    @pytest.mark.parametrize(
        ("day", "expected"),
        [
            ("2026-12-31", "mi-aimh-2024"),
            ("2027-01-01", "mi-aimh-2027"),
            ("2027-02-01", "mi-aimh-2027"),
        ],
    )
    def test_a_callers_edition_supersedes_by_date(
        self, tmp_path, day, expected
    ):
        """From its effective_from on it replaces the edition it names."""
        catalogue = load_catalogue(folder(tmp_path, NEXT))
        found = iecmh_core.evaluate(
            portfolio(),
            "IFS",
            as_of=dt.date.fromisoformat(day),
            catalogue=catalogue,
        )
        assert expected == found.rulebook

    def test_without_the_catalogue_the_callers_edition_is_not_chosen(self):
        """The bundled catalogue alone keeps mi-aimh-2024 in 2027."""
        found = iecmh_core.evaluate(
            portfolio(), "IFS", as_of=dt.date(2027, 2, 1)
        )
        assert "mi-aimh-2024" == found.rulebook

    def test_explicitly_before_its_date_it_warns(self, tmp_path):
        """mi-aimh-2027 asked for on 2026-06-01 carries a warning."""
        catalogue = load_catalogue(folder(tmp_path, NEXT))
        found = iecmh_core.evaluate(
            portfolio(),
            "IFS",
            "mi-aimh-2027",
            dt.date(2026, 6, 1),
            catalogue=catalogue,
        )
        assert [iecmh_core.WarningCode.OUTSIDE_EFFECTIVE_DATES] == [
            w.code for w in found.warnings
        ]

    def test_no_edition_in_force_says_when_the_earliest_starts(self):
        """2010: no edition; the message names the earliest start."""
        with pytest.raises(
            iecmh_core.UnknownRulebookError,
            match=r"in force on 2010-01-01; the earliest starts 2017-01-01",
        ):
            RulebookCatalogue.bundled().select("IFS", dt.date(2010, 1, 1))

    def test_an_association_chooses_its_own(self, tmp_path):
        """Asked for ct-aimh, the Connecticut edition is chosen."""
        catalogue = load_catalogue(folder(tmp_path, CONNECTICUT))
        chosen = catalogue.select(
            "IFS", dt.date(2026, 1, 15), association="ct-aimh"
        )
        assert "ct-aimh-2024" == chosen.id
        assert (
            "mi-aimh-2024" == catalogue.select("IFS", dt.date(2026, 1, 15)).id
        )
        assert "ct-aimh-2024" == (
            iecmh_core.rulebook_in_force(
                "ct-aimh", dt.date(2026, 1, 15), catalogue=catalogue
            ).id
        )

    def test_two_editions_with_one_id_are_refused(self, tmp_path):
        """A caller's mi-aimh-2024 clashes with the bundled one."""
        with pytest.raises(
            iecmh_core.DuplicateEditionError, match="'mi-aimh-2024'"
        ):
            load_catalogue(folder(tmp_path, edition()))

    def test_objects_files_and_no_bundled(self, tmp_path):
        """A Rulebook object and a file, without the bundled editions."""
        path = folder(tmp_path, NEXT) / "mi-aimh-2027.json"
        book = iecmh_core.load_rulebook(CONNECTICUT)
        catalogue = load_catalogue(book, path, bundled=False)
        assert ["ct-aimh-2024", "mi-aimh-2027"] == catalogue.ids()
        assert ("<object>", str(path)) == (
            catalogue.origin("ct-aimh-2024"),
            catalogue.origin("mi-aimh-2027"),
        )


class TestTheEndorsementsOwnAssociation:
    HELD: ClassVar[dict[str, Any]] = {
        "category": "IFS",
        "rulebook": "ct-aimh-2024",
        "awarded_on": "2024-05-01",
        "status": "active",
    }

    def holder(self) -> iecmh_core.Portfolio:
        data = json.loads(EXAMPLE.read_text("utf-8"))
        data["endorsements"] = [self.HELD]
        return iecmh_core.load_portfolio(data)

    def test_renewal_uses_the_callers_association(self, tmp_path):
        """A CT-AIMH holder is renewed under ct-aimh-2024, not mi-aimh-2024."""
        catalogue = load_catalogue(folder(tmp_path, CONNECTICUT))
        renewal = iecmh_core.evaluate_renewal(
            self.holder(), "IFS", 2025, catalogue=catalogue
        )
        assert "ct-aimh-2024" == renewal.rulebook

    def test_none_in_force_is_an_error_not_another_associations(
        self, tmp_path
    ):
        """A CT-AIMH edition that ended in 2024 leaves 2025 without rules."""
        ended = {**CONNECTICUT, "effective_until": "2024-12-31"}
        catalogue = load_catalogue(folder(tmp_path, ended))
        with pytest.raises(iecmh_core.UnknownRulebookError, match="ct-aimh"):
            iecmh_core.evaluate_renewal(
                self.holder(), "IFS", 2025, catalogue=catalogue
            )


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = main(list(argv), out=out, err=err)
    return status, out.getvalue(), err.getvalue()


class TestCommandLine:
    def test_evaluate_chooses_by_date_from_the_folder(self, tmp_path):
        """--rulebooks DIR without --rulebook: mi-aimh-2027 on 2027-02-01, mi-aimh-2024 before."""
        where = str(folder(tmp_path, NEXT))
        for day, expected in (
            ("2027-02-01", "mi-aimh-2027"),
            ("2026-12-31", "mi-aimh-2024"),
        ):
            _, out, _ = run(
                "evaluate", str(EXAMPLE), "--category", "IFS", "--as-of", day,
                "--rulebooks", where, "--format", "json",
            )  # fmt: skip
            assert expected == json.loads(out)["rulebook"]

    def test_renew_without_an_edition_in_force_exits_2(self, tmp_path):
        """The holder's association has no edition in force: exit 2, saying so."""
        data = json.loads(EXAMPLE.read_text("utf-8"))
        data["endorsements"] = [TestTheEndorsementsOwnAssociation.HELD]
        holder = tmp_path / "holder.json"
        holder.write_text(json.dumps(data), "utf-8")
        ended = {**CONNECTICUT, "effective_until": "2024-12-31"}
        status, _, err = run(
            "renew", str(holder), "--category", "IFS", "--year", "2025",
            "--rulebooks", str(folder(tmp_path, ended)),
        )  # fmt: skip
        assert 2 == status
        assert "ct-aimh" in err
        status, out, _ = run(
            "renew", str(holder), "--category", "IFS", "--year", "2024",
            "--rulebooks", str(folder(tmp_path, ended)),
        )  # fmt: skip
        assert "under ct-aimh-2024" in out

    def test_rulebooks_lists_the_callers_editions_with_their_origin(
        self, tmp_path
    ):
        """iecmh rulebooks --rulebooks DIR lists bundled and caller's editions."""
        where = folder(tmp_path, NEXT)
        status, out, _ = run("rulebooks", "--rulebooks", str(where))
        assert 0 == status
        assert "mi-aimh-2027: MI-AIMH rules from 2027" in out
        assert "from bundled" in out
        _, out, _ = run(
            "rulebooks", "--rulebooks", str(where), "--format", "json"
        )
        origins = {b["id"]: b["origin"] for b in json.loads(out)}
        assert (str(where / "mi-aimh-2027.json"), "bundled") == (
            origins["mi-aimh-2027"],
            origins["mi-aimh-2024"],
        )

    def test_a_bad_folder_exits_2(self, tmp_path):
        """A duplicate id in the folder is refused with exit 2."""
        status, _, err = run(
            "rulebooks", "--rulebooks", str(folder(tmp_path, edition()))
        )
        assert 2 == status
        assert "mi-aimh-2024" in err


CONNECTICUT_CHANGES: dict[str, Any] = {
    "id": "ct-aimh-2025",
    "association": "ct-aimh",
    "title": "CT-AIMH rules (changes to MI-AIMH 2024)",
    "effective_from": "2025-01-01",
    "extends": "mi-aimh-2024",
    "changes": {
        "remove_categories": ["ECFA"],
        "modify_categories": [
            {
                "code": "IFS",
                "remove_requirements": ["ifs.education"],
                "requirements": [
                    {
                        "id": "ifs.training",
                        "kind": "training",
                        "title": "40 hours of training",
                        "sources": ["https://example.org/ct"],
                        "hours": 40,
                    }
                ],
                "note": "No degree required for Family Specialists.",
            }
        ],
    },
}


class TestExtends:
    def catalogue(self, tmp_path, *books):
        return load_catalogue(folder(tmp_path, *books))

    def test_an_edition_states_only_its_changes(self, tmp_path):
        """Removed category, removed and replaced requirements, inherited rest."""
        book = self.catalogue(tmp_path, CONNECTICUT_CHANGES).get(
            "ct-aimh-2025"
        )
        codes = [c.code for c in book.categories]
        assert "ECFA" not in codes
        assert "IFA" in codes
        ifs = book.category("IFS")
        ids = [r.id for r in ifs.requirements]
        assert "ifs.education" not in ids
        training = next(r for r in ifs.requirements if r.id == "ifs.training")
        assert 40 == training.hours
        assert "No degree required for Family Specialists." == ifs.note
        assert book.supersedes is None
        base = iecmh_core.bundled_rulebook("mi-aimh-2024")
        assert base.renewal == book.renewal

    def test_determinations_cite_the_extending_edition(self, tmp_path):
        """The evaluation names ct-aimh-2025, and diff shows the changes."""
        catalogue = self.catalogue(tmp_path, CONNECTICUT_CHANGES)
        found = iecmh_core.evaluate(
            portfolio(),
            "IFS",
            "ct-aimh-2025",
            dt.date(2026, 1, 15),
            catalogue=catalogue,
        )
        assert "ct-aimh-2025" == found.rulebook
        changes = iecmh_core.diff(
            iecmh_core.bundled_rulebook("mi-aimh-2024"),
            catalogue.get("ct-aimh-2025"),
        )
        assert ("ECFA",) == changes.categories_removed
        assert {("ifs.education", "removed"), ("ifs.training", "changed")} == {
            (c.requirement, c.change) for c in changes.requirements
        }

    def test_an_extension_of_an_extension(self, tmp_path):
        """A 2026 edition extends the 2025 one, whatever the file order."""
        later = {
            "id": "ct-aimh-2026",
            "association": "ct-aimh",
            "title": "CT-AIMH 2026",
            "effective_from": "2026-01-01",
            "supersedes": "ct-aimh-2025",
            "extends": "ct-aimh-2025",
            "changes": {"remove_categories": ["IFA"]},
        }
        catalogue = self.catalogue(tmp_path, later, CONNECTICUT_CHANGES)
        codes = [c.code for c in catalogue.get("ct-aimh-2026").categories]
        assert "IFA" not in codes
        assert "ECFA" not in codes

    def test_an_unknown_base_is_refused(self, tmp_path):
        """extends naming no edition of the catalogue is an error."""
        orphan = {**CONNECTICUT_CHANGES, "extends": "ct-aimh-2019"}
        with pytest.raises(
            iecmh_core.UnknownRulebookError, match="ct-aimh-2019"
        ):
            self.catalogue(tmp_path, orphan)

    @pytest.mark.parametrize(
        ("changes", "path"),
        [
            ({"remove_categories": ["XYZ"]}, "$.changes.remove_categories[0]"),
            (
                {"modify_categories": [{"code": "XYZ"}]},
                "$.changes.modify_categories[0].code",
            ),
            (
                {
                    "modify_categories": [
                        {"code": "IFS", "remove_requirements": ["ifs.nope"]}
                    ]
                },
                "$.changes.modify_categories[0].remove_requirements[0]",
            ),
        ],
    )
    def test_a_change_naming_nothing_is_refused(self, tmp_path, changes, path):
        """Each change that names no category or requirement of the base."""
        bad = {**CONNECTICUT_CHANGES, "changes": changes}
        with pytest.raises(iecmh_core.InvalidRulebookError) as raised:
            self.catalogue(tmp_path, bad)
        assert [path] == [p.path for p in raised.value.problems]

    def test_load_rulebook_says_to_resolve_it_in_a_catalogue(self):
        """An extending document alone is not a whole edition."""
        problems = iecmh_core.validate(CONNECTICUT_CHANGES, "rulebook")
        assert ["$.extends"] == [p.path for p in problems]
        assert "load_catalogue" in problems[0].message

    def test_show_as_written_and_resolved(self, tmp_path):
        """iecmh rulebooks show: the changes as written; --resolved: whole."""
        where = str(folder(tmp_path, CONNECTICUT_CHANGES))
        _, out, _ = run(
            "rulebooks", "show", "ct-aimh-2025", "--rulebooks", where
        )
        assert "mi-aimh-2024" == json.loads(out)["extends"]
        _, out, _ = run(
            "rulebooks", "show", "ct-aimh-2025", "--resolved",
            "--rulebooks", where,
        )  # fmt: skip
        whole = json.loads(out)
        assert "extends" not in whole
        assert "ct-aimh-2025" == iecmh_core.load_rulebook(whole).id

    def test_show_needs_an_id(self):
        """iecmh rulebooks show with no id exits 2."""
        status, _, err = run("rulebooks", "show")
        assert 2 == status
        assert "expected an edition id" in err


CASES = Path(__file__).parent / "cases"


@pytest.mark.parametrize(
    "edition_id", ["mi-aimh-2017", "mi-aimh-2024", "massaimh-2024"]
)
def test_a_resolved_edition_decides_as_the_bundled_one_on_every_case(
    edition_id,
):
    """iecmh rulebooks show ID --resolved loads and decides alike on its case file."""
    status, out, _ = run("rulebooks", "show", edition_id, "--resolved")
    assert 0 == status
    flat = iecmh_core.load_rulebook(out)
    bundled = iecmh_core.bundled_rulebook(edition_id)
    assert bundled == flat
    book = json.loads((CASES / f"{edition_id}.json").read_text("utf-8"))
    for case in book["cases"]:
        data = {
            **book["portfolios"][case["portfolio"]],
            **case.get("with", {}),
        }
        applicant = iecmh_core.load_portfolio(data)
        day = dt.date.fromisoformat(case["as_of"])
        assert iecmh_core.evaluate(
            applicant, case["category"], bundled, day
        ) == iecmh_core.evaluate(applicant, case["category"], flat, day)


def test_a_catalogue_of_the_wrong_type_is_refused_at_the_edge():
    """catalogue='x' is an InvalidArgumentError naming the argument."""
    with pytest.raises(iecmh_core.InvalidArgumentError, match="catalogue"):
        iecmh_core.evaluate(
            portfolio(), "IFS", as_of=dt.date(2026, 1, 15), catalogue="x"
        )
