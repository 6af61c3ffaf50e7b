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

import pytest

from iecmh_core import bundled_rulebooks, validate
from iecmh_core._cli import main

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
