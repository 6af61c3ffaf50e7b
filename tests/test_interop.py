"""
Other stacks load the bundled schemas and agree with iecmh validate.

The corpus (``tests/corpus``, plus every bundled rulebook and framework) is
named ``KIND.VERDICT.NAME.json``, or ``KIND.VERDICT.NAME.patch.json`` for a
JSON Patch to a bundled edition: ``valid`` documents are valid, ``invalid``
ones break their JSON Schema, and ``rule`` ones keep their schema but break
the rule (or JSON reading rule) NAME, which only iecmh_core checks. Every
validator is given one bundled schema file and no other file or option
beyond turning formats on where its defaults leave them off.
"""

from __future__ import annotations

import copy
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

from iecmh_core import (
    DocumentKind,
    bundled_rulebook,
    dump_json,
    schema,
    validate,
)

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "tests" / "corpus"
JS = REPO / "tests" / "js"
KINDS = [kind.value for kind in DocumentKind]


def _pointer(document: Any, pointer: str) -> tuple[Any, str]:
    """
    Return the container a JSON Pointer points into, and the last key.
    """
    *parents, last = [
        part.replace("~1", "/").replace("~0", "~")
        for part in pointer.split("/")[1:]
    ]
    for part in parents:
        document = document[int(part) if isinstance(document, list) else part]
    return document, last


def apply_patch(document: Any, operations: list[dict[str, Any]]) -> Any:
    """
    Apply an RFC 6902 JSON Patch (add, remove, replace, copy) to a copy.
    """
    document = copy.deepcopy(document)
    for operation in operations:
        op = operation["op"]
        if op == "copy":
            source, key = _pointer(document, operation["from"])
            value = copy.deepcopy(
                source[int(key) if isinstance(source, list) else key]
            )
        else:
            value = operation.get("value")
        target, key = _pointer(document, operation["path"])
        if isinstance(target, list):
            if key == "-":
                target.append(value)
            elif op == "remove":
                del target[int(key)]
            elif op == "replace":
                target[int(key)] = value
            else:
                target.insert(int(key), value)
        elif op == "remove":
            del target[key]
        else:
            target[key] = value
    return document


def _bundled(kind: str, base: str) -> Any:
    folder = {"rulebook": "rulebooks", "framework": "frameworks"}[kind]
    entry = files("iecmh_core").joinpath(folder).joinpath(f"{base}.json")
    return json.loads(entry.read_text(encoding="utf-8"))


def corpus() -> list[tuple[str, str, str, bytes]]:
    """
    Return (kind, verdict, name, JSON text) for every corpus document.

    A ``*.patch.json`` file is a JSON Patch to a bundled edition (its
    ``base``), so the corpus follows the editions as they change.
    """
    documents = []
    for path in sorted(CORPUS.glob("*.json")):
        stem = path.name.removesuffix(".json").removesuffix(".patch")
        kind, verdict, name = stem.split(".", 2)
        text = path.read_bytes()
        if path.name.endswith(".patch.json"):
            spec = json.loads(text)
            patched = apply_patch(_bundled(kind, spec["base"]), spec["patch"])
            text = json.dumps(patched).encode()
        documents.append((kind, verdict, name, text))
    for folder, kind in (
        ("rulebooks", "rulebook"),
        ("frameworks", "framework"),
    ):
        for entry in sorted(files("iecmh_core").joinpath(folder).iterdir()):
            if entry.name.endswith(".json"):
                stem = entry.name.removesuffix(".json")
                text = entry.read_bytes()
                if kind == "rulebook":
                    # An edition that extends another is checked whole,
                    # as the catalogue resolves it.
                    text = dump_json(bundled_rulebook(stem)).encode()
                documents.append((kind, "valid", stem, text))
    return documents


CORPUS_DOCUMENTS = corpus()
DOCUMENTS = {
    f"{kind}.{verdict}.{name}": text
    for kind, verdict, name, text in CORPUS_DOCUMENTS
}
KIND_PATHS = [(kind, text) for kind, _, _, text in CORPUS_DOCUMENTS]
IDS = [
    f"{kind}.{verdict}.{name}" for kind, verdict, name, _ in CORPUS_DOCUMENTS
]


def schema_valid(text: bytes, kind: str) -> bool:
    """
    Tell whether iecmh validate finds no problem coded as a schema breach.
    """
    return not any(p.code.startswith("schema.") for p in validate(text, kind))


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> dict[str, Path]:
    """
    Write every corpus document to a file, by its id.
    """
    folder = tmp_path_factory.mktemp("corpus")
    paths = {}
    for label, (*_, text) in zip(IDS, CORPUS_DOCUMENTS, strict=True):
        paths[label] = folder / f"{label}.json"
        paths[label].write_bytes(text)
    return paths


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
        ("kind", "verdict", "name", "text"), CORPUS_DOCUMENTS, ids=IDS
    )
    def test_verdict(self, kind, verdict, name, text):
        """
        Valid documents have no problem; invalid ones a schema problem;
        rule ones only the problem the rule's code names.
        """
        problems = validate(text, kind)
        codes = {problem.code for problem in problems}

        assert all(codes), problems
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

    @pytest.mark.parametrize(("kind", "text"), KIND_PATHS, ids=IDS)
    def test_jsonschema_rs(self, kind, text):
        """
        jsonschema-rs, given the bundle alone, gives iecmh's verdict.

        Formats stay off, jsonschema-rs's default: the date pattern alone
        refuses impossible dates.
        """
        validator = jsonschema_rs.validator_for(schema(kind, bundled=True))

        assert schema_valid(text, kind) == validator.is_valid(json.loads(text))

    @pytest.mark.parametrize(("kind", "text"), KIND_PATHS, ids=IDS)
    def test_jsonschema_without_registry(self, kind, text):
        """
        jsonschema, given the bundle and no registry, gives iecmh's verdict.
        """
        validator = Draft202012Validator(
            schema(kind, bundled=True),
            format_checker=Draft202012Validator.FORMAT_CHECKER,
        )

        assert schema_valid(text, kind) == validator.is_valid(json.loads(text))

    @pytest.mark.parametrize("kind", KINDS)
    def test_check_jsonschema(self, kind, bundles, written):
        """
        check-jsonschema --schemafile BUNDLE fails exactly the documents
        iecmh finds breaking their schema.
        """
        verdicts = {
            written[label]: schema_valid(text, kind)
            for label, (k, *_, text) in zip(IDS, CORPUS_DOCUMENTS, strict=True)
            if k == kind
        }
        documents = list(verdicts)
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
        assert {p for p, valid in verdicts.items() if not valid} == failed


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
    for (kind, *_, text), label in zip(CORPUS_DOCUMENTS, IDS, strict=True):
        (folder / f"{label}.json").write_bytes(text)
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
        ("kind", "verdict", "name", "text"), CORPUS_DOCUMENTS, ids=IDS
    )
    def test_ajv(self, kind, verdict, name, text, javascript):
        """
        Ajv compiles each bundle in strict mode and gives iecmh's verdict.
        """
        label = f"{kind}.{verdict}.{name}.json"

        assert schema_valid(text, kind) == javascript["verdicts"][label]

    @pytest.mark.parametrize("kind", KINDS)
    def test_typescript(self, kind, javascript):
        """
        json-schema-to-typescript writes a type for each bundle: an
        interface, or a union type where the schema has an anyOf.
        """
        title = schema(kind)["title"].title().replace(" ", "")

        source = javascript["types"][kind]

        assert (
            f"export interface {title} " in source
            or f"export type {title} = " in source
        )


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
            for k, verdict, _, text in CORPUS_DOCUMENTS:
                if k == kind and verdict == "valid":
                    generated.Document.model_validate_json(text)
        broken = CORPUS / "portfolio.invalid.wrong-type-hours.json"
        with pytest.raises(ValueError, match="hours"):
            sys.modules["portfolio_model"].Document.model_validate_json(
                broken.read_bytes()
            )


class TestTolerantBundle:
    """
    The tolerant bundle accepts what a later :1 minor version may add.
    """

    @pytest.mark.parametrize(("kind", "text"), KIND_PATHS, ids=IDS)
    def test_accepts_what_strict_accepts(self, kind, text):
        """
        Every document the strict bundle accepts, the tolerant one does.
        """
        document = json.loads(text)
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
        document = json.loads(DOCUMENTS[name])

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
        document = json.loads(DOCUMENTS[name])

        assert not jsonschema_rs.validator_for(
            schema(kind, tolerant=True)
        ).is_valid(document)
