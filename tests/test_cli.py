"""
The iecmh command line: iecmh_core._cli.
"""

# Assertions read `expected == actual` (STYLE.md, practice 19).

from __future__ import annotations

import io
import json
import runpy
import subprocess
import sys
from typing import Any, ClassVar

import pytest
from jsonschema import Draft202012Validator

import iecmh_core
from iecmh_core import (
    bundled_framework,
    bundled_rulebook,
    bundled_rulebooks,
    export_case,
    export_ctdl,
    validate,
)
from iecmh_core._cli import main
from iecmh_core._exports import stable_uuid
from iecmh_core._schemas import SCHEMA_REGISTRY

PORTFOLIO = {
    "id": "applicant-1",
    "code_of_ethics_signed_on": "2025-02-01",
    "rsc": [
        {
            "provider": "p-7",
            "provider_category": "IMHM-C",
            "format": "individual",
            "date": "2024-11-05",
            "hours": 1.5,
        }
    ],
}
INVALID = PORTFOLIO | {
    "colour": "blue",
    "rsc": [PORTFOLIO["rsc"][0] | {"hours": "two", "date": "2025-02-30"}],
}
FRAMEWORK = {
    "id": "guidelines",
    "title": "Competency Guidelines",
    "edition": "2017",
    "domains": [{"id": "theory", "name": "Theory"}],
}
RULEBOOK = {
    "id": "test-2024",
    "association": "test",
    "title": "Test rules",
    "effective_from": "2024-01-01",
    "categories": [
        {
            "code": "IFS",
            "name": "Infant Family Specialist",
            "family": "IMH-E",
            "age_band": "infant",
            "scope": "prevention",
            "requirements": [
                {
                    "id": "ifs.ethics",
                    "kind": "ethics",
                    "title": "Code of Ethics",
                    "sources": ["https://example.org/rules"],
                }
            ],
        }
    ],
}
DETERMINATION = {
    "portfolio": "applicant-1",
    "category": "IFS",
    "rulebook": "test-2024",
    "as_of": "2026-01-15",
    "outcome": "undetermined",
    "findings": [],
}
DOCUMENTS = {
    "portfolio": PORTFOLIO,
    "rulebook": RULEBOOK,
    "framework": FRAMEWORK,
    "determination": DETERMINATION,
}


def run(*argv: str) -> tuple[int, str, str]:
    """
    Run the command line with *argv*; return its status, output and errors.
    """
    out, err = io.StringIO(), io.StringIO()
    status = main(list(argv), out=out, err=err)
    return status, out.getvalue(), err.getvalue()


@pytest.fixture
def write(tmp_path):
    """
    Return a function writing a JSON document to a file in tmp_path.
    """

    def write(document, name="document.json"):
        path = tmp_path / name
        if isinstance(document, str):
            path.write_text(document, encoding="utf-8")
        else:
            path.write_text(json.dumps(document), encoding="utf-8")
        return str(path)

    return write


class TestValidate:
    """
    iecmh validate FILE checks a document and reports every problem.
    """

    @pytest.mark.parametrize("kind", sorted(DOCUMENTS))
    def test_valid(self, kind, write):
        """
        A valid document of each kind exits 0 and says it is valid.
        """
        path = write(DOCUMENTS[kind])

        assert (0, f"{path}: valid {kind}\n", "") == run("validate", path)

    @pytest.mark.parametrize("kind", sorted(DOCUMENTS))
    def test_explicit_kind(self, kind, write):
        """
        --kind checks the document as that kind.
        """
        path = write(DOCUMENTS[kind])

        assert (0, f"{path}: valid {kind}\n", "") == run(
            "validate", path, "--kind", kind
        )

    def test_invalid(self, write):
        """
        An invalid document exits 2 with each problem as FILE: PATH: MESSAGE.
        """
        path = write(INVALID)

        status, out, err = run("validate", path)

        assert 2 == status
        assert "" == out
        assert [
            f"{path}: invalid portfolio (3 problems)",
            *(f"{path}: {problem}" for problem in validate(INVALID)),
        ] == err.splitlines()
        for prefix, line in zip(
            [
                f"{path}: $.colour: expected no property 'colour' here",
                f"{path}: $.rsc[0].date: expected a valid date (YYYY-MM-DD)",
                f'{path}: $.rsc[0].hours: expected a number, got "two"',
            ],
            err.splitlines()[1:],
            strict=True,
        ):
            assert line.startswith(prefix)

    def test_one_problem(self, write):
        """
        One problem is counted in the singular.
        """
        path = write(PORTFOLIO | {"id": ""})

        status, _, err = run("validate", path)

        assert 2 == status
        assert [
            f"{path}: invalid portfolio (1 problem)",
            (
                f"{path}: $.id: expected a string of at least 1 character(s), "
                'got ""'
            ),
        ] == err.splitlines()

    def test_kind_mismatch(self, write):
        """
        A portfolio checked as a rulebook is an invalid rulebook.
        """
        path = write(PORTFOLIO)

        status, out, err = run("validate", path, "--kind", "rulebook")

        assert 2 == status
        assert "" == out
        assert err.startswith(f"{path}: invalid rulebook (")

    def test_missing_file(self, tmp_path):
        """
        A file that cannot be read exits 2 naming the file.
        """
        path = str(tmp_path / "absent.json")

        assert (
            2,
            "",
            (
                f"{path}: invalid document (1 problem)\n"
                f"{path}: $: expected a readable file, got No such file or "
                "directory\n"
            ),
        ) == run("validate", path)

    def test_bad_json(self, write):
        """
        Text that is not JSON exits 2 with the line and column.
        """
        path = write('{"id": "a",\n')

        status, out, err = run("validate", path)

        assert 2 == status
        assert "" == out
        assert f"{path}: invalid document (1 problem)" == err.splitlines()[0]
        assert err.splitlines()[1].startswith(
            f"{path}: $: expected JSON text, got invalid JSON at line 2"
        )

    def test_unrecognisable(self, write):
        """
        A JSON value of no known kind exits 2 with one problem at $.
        """
        path = write([1, 2])

        status, _, err = run("validate", path)

        assert 2 == status
        assert err.splitlines()[1].startswith(
            f"{path}: $: expected a portfolio, rulebook, framework or "
            "determination"
        )

    def test_stdin(self, monkeypatch):
        """
        FILE - reads the document from standard input.
        """
        monkeypatch.setattr(sys, "stdin", io.StringIO(json.dumps(PORTFOLIO)))

        assert (0, "<stdin>: valid portfolio\n", "") == run("validate", "-")

    def test_stdin_invalid(self, monkeypatch):
        """
        Problems in standard input are reported against <stdin>.
        """
        monkeypatch.setattr(sys, "stdin", io.StringIO(json.dumps(INVALID)))

        status, _, err = run("validate", "-", "--kind", "portfolio")

        assert 2 == status
        assert [
            "<stdin>: invalid portfolio (3 problems)",
            *(f"<stdin>: {problem}" for problem in validate(INVALID)),
        ] == err.splitlines()

    def test_bad_kind(self, write, capsys):
        """
        An unknown --kind is a usage error, exit 2.
        """
        path = write(PORTFOLIO)

        status, _, err = run("validate", path, "--kind", "essay")

        assert 2 == status
        assert "invalid choice: 'essay'" in err + capsys.readouterr().err


class TestUsage:
    """
    Help and usage errors.
    """

    @pytest.mark.parametrize("argv", [["--help"], ["validate", "--help"]])
    def test_help(self, argv, capsys):
        """
        --help prints usage and exits 0, for the program and a command.
        """
        status, out, _ = run(*argv)

        assert 0 == status
        assert "usage: iecmh" in out + capsys.readouterr().out

    def test_no_command(self, capsys):
        """
        No command is a usage error, exit 2.
        """
        status, _, err = run()

        assert 2 == status
        assert "usage: iecmh" in err + capsys.readouterr().err

    def test_unknown_command(self, capsys):
        """
        An unknown command is a usage error, exit 2.
        """
        status, _, err = run("frobnicate")

        assert 2 == status
        assert "invalid choice" in err + capsys.readouterr().err

    def test_missing_file_argument(self, capsys):
        """
        validate without FILE is a usage error, exit 2.
        """
        status, _, err = run("validate")

        assert 2 == status
        assert "FILE" in err + capsys.readouterr().err

    def test_default_streams(self, write, monkeypatch, capsys):
        """
        Without argv, out and err, main reads sys.argv and writes stdout.
        """
        path = write(PORTFOLIO)
        monkeypatch.setattr(sys, "argv", ["iecmh", "validate", path])

        status = main()

        assert (0, f"{path}: valid portfolio\n", "") == (
            status,
            *capsys.readouterr(),
        )

    def test_default_error_stream(self, write, capsys):
        """
        Without err, problems go to standard error.
        """
        path = write(INVALID)

        status = main(["validate", path])

        assert 2 == status
        assert f"{path}: invalid portfolio (3 problems)" in (
            capsys.readouterr().err
        )


class BrokenPipe(io.StringIO):
    """
    An output stream whose reader has gone away.
    """

    def write(self, _text):
        """
        Fail as a closed pipe does.
        """
        raise BrokenPipeError


class TestBrokenPipe:
    """
    A reader that closes the pipe early (e.g. head) ends the command quietly.
    """

    def test_stream_without_descriptor(self):
        """
        With no file descriptor to silence, the command still exits 0.
        """
        err = io.StringIO()

        assert 0 == main(["rulebooks"], out=BrokenPipe(), err=err)
        assert "" == err.getvalue()

    def test_stream_with_descriptor(self, tmp_path):
        """
        A stream with a file descriptor is pointed at the null device.
        """
        with (tmp_path / "out.txt").open("w") as handle:

            class Piped(BrokenPipe):
                def fileno(self):
                    return handle.fileno()

            status = main(["rulebooks"], out=Piped(), err=io.StringIO())
            handle.write("lost")

        assert 0 == status
        assert "" == (tmp_path / "out.txt").read_text()


class TestEvaluateInput:
    """
    iecmh evaluate reports bad input like validate does, with exit 2.
    """

    def test_invalid_portfolio(self, write):
        """
        An invalid portfolio exits 2 naming the file and each JSON path.
        """
        path = write(INVALID)

        status, out, err = run("evaluate", path, "--category", "IFS")

        assert 2 == status
        assert "" == out
        assert [
            f"{path}: invalid portfolio (3 problems)",
            *(f"{path}: {problem}" for problem in validate(INVALID)),
        ] == err.splitlines()

    def test_missing_portfolio(self, tmp_path):
        """
        A portfolio file that cannot be read exits 2 naming the file.
        """
        path = str(tmp_path / "absent.json")

        status, _, err = run("evaluate", path, "--category", "IFS")

        assert 2 == status
        assert f"{path}: $: expected a readable file" in err

    def test_bad_date(self, write, capsys):
        """
        An --as-of that is not a date is a usage error, exit 2.
        """
        path = write(PORTFOLIO)

        status, _, err = run(
            "evaluate", path, "--category", "IFS", "--as-of", "2025-02-30"
        )

        assert 2 == status
        assert "expected a date YYYY-MM-DD, got '2025-02-30'" in (
            err + capsys.readouterr().err
        )


SOURCES = ["https://example.org/rules"]
TEST_RULEBOOK = RULEBOOK | {
    "categories": [
        RULEBOOK["categories"][0]
        | {
            "code": "X",
            "requirements": [
                {
                    "id": "x.ethics",
                    "kind": "ethics",
                    "title": "Ethics",
                    "sources": SOURCES,
                },
                {
                    "id": "x.rsc",
                    "kind": "rsc",
                    "title": "RSC",
                    "sources": SOURCES,
                    "hours": 1,
                    "window_months": 24,
                    "providers": [{"categories": ["IMHM-C"]}],
                },
                {
                    "id": "x.either",
                    "kind": "any_of",
                    "title": "A degree or work",
                    "sources": SOURCES,
                    "paths": [
                        {
                            "id": "degree",
                            "title": "a degree",
                            "requirements": [
                                {
                                    "id": "x.degree",
                                    "kind": "education",
                                    "title": "Degree",
                                    "sources": SOURCES,
                                    "levels": ["bachelor"],
                                }
                            ],
                        },
                        {
                            "id": "work",
                            "title": "two years of work",
                            "requirements": [
                                {
                                    "id": "x.work",
                                    "kind": "work",
                                    "title": "Work",
                                    "sources": SOURCES,
                                    "years": 2,
                                }
                            ],
                        },
                    ],
                },
                {
                    "id": "x.refs",
                    "kind": "references",
                    "title": "References",
                    "sources": SOURCES,
                    "count": 1,
                    "void_at": 3,
                },
            ],
        },
        RULEBOOK["categories"][0] | {"code": "E"},
    ]
}
APPLICANT = PORTFOLIO | {
    "rsc": [
        PORTFOLIO["rsc"][0] | {"date": "2025-11-05"},
        PORTFOLIO["rsc"][0] | {"provider_category": None},
    ],
    "references": [
        {
            "rater": "r-1",
            "role": "supervisor",
            "rater_category": None,
            "submitted_on": "2025-01-01",
        }
    ],
}


class TestEvaluate:
    """
    iecmh evaluate prints the determination; its status is the outcome.
    """

    @pytest.fixture
    def files(self, write):
        """
        Return the paths of the test applicant and the test rulebook.
        """
        return write(APPLICANT, "applicant.json"), write(
            TEST_RULEBOOK, "rules.json"
        )

    def evaluate(self, files, *options):
        """
        Run iecmh evaluate on the test files as of 2026-01-15.
        """
        portfolio, rules = files
        return run(
            "evaluate",
            portfolio,
            "--rulebook",
            rules,
            "--as-of",
            "2026-01-15",
            *options,
        )

    def test_eligible(self, files):
        """
        An eligible applicant exits 0 with a met finding per requirement.
        """
        status, out, err = self.evaluate(files, "--category", "E")

        assert (0, "") == (status, err)
        assert [
            "applicant-1: ELIGIBLE for E under test-2024 as of 2026-01-15",
            "",
            (
                "  [met] ifs.ethics: The Code of Ethics and Endorsement "
                "Agreement were signed on 2025-02-01"
            ),
        ] == out.splitlines()

    def test_not_eligible_text(self, files):
        """
        A not eligible applicant exits 1 with every finding explained.
        """
        status, out, err = self.evaluate(files, "--category", "X")
        lines = out.splitlines()

        assert (1, "") == (status, err)
        assert (
            "applicant-1: NOT ELIGIBLE for X under test-2024 as of 2026-01-15"
            == lines[0]
        )
        assert [
            "[met] x.ethics",
            "[met] x.rsc",
            "[UNMET] x.either",
            "[UNMET] x.degree",
            "[UNMET] x.work",
            "[UNDETERMINED] x.refs",
        ] == [
            line.strip().split(":")[0]
            for line in lines
            if line.strip().startswith("[")
        ]
        assert any(
            line.strip().startswith("not counted: rsc[1]") for line in lines
        )
        assert any("fall out of the window on" in line for line in lines)
        assert any(line.strip().startswith("path degree:") for line in lines)
        assert any(line.strip().startswith("to do:") for line in lines)
        assert any(
            line.strip().startswith("missing: $.references[0]")
            for line in lines
        )

    def test_not_eligible_json(self, files):
        """
        --format json prints a valid determination document.
        """
        status, out, _ = self.evaluate(
            files, "--category", "X", "--format", "json"
        )
        determination = json.loads(out)

        assert 1 == status
        assert () == validate(determination, "determination")
        assert "not_eligible" == determination["outcome"]
        assert ["x.ethics", "x.rsc", "x.either", "x.refs"] == [
            f["requirement"] for f in determination["findings"]
        ]

    def test_unknown_category(self, files):
        """
        A category the rulebook lacks exits 2 listing the known codes.
        """
        assert (
            2,
            "",
            (
                "iecmh: rulebook test-2024 defines no category 'NOPE'; "
                "expected one of X, E\n"
            ),
        ) == self.evaluate(files, "--category", "NOPE")

    def test_unknown_rulebook(self, files):
        """
        An unknown bundled rulebook id exits 2 naming the known ids.
        """
        status, out, err = run(
            "evaluate", files[0], "--category", "IFS", "--rulebook", "nope-1"
        )

        assert (2, "") == (status, out)
        assert err.startswith("iecmh: expected a rulebook id among ")
        assert err.endswith("; got nope-1\n")

    def test_invalid_rulebook(self, write, files):
        """
        An invalid rulebook file exits 2 naming the file and JSON paths.
        """
        rules = write(RULEBOOK | {"effective_until": "2000-01-01"}, "r.json")

        status, _, err = run(
            "evaluate", files[0], "--category", "IFS", "--rulebook", rules
        )

        assert 2 == status
        assert [
            f"{rules}: invalid rulebook (1 problem)",
            (
                f"{rules}: $.effective_until: expected a date on or after "
                "effective_from (2024-01-01), got '2000-01-01'"
            ),
        ] == err.splitlines()


class TestRulebooks:
    """
    iecmh rulebooks lists the bundled editions.
    """

    def test_text(self):
        """
        Each bundled edition is listed with its categories.
        """
        status, out, err = run("rulebooks")

        assert (0, "") == (status, err)
        for book in bundled_rulebooks():
            assert f"{book.id}: {book.title}" in out.splitlines()
            for category in book.categories:
                assert f"  {category.code:<12} {category.name}" in (
                    out.splitlines()
                )

    def test_json(self):
        """
        --format json lists every edition's id and category codes.
        """
        status, out, _ = run("rulebooks", "--format", "json")
        listing = json.loads(out)

        assert 0 == status
        assert [
            (book.id, [c.code for c in book.categories])
            for book in bundled_rulebooks()
        ] == [(entry["id"], entry["categories"]) for entry in listing]


class TestModule:
    """
    python -m iecmh_core runs the command line.
    """

    def test_subprocess(self, write):
        """
        The module runs as a program and exits with the command's status.
        """
        valid, invalid = write(PORTFOLIO, "valid.json"), write(INVALID)

        ok = subprocess.run(  # noqa: S603 - our own interpreter and module
            [sys.executable, "-m", "iecmh_core", "validate", valid],
            capture_output=True,
            text=True,
            check=False,
        )
        bad = subprocess.run(  # noqa: S603 - our own interpreter and module
            [sys.executable, "-m", "iecmh_core", "validate", invalid],
            capture_output=True,
            text=True,
            check=False,
        )

        assert (0, f"{valid}: valid portfolio\n", "") == (
            ok.returncode,
            ok.stdout,
            ok.stderr,
        )
        assert 2 == bad.returncode
        assert (
            f"{invalid}: invalid portfolio (3 problems)"
            == (bad.stderr.splitlines()[0])
        )

    def test_in_process(self, write, monkeypatch, capsys):
        """
        Running the module's __main__ exits with the command's status.
        """
        path = write(PORTFOLIO)
        monkeypatch.setattr(sys, "argv", ["iecmh", "validate", path])

        with pytest.raises(SystemExit) as caught:
            runpy.run_module("iecmh_core", run_name="__main__")

        assert 0 == caught.value.code
        assert f"{path}: valid portfolio\n" == capsys.readouterr().out


EDITION_2017 = "mi-aimh-competency-guidelines-2017"
OWNER = "https://example.org/organizations/mi-aimh"
EDITION_2024 = "mi-aimh-competency-guidelines-2024"
DOMAIN_NAMES = [
    "Theoretical Foundations",
    "Law, Regulation & Agency Policy",
    "Systems Expertise",
    "Direct Service Skills",
    "Working with Others",
    "Communicating",
    "Thinking",
    "Reflection",
]
COVERED = PORTFOLIO | {
    "training": [
        {
            "title": "Attachment",
            "completed_on": "2025-01-10",
            "hours": 6,
            "knowledge_areas": [
                "attachment-separation-trauma-grief-loss",
                "astrology",
            ],
        },
        {
            "title": "Statistics",
            "completed_on": "2025-01-11",
            "hours": 2.5,
            "knowledge_areas": ["statistics", "safety"],
        },
    ],
    "exams": [{"part": 1, "taken_on": "2025-03-10", "passed": True}],
    "references": [
        {
            "rater": "r-1",
            "role": "supervisor",
            "rater_category": None,
            "submitted_on": "2025-01-01",
            "not_enough_information": 0,
        }
    ],
}


def coverage_problems(data):
    """
    Return the messages of the coverage schema's complaints about *data*.
    """
    validator = Draft202012Validator(
        {"$ref": "urn:iecmh:schema:determination:1#/$defs/coverage"},
        registry=SCHEMA_REGISTRY,
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )
    return [error.message for error in validator.iter_errors(data)]


class TestCoverage:
    """
    iecmh coverage reports how a portfolio covers the framework.
    """

    def test_shared_example(self, shared_dir):
        """
        The contract's example lists all eight domains for IFS, with
        covered and uncovered areas.
        """
        path = shared_dir / "contract" / "portfolio.example.json"

        status, out, err = run("coverage", str(path), "--category", "IFS")
        lines = out.splitlines()

        assert (0, "") == (status, err)
        assert lines[0].startswith(
            f"Coverage of {EDITION_2024} for IFS as of "
        )
        assert DOMAIN_NAMES == [
            line.split(":")[0]
            for line in lines[1:]
            if line and not line.startswith(" ")
        ]
        assert any(line.startswith("  [covered] ") for line in lines)
        assert any(line.startswith("  [NOT COVERED] ") for line in lines)

    def test_text(self, write):
        """
        The text names hours, evidence, expectations and unknown ids.
        """
        path = write(COVERED)

        status, out, err = run(
            "coverage", path, "--category", "IFS", "--as-of", "2026-01-15"
        )
        lines = out.splitlines()

        assert (0, "") == (status, err)
        assert (
            f"Coverage of {EDITION_2024} for IFS as of 2026-01-15" == lines[0]
        )
        assert (
            "Theoretical Foundations: 8.5 training hours; shown as a whole "
            "by exams[0]"
        ) in lines
        assert "Law, Regulation & Agency Policy: 0 training hours" in lines
        assert (
            "  [covered] Attachment, separation, trauma, grief & loss: "
            "training[0], 6 h"
        ) in lines
        assert "  [NOT COVERED] Disorders of infancy/early childhood" in lines
        assert (
            "  [covered] Statistics (not expected): training[1], 2.5 h"
        ) in lines
        assert [
            line
            for line in lines
            if line.startswith("  [covered] Safety [unconfirmed area]")
        ]
        assert (
            "Knowledge areas the framework does not know: "
            "$.training[0].knowledge_areas[1]"
        ) == lines[-1]

    def test_json(self, write):
        """
        --format json prints the coverage, valid against its schema.
        """
        path = write(COVERED)

        status, out, err = run(
            "coverage",
            path,
            "--category",
            "IFS",
            "--as-of",
            "2026-01-15",
            "--format",
            "json",
        )
        data = json.loads(out)

        assert (0, "") == (status, err)
        assert [] == coverage_problems(data)
        assert (EDITION_2024, "IFS", "2026-01-15") == (
            data["framework"],
            data["category"],
            data["as_of"],
        )
        assert DOMAIN_NAMES == [d["name"] for d in data["domains"]]
        assert ["$.training[0].knowledge_areas[1]"] == data["unknown"]

    def test_schema_rejects_bad_coverage(self):
        """
        The coverage schema the JSON is checked against is not vacuous.
        """
        assert [] != coverage_problems({"framework": "f", "domains": []})

    def test_edition_by_date(self, write):
        """
        --as-of picks the edition in force on that date.
        """
        path = write(COVERED)

        _, out, _ = run(
            "coverage", path, "--category", "IFS", "--as-of", "2020-01-01"
        )

        assert (
            f"Coverage of {EDITION_2017} for IFS as of 2020-01-01"
            == out.splitlines()[0]
        )

    def test_framework_id(self, write):
        """
        --framework names a bundled edition.
        """
        path = write(COVERED)

        _, out, _ = run(
            "coverage",
            path,
            "--category",
            "IFS",
            "--framework",
            EDITION_2017,
            "--as-of",
            "2026-01-15",
        )

        assert (
            f"Coverage of {EDITION_2017} for IFS as of 2026-01-15"
            == out.splitlines()[0]
        )

    def test_framework_file(self, write):
        """
        --framework reads a framework file; a domain without areas says so.
        """
        path = write(PORTFOLIO, "portfolio.json")
        framework = write(FRAMEWORK, "framework.json")

        status, out, err = run(
            "coverage",
            path,
            "--category",
            "IFS",
            "--framework",
            framework,
            "--as-of",
            "2026-01-15",
        )

        assert (0, "") == (status, err)
        assert [
            "Coverage of guidelines for IFS as of 2026-01-15",
            "",
            "Theory: 0 training hours",
            "  (no knowledge area expected or covered)",
        ] == out.splitlines()

    def test_bad_framework(self, write):
        """
        An unknown --framework id exits 2 naming the known ids.
        """
        path = write(PORTFOLIO)

        assert (
            2,
            "",
            (
                f"iecmh: expected a framework id among {EDITION_2017}, "
                f"{EDITION_2024}; got nope-1\n"
            ),
        ) == run(
            "coverage", path, "--category", "IFS", "--framework", "nope-1"
        )

    def test_invalid_portfolio(self, write):
        """
        An invalid portfolio exits 2 naming the file and each JSON path.
        """
        path = write(INVALID)

        status, out, err = run("coverage", path, "--category", "IFS")

        assert (2, "") == (status, out)
        assert (
            f"{path}: invalid portfolio (3 problems)" == (err.splitlines()[0])
        )

    def test_no_framework_in_force(self, write):
        """
        A date before every edition exits 2.
        """
        path = write(PORTFOLIO)

        status, out, err = run(
            "coverage", path, "--category", "IFS", "--as-of", "2016-12-31"
        )

        assert (2, "") == (status, out)
        assert err.endswith("got an edition in force on 2016-12-31\n")


class TestExport:
    """
    iecmh export prints the framework as CASE or a category as CTDL.
    """

    def test_case(self):
        """
        export case exits 0 and prints a CFPackage of the edition in force.
        """
        status, out, err = run("export", "case")
        package = json.loads(out)
        framework = bundled_framework(EDITION_2024)

        assert (0, "") == (status, err)
        assert export_case(framework) == package
        assert sum(1 + len(d.knowledge_areas) for d in framework.domains) == (
            len(package["CFItems"])
        )
        assert DOMAIN_NAMES == [
            i["fullStatement"]
            for i in package["CFItems"]
            if i["CFItemType"] == "Domain"
        ]

    def test_case_twice(self):
        """
        Two runs of export case print the same text.
        """
        assert run("export", "case") == run("export", "case")

    def test_case_edition(self):
        """
        --framework and --as-of choose the edition exported.
        """
        by_id = json.loads(
            run("export", "case", "--framework", EDITION_2017)[1]
        )
        by_date = json.loads(run("export", "case", "--as-of", "2020-01-01")[1])

        assert [stable_uuid(EDITION_2017)] * 2 == [
            by_id["CFDocument"]["identifier"],
            by_date["CFDocument"]["identifier"],
        ]

    def test_case_base_uri(self):
        """
        --base-uri prefixes every uri.
        """
        base = "https://case.example.org/uri/"

        _, out, _ = run("export", "case", "--base-uri", base)

        assert export_case(
            bundled_framework(EDITION_2024), base_uri=base
        ) == json.loads(out)

    def test_case_framework_file(self, write):
        """
        --framework reads a framework file.
        """
        path = write(FRAMEWORK, "framework.json")

        status, out, _ = run("export", "case", "--framework", path)

        assert 0 == status
        assert ["Theory"] == [
            i["fullStatement"] for i in json.loads(out)["CFItems"]
        ]

    def test_case_bad_framework(self):
        """
        An unknown --framework id exits 2.
        """
        status, out, err = run("export", "case", "--framework", "nope-1")

        assert (2, "") == (status, out)
        assert err.endswith("; got nope-1\n")

    def test_ctdl(self):
        """
        export ctdl exits 0 and prints the category as CTDL.
        """
        status, out, err = run(
            "export", "ctdl", "--category", "IFS", "--owner", OWNER
        )

        assert (0, "") == (status, err)
        assert export_ctdl(
            bundled_rulebook("mi-aimh-2024"), "IFS", owner=OWNER
        ) == json.loads(out)

    def test_ctdl_registry_fields(self):
        """
        --owner-name and --subject-webpage reach the credential.
        """
        _, out, _ = run(
            "export",
            "ctdl",
            "--category",
            "IFS",
            "--owner",
            OWNER,
            "--owner-name",
            "An owner",
            "--subject-webpage",
            "https://example.org/ifs",
        )

        assert export_ctdl(
            bundled_rulebook("mi-aimh-2024"),
            "IFS",
            owner=OWNER,
            owner_name="An owner",
            subject_webpage="https://example.org/ifs",
        ) == json.loads(out)

    def test_ctdl_without_owner(self):
        """
        export ctdl without --owner exits 2, saying what is needed.
        """
        status, out, err = run("export", "ctdl", "--category", "IFS")

        assert (2, "") == (status, out)
        assert err.startswith(
            "iecmh: the CTDL export of IFS: ceterms:ownedBy: expected the "
            "absolute URI of the organization that owns the credential "
            "(owner, or --owner)"
        )

    def test_ctdl_framework(self):
        """
        --framework adds the framework's competencies.
        """
        _, out, _ = run(
            "export",
            "ctdl",
            "--category",
            "IFS",
            "--rulebook",
            "mi-aimh-2017",
            "--framework",
            EDITION_2017,
            "--owner",
            OWNER,
        )

        assert export_ctdl(
            bundled_rulebook("mi-aimh-2017"),
            "IFS",
            bundled_framework(EDITION_2017),
            owner=OWNER,
        ) == json.loads(out)

    def test_ctdl_as_of(self):
        """
        --as-of adds the competencies of the edition in force then.
        """
        _, out, _ = run(
            "export",
            "ctdl",
            "--category",
            "IFS",
            "--as-of",
            "2020-01-01",
            "--owner",
            OWNER,
        )

        assert (
            f"urn:iecmh:framework:{EDITION_2017}"
            == (json.loads(out)["@graph"][2]["@id"])
        )

    def test_ctdl_rulebook_file(self, write):
        """
        --rulebook reads a rulebook file.
        """
        path = write(RULEBOOK, "rules.json")

        status, out, _ = run(
            "export",
            "ctdl",
            "--category",
            "IFS",
            "--rulebook",
            path,
            "--owner",
            OWNER,
            "--subject-webpage",
            "https://example.org/ifs",
        )

        assert 0 == status
        assert (
            "urn:iecmh:rulebook:test-2024#IFS"
            == (json.loads(out)["@graph"][0]["@id"])
        )

    def test_ctdl_without_category(self):
        """
        export ctdl without --category exits 2.
        """
        assert (
            2,
            "",
            "iecmh export ctdl: --category is required\n",
        ) == run("export", "ctdl")

    def test_ctdl_unknown_category(self):
        """
        A category the rulebook lacks exits 2.
        """
        status, out, err = run(
            "export", "ctdl", "--category", "NOPE", "--owner", OWNER
        )

        assert (2, "") == (status, out)
        assert err.startswith(
            "iecmh: rulebook mi-aimh-2024 defines no category 'NOPE'"
        )

    def test_ctdl_unknown_rulebook(self):
        """
        An unknown --rulebook id exits 2.
        """
        status, out, err = run(
            "export",
            "ctdl",
            "--category",
            "IFS",
            "--rulebook",
            "nope-1",
            "--owner",
            OWNER,
        )

        assert (2, "") == (status, out)
        assert err.endswith("; got nope-1\n")

    def test_unknown_standard(self, capsys):
        """
        A standard other than case or ctdl is a usage error, exit 2.
        """
        status, _, _ = run("export", "xml")

        assert 2 == status
        assert "invalid choice: 'xml'" in capsys.readouterr().err


RENEWAL_RULEBOOK = RULEBOOK | {
    "renewal": {
        "due_month": 12,
        "due_day": 31,
        "grace_days": 31,
        "opens_days_before": 91,
        "sources": SOURCES,
    },
    "categories": [
        RULEBOOK["categories"][0]
        | {
            "renewal": [
                {
                    "id": "ifs.renewal.training",
                    "kind": "training",
                    "title": "15 hours of training",
                    "sources": SOURCES,
                    "hours": 15,
                    "window_months": 12,
                },
                {
                    "id": "ifs.renewal.ethics",
                    "kind": "ethics",
                    "title": "The Code of Ethics signed again",
                    "sources": SOURCES,
                    "window_months": 12,
                },
            ]
        }
    ],
}
UPDATE = {"title": "Update", "completed_on": "2025-05-01", "hours": 14.5}
HOLDER = {
    "id": "holder-1",
    "code_of_ethics_signed_on": "2025-03-01",
    "training": [UPDATE],
    "endorsements": [
        {
            "category": "IFS",
            "awarded_on": "2023-04-01",
            "status": "active",
            "renewals": [{"year": 2024, "renewed_on": "2024-12-01"}],
        },
        {"category": "IMHS", "awarded_on": "2020-04-01", "status": "lapsed"},
    ],
}
FIFTEEN_HOURS = HOLDER | {
    "training": [UPDATE, UPDATE | {"completed_on": "2025-06-01", "hours": 0.5}]
}


class TestRenewal:
    """
    iecmh renew, status and export ob3 follow an endorsement once awarded.
    """

    @pytest.fixture
    def files(self, write):
        """
        Return the paths of the test holder and the test renewal rulebook.
        """
        return write(HOLDER, "holder.json"), write(
            RENEWAL_RULEBOOK, "rules.json"
        )

    def renew(self, files, *options, holder=None):
        """
        Run iecmh renew on the test files for the IFS renewal of 2025.
        """
        return run(
            "renew",
            holder or files[0],
            "--rulebook",
            files[1],
            "--category",
            "IFS",
            "--year",
            "2025",
            *options,
        )

    def test_half_an_hour_short(self, files):
        """
        14.5 hours in the year leave the training unmet by 0.5, exit 1.
        """
        status, out, err = self.renew(files)
        lines = [line.strip() for line in out.splitlines()]

        assert (1, "") == (status, err)
        assert [
            "holder-1: RENEWAL NOT MET for IFS under test-2024 as of 2025-12-31",
            "",
            (
                "[UNMET] ifs.renewal.training: 14.5 of 15 clock hours of "
                "training completed from 2025-01-01 to 2025-12-31, in 1 "
                "training"
            ),
            "to do: 0.5 more clock hours of training",
            (
                "[met] ifs.renewal.ethics: The Code of Ethics and "
                "Endorsement Agreement were signed on 2025-03-01"
            ),
        ] == lines

    def test_half_an_hour_short_json(self, files):
        """
        --format json prints a valid renewal determination, shortfall 0.5.
        """
        status, out, _ = self.renew(files, "--format", "json")
        determination = json.loads(out)

        assert 1 == status
        assert () == validate(determination, "determination")
        assert ("renewal", "2025-12-31", "not_eligible") == (
            determination["purpose"],
            determination["as_of"],
            determination["outcome"],
        )
        assert ("unmet", 0.5) == (
            determination["findings"][0]["outcome"],
            determination["findings"][0]["shortfall"],
        )

    def test_fifteen_hours(self, write, files):
        """
        15 hours in the year meet the training, and the renewal exits 0.
        """
        holder = write(FIFTEEN_HOURS, "fifteen.json")

        status, out, err = self.renew(files, holder=holder)

        assert (0, "") == (status, err)
        assert (
            "holder-1: RENEWAL MET for IFS under test-2024 as of 2025-12-31"
            == out.splitlines()[0]
        )
        assert "  [met] ifs.renewal.training: 15 of 15 clock hours" in out

    def test_bundled_rulebook_in_a_subprocess(self, write):
        """
        python -m iecmh_core renew under the bundled rules: 0.5 hours short.
        """
        short, enough = write(HOLDER, "short.json"), write(FIFTEEN_HOURS)

        def training(path):
            done = subprocess.run(  # noqa: S603 - our own interpreter and module
                [
                    sys.executable,
                    "-m",
                    "iecmh_core",
                    "renew",
                    path,
                    "--category",
                    "IFS",
                    "--year",
                    "2025",
                    "--format",
                    "json",
                ],
                capture_output=True,
                text=True,
                check=False,
            )
            determination = json.loads(done.stdout)
            found = next(
                f
                for f in determination["findings"]
                if f["requirement"] == "ifs.renewal.training"
            )
            return done.returncode, done.stderr, found

        status, err, found = training(short)
        assert (1, "", "unmet", 0.5) == (
            status,
            err,
            found["outcome"],
            found["shortfall"],
        )
        _, _, found = training(enough)
        assert ("met", 0) == (found["outcome"], found["shortfall"])

    @pytest.mark.parametrize("year", ["twenty", "2025.5", ""])
    def test_year_not_a_number(self, files, year, capsys):
        """
        A --year that is not a whole number is a usage error, exit 2.
        """
        status, out, _ = run(
            "renew", files[0], "--category", "IFS", "--year", year
        )

        assert (2, "") == (status, out)
        assert f"invalid int value: '{year}'" in capsys.readouterr().err

    @pytest.mark.parametrize("year", ["0", "-1", "10000"])
    def test_year_out_of_range(self, files, year):
        """
        A --year no date can have is bad input, exit 2, not a traceback.
        """
        status, out, err = run(
            "renew", files[0], "--category", "IFS", "--year", year
        )

        assert (2, "") == (status, out)
        assert err.startswith("iecmh: ")
        assert year in err

    def test_unknown_category(self, files):
        """
        A category the portfolio does not hold exits 2 naming those held.
        """
        status, out, err = run(
            "renew", files[0], "--category", "NOPE", "--year", "2025"
        )

        assert (
            2,
            "",
            (
                "iecmh: expected an endorsement held in NOPE; the portfolio "
                "holds IFS, IMHS\n"
            ),
        ) == (status, out, err)

    def test_rulebook_without_renewal(self, write, files):
        """
        A rulebook with no renewal rules exits 2.
        """
        rules = write(RULEBOOK, "plain.json")

        status, out, err = run(
            "renew",
            files[0],
            "--category",
            "IFS",
            "--year",
            "2025",
            "--rulebook",
            rules,
        )

        assert (2, "") == (status, out)
        assert err.startswith(
            "iecmh: expected a rulebook id among massaimh-2024, "
        )
        assert err.endswith(
            "; got an edition with renewal rules (not test-2024)\n"
        )

    def test_status(self, files):
        """
        iecmh status prints each held endorsement's status, exit 0.
        """
        status, out, err = run(
            "status", files[0], "--rulebook", files[1], "--on", "2025-06-01"
        )

        assert (0, "") == (status, err)
        assert [
            (
                "IFS: active on 2025-06-01: In good standing; the next "
                "renewal is due on 2025-12-31"
            ),
            (
                "IMHS: lapsed on 2025-06-01: The 2021 renewal, due "
                "2021-12-31, was not made by 2022-01-31; the endorsement "
                "lapsed on 2022-02-01 and needs reinstatement"
            ),
        ] == out.splitlines()

    def test_status_of_one_category(self, files):
        """
        --category prints that endorsement's status only.
        """
        status, out, _ = run(
            "status",
            files[0],
            "--rulebook",
            files[1],
            "--on",
            "2025-11-01",
            "--category",
            "IFS",
        )

        assert (
            0,
            (
                "IFS: due on 2025-11-01: The 2025 renewal is open and due "
                "on 2025-12-31\n"
            ),
        ) == (status, out)

    def test_status_under_the_bundled_rules(self, files):
        """
        Without --rulebook the edition in force is used.
        """
        status, out, _ = run("status", files[0], "--on", "2025-06-01")

        assert 0 == status
        assert ["IFS: active", "IMHS: lapsed"] == [
            line.split(" on ")[0] for line in out.splitlines()
        ]

    def test_status_no_endorsement(self, write):
        """
        A portfolio holding no endorsement exits 2.
        """
        path = write(PORTFOLIO)

        assert (2, "", f"{path}: no endorsement held\n") == run(
            "status", path, "--on", "2025-06-01"
        )

    def test_status_category_not_held(self, files):
        """
        A --category the portfolio does not hold exits 2.
        """
        status, out, err = run(
            "status", files[0], "--category", "NOPE", "--on", "2025-06-01"
        )

        assert (2, "", f"{files[0]}: no endorsement held in NOPE\n") == (
            status,
            out,
            err,
        )

    def test_status_invalid_portfolio(self, write):
        """
        An invalid portfolio exits 2 naming the file.
        """
        path = write(INVALID)

        status, out, err = run("status", path)

        assert (2, "", f"{path}: invalid portfolio (3 problems)") == (
            status,
            out,
            err.splitlines()[0],
        )

    def test_status_rulebook_without_renewal(self, write, files):
        """
        A rulebook with no renewal rules exits 2.
        """
        rules = write(RULEBOOK, "plain.json")

        status, out, err = run("status", files[0], "--rulebook", rules)

        assert (2, "") == (status, out)
        assert err.startswith("iecmh: expected a rulebook id among ")

    def export(self, files, *options):
        """
        Run iecmh export ob3 for the test holder's IFS endorsement.
        """
        return run(
            "export",
            "ob3",
            "--portfolio",
            files[0],
            "--category",
            "IFS",
            *options,
        )

    def test_export_ob3(self, files):
        """
        export ob3 prints the credential, valid from the award, exit 0.
        """
        status, out, err = self.export(
            files,
            "--rulebook",
            files[1],
            "--as-of",
            "2025-06-01",
            "--framework",
            "mi-aimh-competency-guidelines-2024",
        )
        credential = json.loads(out)
        achievement = credential["credentialSubject"]["achievement"]

        assert (0, "") == (status, err)
        assert ["VerifiableCredential", "OpenBadgeCredential"] == (
            credential["type"]
        )
        assert ("2023-04-01T00:00:00Z", "2026-01-31T23:59:59Z") == (
            credential["validFrom"],
            credential["validUntil"],
        )
        assert ("IFS", "test-2024", 8) == (
            achievement["humanCode"],
            achievement["version"],
            len(achievement["alignment"]),
        )

    def test_export_ob3_bundled(self, files):
        """
        Without --rulebook the association's edition in force is used.
        """
        status, out, _ = self.export(files, "--as-of", "2025-06-01")
        credential = json.loads(out)

        achievement = credential["credentialSubject"]["achievement"]

        assert 0 == status
        assert (
            "Michigan Association for Infant Mental Health",
            "mi-aimh-2024",
        ) == (credential["issuer"]["name"], achievement["version"])

    def test_export_ob3_issued_today(self, write, files):
        """
        Without --framework or --as-of, issued today and not aligned.
        """
        renewed = [
            {"year": year, "renewed_on": f"{year}-12-01"}
            for year in range(2024, 2200)
        ]
        holder = HOLDER | {
            "endorsements": [HOLDER["endorsements"][0] | {"renewals": renewed}]
        }
        path = write(holder, "renewed.json")

        status, out, err = run(
            "export",
            "ob3",
            "--portfolio",
            path,
            "--category",
            "IFS",
            "--rulebook",
            files[1],
        )
        credential = json.loads(out)

        achievement = credential["credentialSubject"]["achievement"]

        assert (0, "") == (status, err)
        assert "alignment" not in achievement

    def test_export_ob3_options(self, files):
        """
        --as-of alone does not align; --subject-id and --issuer-id are used.
        """
        status, out, _ = self.export(
            files,
            "--rulebook",
            files[1],
            "--as-of",
            "2025-06-01",
            "--subject-id",
            "did:example:holder",
            "--issuer-id",
            "https://example.org/issuer",
        )
        credential = json.loads(out)
        subject = credential["credentialSubject"]

        assert 0 == status
        assert (
            "did:example:holder",
            "https://example.org/issuer",
            False,
        ) == (
            subject["id"],
            credential["issuer"]["id"],
            "alignment" in subject["achievement"],
        )

    @pytest.mark.parametrize(
        "options",
        [
            ["--category", "IFS"],
            ["--portfolio", "holder.json"],
            [],
        ],
    )
    def test_export_ob3_needs_portfolio_and_category(self, options):
        """
        export ob3 without --portfolio or --category exits 2.
        """
        assert (
            2,
            "",
            "iecmh export ob3: --portfolio and --category are required\n",
        ) == run("export", "ob3", *options)

    def test_export_ob3_lapsed(self, files):
        """
        A lapsed endorsement is not exported, exit 2.
        """
        status, out, err = run(
            "export",
            "ob3",
            "--portfolio",
            files[0],
            "--category",
            "IMHS",
            "--rulebook",
            files[1],
            "--as-of",
            "2025-06-01",
        )

        assert (2, "") == (status, out)
        assert err.startswith(
            "iecmh: expected an endorsement in good standing in IMHS; got: "
            "The 2021 renewal"
        )

    def test_export_ob3_not_held(self, files):
        """
        A category the portfolio does not hold exits 2.
        """
        status, out, err = run(
            "export",
            "ob3",
            "--portfolio",
            files[0],
            "--category",
            "NOPE",
            "--as-of",
            "2025-06-01",
        )

        assert (2, "") == (status, out)
        assert err.startswith("iecmh: expected an endorsement held in NOPE")


BATCH_OPTIONS = (
    "--category",
    "IFS",
    "--rulebook",
    "mi-aimh-2024",
    "--as-of",
    "2026-01-15",
)
HOURS_ERROR = {
    "path": "$.rsc[0].hours",
    "message": 'expected a number, got "two"',
}


def batch_line(number: int, *, broken: bool = False) -> str:
    """
    Return PORTFOLIO with the id applicant-<number> as one line of JSON;
    when *broken*, with hours that are not a number.
    """
    document = PORTFOLIO | {"id": f"applicant-{number}"}
    if broken:
        document["rsc"] = [PORTFOLIO["rsc"][0] | {"hours": "two"}]
    return json.dumps(document)


class Terminal(io.StringIO):
    """
    A StringIO that says it is a terminal.
    """

    def isatty(self) -> bool:
        """
        Say yes.
        """
        return True


class TestBatch:
    """
    iecmh batch evaluates a JSON Lines file, one record per line, in order.
    """

    def test_ten_thousand_in_order(self, tmp_path):
        """
        10,000 portfolios with one broken line, in two processes: 10,000
        records in input order, one an error record naming its line and
        JSON path, the counts on stderr, and exit status 1.
        """
        count, broken = 10_000, 6_789
        path = tmp_path / "portfolios.jsonl"
        path.write_text(
            "".join(
                batch_line(n, broken=n == broken) + "\n"
                for n in range(1, count + 1)
            ),
            encoding="utf-8",
        )

        status, out, err = run(
            "batch", str(path), *BATCH_OPTIONS, "--jobs", "2"
        )

        records = [json.loads(line) for line in out.splitlines()]
        assert 1 == status
        assert count == len(records)
        assert [
            n if n == broken else f"applicant-{n}" for n in range(1, count + 1)
        ] == [
            record.get("portfolio", record.get("line")) for record in records
        ]
        assert {"line": broken, "problems": [HOURS_ERROR]} == (
            records[broken - 1]
        )
        assert () == validate(records[0], "determination")
        assert (
            f"{path}: 10000 records; 9999 not_eligible; 1 errors "
            f"(lines {broken})\n"
        ) == err

    def test_all_evaluated(self, write):
        """
        Every line evaluated: one determination per line, exit status 0.
        """
        path = write(f"{batch_line(1)}\n{batch_line(2)}\n", "in.jsonl")

        status, out, err = run("batch", path, *BATCH_OPTIONS)

        assert 0 == status
        assert ["applicant-1", "applicant-2"] == [
            json.loads(line)["portfolio"] for line in out.splitlines()
        ]
        assert f"{path}: 2 records; 2 not_eligible; 0 errors\n" == err

    def test_errors_and_blank_lines(self, write):
        """
        Blank lines are passed over and counted; an invalid line is an
        error record; exit status 1.
        """
        path = write(
            f"\n{batch_line(2)}\n{{\n\n{batch_line(5, broken=True)}\n",
            "in.jsonl",
        )

        status, out, err = run("batch", path, *BATCH_OPTIONS)

        records = [json.loads(line) for line in out.splitlines()]
        assert 1 == status
        assert ["applicant-2", 3, 5] == [
            record.get("portfolio", record.get("line")) for record in records
        ]
        assert ["$"] == [p["path"] for p in records[1]["problems"]]
        assert [HOURS_ERROR] == records[2]["problems"]
        assert (
            f"{path}: 3 records; 1 not_eligible; 2 errors (lines 3, 5); "
            "2 blank lines passed over\n"
        ) == err

    def test_stdin(self, monkeypatch):
        """
        - reads the portfolios from standard input.
        """
        monkeypatch.setattr(
            sys, "stdin", io.StringIO(f"{batch_line(1)}\n{batch_line(2)}\n")
        )

        status, out, err = run("batch", "-", *BATCH_OPTIONS)

        assert 0 == status
        assert 2 == len(out.splitlines())
        assert "-: 2 records; 2 not_eligible; 0 errors\n" == err
        assert not sys.stdin.closed

    def test_out_file(self, write, tmp_path):
        """
        --out writes the records to a file, and nothing to stdout.
        """
        path = write(f"{batch_line(1)}\n{batch_line(2, broken=True)}\n")
        target = tmp_path / "results.jsonl"

        status, out, err = run(
            "batch", path, *BATCH_OPTIONS, "--out", str(target)
        )

        lines = target.read_text(encoding="utf-8").splitlines()
        assert (1, "") == (status, out)
        assert "applicant-1" == json.loads(lines[0])["portfolio"]
        assert {"line": 2, "problems": [HOURS_ERROR]} == json.loads(lines[1])
        assert f"{path}: 2 records; 1 not_eligible; 1 errors (lines 2)\n" == (
            err
        )

    def test_missing_input(self, tmp_path):
        """
        An input file that does not exist exits 2.
        """
        path = tmp_path / "nope.jsonl"

        assert (
            2,
            "",
            f"{path}: cannot read: No such file or directory\n",
        ) == run("batch", str(path), *BATCH_OPTIONS)

    def test_input_is_a_folder(self, tmp_path):
        """
        An input that is a folder exits 2.
        """
        assert (
            2,
            "",
            f"{tmp_path}: cannot read: Is a directory\n",
        ) == run("batch", str(tmp_path), *BATCH_OPTIONS)

    def test_unwritable_out(self, write, tmp_path):
        """
        An --out file that cannot be written exits 2, before any line.
        """
        path = write(f"{batch_line(1)}\n")
        target = tmp_path / "missing" / "results.jsonl"

        assert (
            2,
            "",
            f"{target}: cannot write: No such file or directory\n",
        ) == run("batch", path, *BATCH_OPTIONS, "--out", str(target))

    def test_unknown_rulebook(self, write):
        """
        An unknown --rulebook id exits 2, with no records and no summary.
        """
        path = write(f"{batch_line(1)}\n")

        status, out, err = run(
            "batch", path, "--category", "IFS", "--rulebook", "nope-1"
        )

        assert (2, "") == (status, out)
        assert err.startswith("iecmh: expected a rulebook id among ")
        assert err.endswith("; got nope-1\n")

    def test_invalid_rulebook_file(self, write):
        """
        A --rulebook file that is not a valid rulebook exits 2, naming it.
        """
        path = write(f"{batch_line(1)}\n")
        rules = write({"id": "x"}, "rules.json")

        status, out, err = run(
            "batch", path, "--category", "IFS", "--rulebook", rules
        )

        assert (2, "") == (status, out)
        assert err.startswith(f"{rules}: invalid rulebook (")

    def test_unknown_category(self, write, tmp_path):
        """
        A category the rulebook lacks exits 2, and --out stays empty.
        """
        path = write(f"{batch_line(1)}\n")
        target = tmp_path / "results.jsonl"

        status, out, err = run(
            "batch",
            path,
            "--category",
            "NOPE",
            "--rulebook",
            "mi-aimh-2024",
            "--out",
            str(target),
        )

        assert (2, "") == (status, out)
        assert err.startswith(
            "iecmh: rulebook mi-aimh-2024 defines no category 'NOPE'"
        )
        assert "" == target.read_text(encoding="utf-8")

    def test_progress_on_a_terminal(self, write):
        """
        On a terminal, a progress line comes before the summary.
        """
        path = write(f"{batch_line(1)}\n{batch_line(2)}\n")
        out, err = io.StringIO(), Terminal()

        status = main(["batch", path, *BATCH_OPTIONS], out=out, err=err)

        progress, summary = err.getvalue().split("\n", 1)
        assert 0 == status
        assert progress.startswith("\r1 portfolios, ")
        assert progress.endswith("/s")
        assert f"{path}: 2 records; 2 not_eligible; 0 errors\n" == summary

    def test_no_progress_elsewhere(self, write):
        """
        Elsewhere, standard error holds the summary alone.
        """
        path = write(f"{batch_line(1)}\n{batch_line(2)}\n")

        _, _, err = run("batch", path, *BATCH_OPTIONS)

        assert "portfolios," not in err
        assert f"{path}: 2 records; 2 not_eligible; 0 errors\n" == err

    def test_line_not_utf8(self, tmp_path):
        """
        A line that is not UTF-8 is bad input, reported, not a traceback.
        """
        path = tmp_path / "in.jsonl"
        path.write_bytes(
            f"{batch_line(1)}\n".encode()
            + b'{"id": "applicant-\xff", "code_of_ethics_signed_on": null}\n'
        )

        status, _, err = run("batch", str(path), *BATCH_OPTIONS)

        assert status in {1, 2}
        assert err.startswith(str(path))


class TestRulesThatDoNotFit:
    """
    Warnings reach standard error and the JSON; status before an award is not active.
    """

    PORTFOLIO: ClassVar[dict[str, Any]] = {
        "id": "w-1",
        "code_of_ethics_signed_on": "2025-02-01",
        "endorsements": [
            {
                "category": "IFS",
                "rulebook": "mi-aimh-2024",
                "awarded_on": "2025-04-01",
                "status": "active",
            }
        ],
    }

    def test_an_edition_outside_its_dates_warns(self, write):
        """mi-aimh-2017 on 2026-01-15 carries an outside_effective_dates warning."""
        path = write(self.PORTFOLIO)
        status, out, err = run(
            "evaluate", path, "--category", "IFS", "--rulebook",
            "mi-aimh-2017", "--as-of", "2026-01-15", "--format", "json",
        )  # fmt: skip
        assert 1 == status
        document = json.loads(out)
        assert ["outside_effective_dates"] == [
            w["code"] for w in document["warnings"]
        ]
        assert "warning: outside_effective_dates: mi-aimh-2017" in err
        assert () == iecmh_core.validate(document, "determination")

    def test_an_edition_in_force_does_not_warn(self, write):
        """mi-aimh-2024 on 2026-01-15: no warnings key, nothing on stderr."""
        path = write(self.PORTFOLIO)
        _, out, err = run(
            "evaluate", path, "--category", "IFS", "--rulebook",
            "mi-aimh-2024", "--as-of", "2026-01-15", "--format", "json",
        )  # fmt: skip
        assert "warnings" not in json.loads(out)
        assert "" == err

    def test_status_before_the_award(self, write):
        """iecmh status on 2025-03-01 says not_yet_awarded, not active."""
        status, out, _ = run(
            "status", write(self.PORTFOLIO), "--on", "2025-03-01"
        )
        assert 0 == status
        assert out.startswith("IFS: not_yet_awarded on 2025-03-01")

    def test_another_associations_rules_need_insisting(self, write):
        """--rulebook massaimh-2024 for an MI-AIMH endorsement exits 2 unless --any-association."""
        path = write(self.PORTFOLIO)
        status, _, err = run(
            "status", path, "--on", "2025-06-01", "--rulebook", "massaimh-2024"
        )
        assert 2 == status
        assert "awarded under mi-aimh's rules" in err
        status, _, err = run(
            "status", path, "--on", "2025-06-01", "--rulebook",
            "massaimh-2024", "--any-association",
        )  # fmt: skip
        assert 0 == status
        assert "warning: other_association" in err


class TestEmerging:
    """iecmh evaluate says EMERGING, with the deadline, and exits 1."""

    BOOK: ClassVar[dict[str, Any]] = {
        "id": "test-emerging",
        "association": "test",
        "title": "Test rules",
        "effective_from": "2020-01-01",
        "categories": [
            {
                "code": "ERS",
                "name": "Endorsed Reflective Supervisor",
                "family": "IMH-E",
                "age_band": "infant",
                "scope": "reflective_supervision",
                "requirements": [
                    {
                        "id": "ers.training",
                        "kind": "training",
                        "title": "Training",
                        "sources": ["https://example.org/ers"],
                        "hours": 15,
                    }
                ],
                "emerging": {
                    "requirements": [
                        {
                            "id": "ers.ethics",
                            "kind": "ethics",
                            "title": "Ethics",
                            "sources": ["https://example.org/ers"],
                        }
                    ],
                    "months_to_finish": 24,
                    "sources": ["https://example.org/ers"],
                },
            }
        ],
    }

    def test_text_and_json(self, write):
        """Text heading EMERGING and the deadline; JSON outcome emerging."""
        book = write(self.BOOK, "rules.json")
        path = write({"id": "e-1", "code_of_ethics_signed_on": "2025-01-01"})
        args = ("evaluate", path, "--category", "ERS", "--rulebook", book)
        status, out, _ = run(*args, "--as-of", "2026-01-15")
        assert 1 == status
        assert "EMERGING for ERS" in out
        assert "every requirement to be met by 2028-01-15" in out
        status, out, _ = run(
            *args, "--as-of", "2026-01-15", "--format", "json"
        )
        document = json.loads(out)
        assert ("emerging", "2028-01-15") == (
            document["outcome"],
            document["emerging"]["deadline"],
        )
