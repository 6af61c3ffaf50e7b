"""
Other stacks load the bundled schemas and agree with iecmh validate.

The corpus (``tests/corpus``, plus every bundled rulebook and framework) is
named ``KIND.VERDICT.NAME.json``: ``valid`` documents are valid, ``invalid``
ones break their JSON Schema, and ``rule`` ones keep their schema but break
the rule (or JSON reading rule) NAME, which only iecmh_core checks. Every
validator is given one bundled schema file and no other file or option
beyond turning formats on where its defaults leave them off.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import sys
from importlib.resources import files
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest
from jsonschema import Draft202012Validator

from iecmh_core import DocumentKind, schema, validate

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "tests" / "corpus"
JS = REPO / "tests" / "js"
KINDS = [kind.value for kind in DocumentKind]


def corpus() -> list[tuple[str, str, str, Path]]:
    """
    Return (kind, verdict, name, path) for every document of the corpus.
    """
    documents = []
    for path in sorted(CORPUS.glob("*.json")):
        kind, verdict, name = path.stem.split(".", 2)
        documents.append((kind, verdict, name, path))
    for folder, kind in (
        ("rulebooks", "rulebook"),
        ("frameworks", "framework"),
    ):
        for entry in sorted(files("iecmh_core").joinpath(folder).iterdir()):
            if entry.name.endswith(".json"):
                stem = entry.name.removesuffix(".json")
                documents.append((kind, "valid", stem, Path(str(entry))))
    return documents


CORPUS_DOCUMENTS = corpus()
KIND_PATHS = [(kind, path) for kind, _, _, path in CORPUS_DOCUMENTS]
IDS = [
    f"{kind}.{verdict}.{name}" for kind, verdict, name, _ in CORPUS_DOCUMENTS
]


def schema_valid(path: Path, kind: str) -> bool:
    """
    Tell whether iecmh validate finds no problem coded as a schema breach.
    """
    return not any(p.code.startswith("schema.") for p in validate(path, kind))


@pytest.fixture(scope="module")
def bundles(tmp_path_factory) -> dict[str, Path]:
    """
    Write each kind's bundled schema to a file of its own.
    """
    folder = tmp_path_factory.mktemp("bundles")
    written = {}
    for kind in KINDS:
        written[kind] = folder / f"{kind}.schema.json"
        written[kind].write_text(json.dumps(schema(kind, bundled=True)))
    return written


class TestCorpus:
    """
    The corpus says what it claims, by iecmh validate.
    """

    def test_every_kind_and_verdict(self):
        """
        Each kind has valid and schema-invalid documents in the corpus.
        """
        present = {(kind, verdict) for kind, verdict, _, _ in CORPUS_DOCUMENTS}

        assert {
            (kind, verdict)
            for kind in KINDS
            for verdict in ("valid", "invalid")
        } <= present

    @pytest.mark.parametrize(
        ("kind", "verdict", "name", "path"), CORPUS_DOCUMENTS, ids=IDS
    )
    def test_verdict(self, kind, verdict, name, path):
        """
        Valid documents have no problem; invalid ones a schema problem;
        rule ones only the problem the rule's code names.
        """
        problems = validate(path, kind)
        codes = {problem.code for problem in problems}

        if verdict == "valid":
            assert () == problems
        elif verdict == "invalid":
            assert any(code.startswith("schema.") for code in codes), problems
        else:
            assert codes in ({f"rule.{name}"}, {f"json.{name}"}), problems


class TestPythonValidators:
    """
    jsonschema, jsonschema-rs and check-jsonschema agree with iecmh.
    """

    @pytest.mark.parametrize(("kind", "path"), KIND_PATHS, ids=IDS)
    def test_jsonschema_rs(self, kind, path):
        """
        jsonschema-rs, given the bundle alone, gives iecmh's verdict.

        Formats stay off, jsonschema-rs's default: the date pattern alone
        refuses impossible dates.
        """
        validator = jsonschema_rs.validator_for(schema(kind, bundled=True))

        assert schema_valid(path, kind) == validator.is_valid(
            json.loads(path.read_text(encoding="utf-8"))
        )

    @pytest.mark.parametrize(("kind", "path"), KIND_PATHS, ids=IDS)
    def test_jsonschema_without_registry(self, kind, path):
        """
        jsonschema, given the bundle and no registry, gives iecmh's verdict.
        """
        validator = Draft202012Validator(
            schema(kind, bundled=True),
            format_checker=Draft202012Validator.FORMAT_CHECKER,
        )

        assert schema_valid(path, kind) == validator.is_valid(
            json.loads(path.read_text(encoding="utf-8"))
        )

    @pytest.mark.parametrize("kind", KINDS)
    def test_check_jsonschema(self, kind, bundles):
        """
        check-jsonschema --schemafile BUNDLE fails exactly the documents
        iecmh finds breaking their schema.
        """
        documents = [p for k, _, _, p in CORPUS_DOCUMENTS if k == kind]
        done = subprocess.run(  # noqa: S603 - our own tools
            [
                sys.executable,
                "-m",
                "check_jsonschema",
                "-o",
                "json",
                "--schemafile",
                str(bundles[kind]),
                *map(str, documents),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        report = json.loads(done.stdout)
        failed = {Path(error["filename"]) for error in report["errors"]}

        assert [] == report["parse_errors"]
        assert {p for p in documents if not schema_valid(p, kind)} == failed


def node_tools() -> Path:
    """
    Return tests/js, or skip when its npm packages are not installed.
    """
    if shutil.which("node") is None or not (JS / "node_modules").is_dir():
        pytest.skip(
            "Ajv and json-schema-to-typescript are not installed: run "
            "`npm ci --prefix tests/js` (.ci/run does) to check the bundled "
            "schemas with JavaScript tools"
        )
    return JS


@pytest.fixture(scope="module")
def javascript(tmp_path_factory) -> dict[str, Any]:
    """
    Run tests/js/check.mjs over the bundles and the corpus, once.
    """
    js = node_tools()
    folder = tmp_path_factory.mktemp("javascript")
    manifest: dict[str, Any] = {"schemas": {}, "documents": []}
    for kind in KINDS:
        name = f"{kind}.schema.json"
        (folder / name).write_text(json.dumps(schema(kind, bundled=True)))
        manifest["schemas"][kind] = name
    for (kind, _, _, path), label in zip(CORPUS_DOCUMENTS, IDS, strict=True):
        shutil.copyfile(path, folder / f"{label}.json")
        manifest["documents"].append({"file": f"{label}.json", "kind": kind})
    (folder / "manifest.json").write_text(json.dumps(manifest))
    done = subprocess.run(  # noqa: S603 - our own tools
        ["node", str(js / "check.mjs"), str(folder)],  # noqa: S607 - PATH
        capture_output=True,
        text=True,
        check=False,
    )
    assert 0 == done.returncode, done.stderr
    result: dict[str, Any] = json.loads(done.stdout)
    return result


class TestJavaScript:
    """
    Ajv 2020 (strict, with ajv-formats) and json-schema-to-typescript.
    """

    @pytest.mark.parametrize(
        ("kind", "verdict", "name", "path"), CORPUS_DOCUMENTS, ids=IDS
    )
    def test_ajv(self, kind, verdict, name, path, javascript):
        """
        Ajv compiles each bundle in strict mode and gives iecmh's verdict.
        """
        label = f"{kind}.{verdict}.{name}.json"

        assert schema_valid(path, kind) == javascript["verdicts"][label]

    @pytest.mark.parametrize("kind", KINDS)
    def test_typescript(self, kind, javascript):
        """
        json-schema-to-typescript writes an interface for each bundle.
        """
        title = schema(kind)["title"].title().replace(" ", "")

        assert f"export interface {title} " in javascript["types"][kind]


class TestPydanticModels:
    """
    datamodel-code-generator writes pydantic models from the bundles.
    """

    def test_generated_models_read_valid_documents(self, bundles, tmp_path):
        """
        The models generated from each bundle read its valid documents and
        refuse a document with a wrong type.
        """
        for kind in KINDS:
            module = tmp_path / f"{kind}_model.py"
            subprocess.run(  # noqa: S603 - our own tools
                [
                    sys.executable,
                    "-m",
                    "datamodel_code_generator",
                    "--input",
                    str(bundles[kind]),
                    "--input-file-type",
                    "jsonschema",
                    "--output-model-type",
                    "pydantic_v2.BaseModel",
                    "--formatters",
                    "black",
                    "--class-name",
                    "Document",
                    "--output",
                    str(module),
                ],
                check=True,
                capture_output=True,
            )
            spec = importlib.util.spec_from_file_location(module.stem, module)
            assert spec is not None
            assert spec.loader is not None
            generated = importlib.util.module_from_spec(spec)
            sys.modules[module.stem] = generated
            spec.loader.exec_module(generated)
            for k, verdict, _, path in CORPUS_DOCUMENTS:
                if k == kind and verdict == "valid":
                    generated.Document.model_validate_json(path.read_bytes())
        broken = CORPUS / "portfolio.invalid.wrong-type-hours.json"
        with pytest.raises(ValueError, match="hours"):
            sys.modules["portfolio_model"].Document.model_validate_json(
                broken.read_bytes()
            )


class TestTolerantBundle:
    """
    The tolerant bundle accepts what a later :1 minor version may add.
    """

    @pytest.mark.parametrize(("kind", "path"), KIND_PATHS, ids=IDS)
    def test_accepts_what_strict_accepts(self, kind, path):
        """
        Every document the strict bundle accepts, the tolerant one does.
        """
        document = json.loads(path.read_text(encoding="utf-8"))
        strict = jsonschema_rs.validator_for(schema(kind, bundled=True))
        tolerant = jsonschema_rs.validator_for(schema(kind, tolerant=True))

        assert strict.is_valid(document) <= tolerant.is_valid(document)

    @pytest.mark.parametrize(
        "name",
        [
            "portfolio.invalid.unknown-key",
            "portfolio.invalid.unknown-nested-key",
            "determination.invalid.unknown-key",
            "determination.invalid.unknown-outcome",
            "rulebook.invalid.unknown-kind",
        ],
    )
    def test_accepts_additions(self, name):
        """
        A property or a vocabulary value added later passes the tolerant
        bundle and fails the strict one.
        """
        kind = name.split(".")[0]
        document = json.loads((CORPUS / f"{name}.json").read_text())

        assert not jsonschema_rs.validator_for(
            schema(kind, bundled=True)
        ).is_valid(document)
        assert jsonschema_rs.validator_for(
            schema(kind, tolerant=True)
        ).is_valid(document)

    @pytest.mark.parametrize(
        "name",
        [
            "portfolio.invalid.impossible-date",
            "portfolio.invalid.negative-hours",
            "portfolio.invalid.missing-id",
            "portfolio.invalid.wrong-type-hours",
            "determination.invalid.missing-findings",
        ],
    )
    def test_still_checks_what_it_knows(self, name):
        """
        Known properties are checked as strictly as before.
        """
        kind = name.split(".")[0]
        document = json.loads((CORPUS / f"{name}.json").read_text())

        assert not jsonschema_rs.validator_for(
            schema(kind, tolerant=True)
        ).is_valid(document)
