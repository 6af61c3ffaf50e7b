"""
diff says exactly what changed between two editions; affected, whom it moves.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest

import iecmh_core
from iecmh_core._cli import main
from iecmh_core._diff import ParameterChange, affected_portfolios, diff

EXAMPLE = Path(__file__).parent.parent / "examples" / "portfolio.json"
AS_OF = dt.date(2026, 1, 15)


def raised(hours: int = 30) -> iecmh_core.Rulebook:
    """mi-aimh-2024 with the IFS RSC hours (its first 24-hour rule) raised."""
    text = iecmh_core.dump_json(iecmh_core.bundled_rulebook("mi-aimh-2024"))
    return iecmh_core.load_rulebook(
        text.replace('"hours": 24,', f'"hours": {hours},', 1)
    )


def test_an_edition_against_itself_is_empty():
    """No category, requirement or field differs."""
    book = iecmh_core.bundled_rulebook("mi-aimh-2024")
    assert diff(book, book).empty


def test_raising_ifs_rsc_is_exactly_one_change():
    """24 -> 30 hours of IFS RSC: one changed requirement, one parameter."""
    changes = diff(iecmh_core.bundled_rulebook("mi-aimh-2024"), raised())
    assert () == changes.edition
    assert () == changes.categories_added + changes.categories_removed
    (change,) = changes.requirements
    assert ("IFS", "ifs.rsc", "changed", "requirements") == (
        change.category,
        change.requirement,
        change.change,
        change.section,
    )
    assert (ParameterChange("hours", 24, 30),) == change.parameters


def test_categories_and_requirements_added_and_removed():
    """A removed category, a removed requirement and an added one are named."""
    data = iecmh_core.dump(iecmh_core.bundled_rulebook("mi-aimh-2024"))
    data["categories"] = [c for c in data["categories"] if c["code"] != "IFA"]
    ifs = next(c for c in data["categories"] if c["code"] == "IFS")
    ifs["requirements"] = [
        r for r in ifs["requirements"] if r["id"] != "ifs.membership"
    ] + [
        {
            "id": "ifs.exam",
            "kind": "exam",
            "title": "Exam",
            "sources": ["https://example.org"],
            "part": 1,
        }
    ]
    changes = diff(
        iecmh_core.bundled_rulebook("mi-aimh-2024"),
        iecmh_core.load_rulebook(data),
    )
    assert ("IFA",) == changes.categories_removed
    assert [("ifs.exam", "added"), ("ifs.membership", "removed")] == [
        (c.requirement, c.change) for c in changes.requirements
    ]


def test_renewal_policy_changes_are_named():
    """grace_days 31 -> 0 is an edition change under renewal."""
    data = iecmh_core.dump(iecmh_core.bundled_rulebook("mi-aimh-2024"))
    data["renewal"]["grace_days"] = 0
    changes = diff(
        iecmh_core.bundled_rulebook("mi-aimh-2024"),
        iecmh_core.load_rulebook(data),
    )
    assert (ParameterChange("renewal.grace_days", 31, 0),) == changes.edition


def lines(*documents) -> list[str]:
    return [json.dumps(d) for d in documents]


def example() -> dict:
    return json.loads(EXAMPLE.read_text("utf-8"))


def test_affected_lists_exactly_the_portfolios_whose_outcome_changes():
    """The example (27.25 RSC hours) moves; one without RSC does not; a bad line is skipped."""
    moving = example()
    staying = {**example(), "id": "no-rsc", "rsc": []}
    book = iecmh_core.bundled_rulebook("mi-aimh-2024")
    found = list(
        affected_portfolios(
            book,
            raised(),
            [*lines(moving, staying), "{not json", ""],
            "IFS",
            AS_OF,
        )
    )
    assert [(1, "applicant-0107", "eligible", "not_eligible")] == [
        (c.line, c.portfolio, c.old, c.new) for c in found
    ]
    assert ("ifs.rsc",) == found[0].requirements


@pytest.mark.parametrize(("hours", "moves"), [(27, False), (28, True)])
def test_affected_from_both_sides_of_the_threshold(hours, moves):
    """27.25 hours meet 27 but not 28."""
    found = list(
        affected_portfolios(
            "mi-aimh-2024", raised(hours), lines(example()), "IFS", AS_OF
        )
    )
    assert moves == bool(found)


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = main(list(argv), out=out, err=err)
    return status, out.getvalue(), err.getvalue()


class TestCommand:
    def test_text(self, tmp_path):
        """iecmh diff prints the one changed parameter."""
        new = tmp_path / "raised.json"
        new.write_text(iecmh_core.dump_json(raised()), "utf-8")
        status, out, _ = run("diff", "mi-aimh-2024", str(new))
        assert 0 == status
        assert "  IFS: ifs.rsc changed: hours: 24 -> 30" in out.splitlines()

    def test_portfolios_as_json(self, tmp_path):
        """--portfolios --format json lists the moved portfolio and why."""
        new = tmp_path / "raised.json"
        new.write_text(iecmh_core.dump_json(raised()), "utf-8")
        source = tmp_path / "p.jsonl"
        source.write_text("\n".join(lines(example())) + "\n", "utf-8")
        status, out, _ = run(
            "diff", "mi-aimh-2024", str(new), "--portfolios", str(source),
            "--category", "IFS", "--as-of", "2026-01-15", "--format", "json",
        )  # fmt: skip
        assert 0 == status
        document = json.loads(out)
        assert [
            {
                "line": 1,
                "portfolio": "applicant-0107",
                "old": "eligible",
                "new": "not_eligible",
                "requirements": ["ifs.rsc"],
            }
        ] == document["affected"]
        assert "ifs.rsc" == document["diff"]["requirements"][0]["requirement"]

    def test_portfolios_need_a_category(self):
        """--portfolios without --category exits 2."""
        status, _, err = run(
            "diff", "mi-aimh-2024", "mi-aimh-2017", "--portfolios", "x.jsonl"
        )
        assert 2 == status
        assert "--category" in err

    def test_an_unknown_edition(self):
        """An unknown id exits 2 naming the known ones."""
        status, _, err = run("diff", "mi-aimh-2024", "nope-2030")
        assert 2 == status
        assert "nope-2030" in err


def test_a_missing_portfolios_file_exits_2(tmp_path):
    """An unreadable --portfolios file is a bad input, with its name."""
    missing = tmp_path / "missing.jsonl"
    status, _, err = run(
        "diff", "mi-aimh-2024", "mi-aimh-2024", "--portfolios", str(missing),
        "--category", "IFS",
    )  # fmt: skip
    assert 2 == status
    assert "missing.jsonl" in err


def test_json_without_portfolios_and_an_empty_diff():
    """--format json alone writes the diff; the text of no change says so."""
    status, out, _ = run(
        "diff", "mi-aimh-2024", "mi-aimh-2024", "--format", "json"
    )
    assert (0, []) == (status, json.loads(out)["diff"].get("requirements", []))
    _, out, _ = run("diff", "mi-aimh-2024", "mi-aimh-2024")
    assert "no differences but the id" in out
