"""
An HTTP service over the library: validate, evaluate, renew, status, coverage.

Install the ``service`` extra (``pip install 'iecmh-core[service]'``) and
run ``iecmh serve``, or mount `create_app` in any ASGI server. Every request
and response body is described by the OpenAPI 3.1 document `openapi` builds
from the shipped JSON Schemas, served at ``/openapi.json``.

Bad input is answered ``422`` with **every** problem, each with its JSON path
into the request body and its code (``Problem.code``); a body over the
size limit ``413``; an unknown path ``404``. No stack trace ever reaches a
client: an unexpected error is answered ``500`` with a fixed message and
logged on the server.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from iecmh_core._catalogue import load_catalogue
from iecmh_core._convert import converter
from iecmh_core._document_rules import DOCUMENT_RULES
from iecmh_core._documents import (
    _parse,
    _schema_problems,
    _Unreadable,
    check_source,
    dump_json,
    load_portfolio,
)
from iecmh_core._evaluation import competency_coverage, evaluate
from iecmh_core._lifecycle import (
    LifecycleStatus,
    endorsement_status,
    evaluate_renewal,
)
from iecmh_core._portfolio import Portfolio
from iecmh_core._rulebook import Rulebook
from iecmh_core._schemas import schema
from iecmh_core._vocab import DocumentKind
from iecmh_core.exceptions import (
    EndorsementNotCurrentError,
    EndorsementNotHeldError,
    IecmhError,
    InvalidDocumentError,
    Problem,
    UnknownCategoryError,
    UnknownFrameworkError,
    UnknownRulebookError,
)

__all__ = ["MAX_BODY", "create_app", "openapi"]

#: The largest request body accepted, in bytes (1 MiB); a portfolio of a
#: thousand entries is about 300 kB.
MAX_BODY = 1 << 20

_LOG = logging.getLogger("iecmh_core.service")
_JSON = "application/json"
_COMMON = "https://json-schema.org/draft/2020-12/schema"


def _component(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


_KIND_TITLES = {kind: kind.value.title() for kind in DocumentKind}

# The request envelopes, as JSON Schemas. The portfolio inside is checked
# by load_portfolio, so that its problems are those of the library.
_DATE = {"type": "string", "format": "date", "description": "YYYY-MM-DD."}
_ENVELOPES: dict[str, dict[str, Any]] = {
    "EvaluateRequest": {
        "description": "A portfolio to evaluate for a category on a date.",
        "required": ["portfolio", "category"],
        "properties": {
            "category": {"description": "The category code, e.g. IFS."},
            "rulebook": {
                "description": "The rulebook id; when left out, the bundled "
                "edition in force on as_of that defines the category."
            },
            "as_of": {
                **_DATE,
                "description": "The date; the server's date when left out.",
            },
        },
    },
    "RenewRequest": {
        "description": "A held endorsement's renewal for a year.",
        "required": ["portfolio", "category", "year"],
        "properties": {
            "category": {"description": "The held endorsement's category."},
            "year": {
                "type": "integer",
                "minimum": 1,
                "maximum": 9998,
                "description": "The renewal year.",
            },
            "rulebook": {"description": "The rulebook id."},
        },
    },
    "StatusRequest": {
        "description": "The status of the endorsements a portfolio holds.",
        "required": ["portfolio"],
        "properties": {
            "category": {"description": "Only this category."},
            "on": {
                **_DATE,
                "description": "The date; the server's date when left out.",
            },
            "rulebook": {"description": "The rulebook id."},
        },
    },
    "CoverageRequest": {
        "description": "How a portfolio covers a competency framework.",
        "required": ["portfolio", "category"],
        "properties": {
            "category": {"description": "The category code."},
            "framework": {
                "description": "The framework edition id; the edition in "
                "force on as_of when left out."
            },
            "as_of": {
                **_DATE,
                "description": "The date; the server's date when left out.",
            },
        },
    },
}
_TYPES = {
    "category": "commonCategoryCode",
    "rulebook": "commonId",
    "framework": "commonId",
}


def _envelope(name: str, *, portfolio: dict[str, Any]) -> dict[str, Any]:
    spec = _ENVELOPES[name]
    properties: dict[str, Any] = {
        "portfolio": {
            **portfolio,
            "description": "The portfolio document.",
        }
    }
    for key, value in spec["properties"].items():
        typed = dict(value)
        if key in _TYPES:
            typed = {
                "type": "string",
                "minLength": 1,
                **typed,
            }
        properties[key] = typed
    return {
        "type": "object",
        "description": spec["description"],
        "required": spec["required"],
        "additionalProperties": False,
        "properties": properties,
    }


_VALIDATORS = {
    name: Draft202012Validator(
        {"$schema": _COMMON, **_envelope(name, portfolio={"type": "object"})},
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )
    for name in _ENVELOPES
}

_PROBLEM = {
    "type": "object",
    "description": "One thing wrong with a request, at a JSON path.",
    "required": ["path", "message", "code"],
    "additionalProperties": False,
    "properties": {
        "path": {
            "type": "string",
            "description": "A JSON path into the request body.",
        },
        "message": {
            "type": "string",
            "description": "What was expected and what was found.",
        },
        "code": {
            "type": "string",
            "description": "The problem's code (see DOCUMENT_RULES).",
        },
    },
}
_SCHEMAS: dict[str, dict[str, Any]] = {
    "Problem": _PROBLEM,
    "Problems": {
        "type": "object",
        "description": "Every problem found with a request.",
        "required": ["problems"],
        "additionalProperties": False,
        "properties": {
            "problems": {
                "type": "array",
                "items": _component("Problem"),
                "minItems": 1,
            }
        },
    },
    "Error": {
        "type": "object",
        "description": "Why a request could not be answered.",
        "required": ["error"],
        "additionalProperties": False,
        "properties": {"error": {"type": "string"}},
    },
    "ValidationReport": {
        "type": "object",
        "description": "A document's verdict: valid, or every problem.",
        "required": ["kind", "valid", "problems"],
        "additionalProperties": False,
        "properties": {
            "kind": {"enum": [kind.value for kind in DocumentKind]},
            "valid": {"type": "boolean"},
            "problems": {"type": "array", "items": _component("Problem")},
        },
    },
    "EndorsementStates": {
        "type": "object",
        "description": "The status of each endorsement held, on a date.",
        "required": ["states"],
        "additionalProperties": False,
        "properties": {
            "states": {
                "type": "array",
                "minItems": 1,
                "items": {
                    "type": "object",
                    "required": ["category", "on", "status", "explanation"],
                    "additionalProperties": False,
                    "properties": {
                        "category": _component("commonCategoryCode"),
                        "on": _component("commonDate"),
                        "status": {"enum": [s.value for s in LifecycleStatus]},
                        "explanation": {"type": "string"},
                        "due_on": {
                            "anyOf": [
                                _component("commonDate"),
                                {"type": "null"},
                            ]
                        },
                        "lapsed_on": {
                            "anyOf": [
                                _component("commonDate"),
                                {"type": "null"},
                            ]
                        },
                    },
                },
            }
        },
    },
    "RulebookListing": {
        "type": "array",
        "description": "The rulebooks the service knows.",
        "items": {
            "type": "object",
            "required": [
                "id",
                "association",
                "title",
                "effective_from",
                "effective_until",
                "supersedes",
                "categories",
                "origin",
            ],
            "additionalProperties": False,
            "properties": {
                "id": {"type": "string"},
                "association": {"type": "string"},
                "title": {"type": "string"},
                "effective_from": _component("commonDate"),
                "effective_until": {
                    "anyOf": [_component("commonDate"), {"type": "null"}]
                },
                "supersedes": {"type": ["string", "null"]},
                "categories": {"type": "array", "items": {"type": "string"}},
                "origin": {
                    "type": "string",
                    "description": "bundled, or the file it was read from.",
                },
            },
        },
    },
    "DocumentRules": {
        "type": "array",
        "description": "The rules a document must keep beyond its schema.",
        "items": {
            "type": "object",
            "required": ["code", "kinds", "summary"],
            "additionalProperties": False,
            "properties": {
                "code": {"type": "string"},
                "kinds": {"type": "array", "items": {"type": "string"}},
                "summary": {"type": "string"},
            },
        },
    },
}


def _document_components() -> dict[str, Any]:
    """
    Turn each kind's bundled schema into OpenAPI components.

    A kind's own definitions are renamed ``<kind><Name>`` (the shared ones
    are already ``common<Name>``) and every reference points at
    ``#/components/schemas/…``, so any OpenAPI 3.1 tool resolves them.
    """
    components: dict[str, Any] = {}
    for kind, title in _KIND_TITLES.items():
        bundle = schema(kind, bundled=True)
        defs: dict[str, Any] = bundle.pop("$defs", {})
        for key in ("$schema", "$id", "$comment"):
            bundle.pop(key, None)
        names = {
            name: name
            if name.startswith("common")
            else f"{kind.value}{name[0].upper()}{name[1:]}"
            for name in defs
        }

        def point(node: Any, names: dict[str, str] = names) -> Any:
            if isinstance(node, list):
                return [point(item) for item in node]
            if not isinstance(node, dict):
                return node
            return {
                key: (
                    f"#/components/schemas/{names[value.removeprefix('#/$defs/')]}"
                    if key == "$ref"
                    else point(value)
                )
                for key, value in node.items()
            }

        components[title] = point(bundle)
        for name, definition in defs.items():
            components[names[name]] = point(definition)
    return components


def _response(description: str, body: str | None = None) -> dict[str, Any]:
    answer: dict[str, Any] = {"description": description}
    if body is not None:
        answer["content"] = {_JSON: {"schema": _component(body)}}
    return answer


_ERRORS = {
    "413": _response("The request body is over the size limit.", "Error"),
    "422": _response("The request is invalid: every problem.", "Problems"),
}


def _post(
    summary: str, request: str, answer: str, description: str
) -> dict[str, Any]:
    return {
        "post": {
            "summary": summary,
            "requestBody": {
                "required": True,
                "content": {_JSON: {"schema": _component(request)}},
            },
            "responses": {"200": _response(description, answer), **_ERRORS},
        }
    }


def openapi() -> dict[str, Any]:
    """
    Return the service's OpenAPI 3.1 description, built from the schemas.

    Each document kind's bundled schema becomes a component (``Portfolio``,
    ``Rulebook``, ``Framework``, ``Determination``, with their definitions
    beside them), so request and response bodies are described by the very
    schemas the library validates with.

    >>> from iecmh_core.service import openapi
    >>> document = openapi()
    >>> document["openapi"], sorted(document["paths"])[:3]
    ('3.1.0', ['/coverage', '/evaluate', '/openapi.json'])

    .. versionadded:: 0.2.0
    """
    from iecmh_core import __version__  # noqa: PLC0415 - reads metadata

    components = {**_document_components(), **_SCHEMAS}
    example = components["Portfolio"]["examples"][0]
    examples = {
        "EvaluateRequest": {
            "portfolio": example,
            "category": "IFA",
            "rulebook": "mi-aimh-2024",
            "as_of": "2026-01-15",
        },
        "CoverageRequest": {
            "portfolio": example,
            "category": "IFA",
            "as_of": "2026-01-15",
        },
    }
    for name in _ENVELOPES:
        components[name] = _envelope(name, portfolio=_component("Portfolio"))
        if name in examples:
            components[name]["examples"] = [examples[name]]
        for key, target in _TYPES.items():
            if key in components[name]["properties"]:
                described = components[name]["properties"][key]
                components[name]["properties"][key] = {
                    "allOf": [_component(target)],
                    "description": described["description"],
                }
    kinds = [kind.value for kind in DocumentKind]
    kind_parameter = {
        "name": "kind",
        "in": "path",
        "required": True,
        "schema": {"enum": kinds},
        "description": "The kind of document.",
    }
    not_found = _response("No such kind of document.", "Error")
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "iecmh_core",
            "version": __version__,
            "description": "Validate Infant and Early Childhood Mental "
            "Health Endorsement documents and evaluate portfolios.",
        },
        "paths": {
            "/validate/{kind}": {
                "post": {
                    "summary": "Validate a document of a kind.",
                    "parameters": [kind_parameter],
                    "requestBody": {
                        "required": True,
                        "content": {_JSON: {"schema": {}}},
                    },
                    "responses": {
                        "200": _response(
                            "The document's verdict.", "ValidationReport"
                        ),
                        "404": not_found,
                        **_ERRORS,
                    },
                }
            },
            "/evaluate": _post(
                "Evaluate a portfolio for a category.",
                "EvaluateRequest",
                "Determination",
                "The determination, byte for byte what `iecmh evaluate "
                "--format json` prints.",
            ),
            "/renew": _post(
                "Decide a held endorsement's renewal for a year.",
                "RenewRequest",
                "Determination",
                "The renewal determination.",
            ),
            "/status": _post(
                "Tell the status of each endorsement held.",
                "StatusRequest",
                "EndorsementStates",
                "One state per endorsement held.",
            ),
            "/coverage": _post(
                "Report how a portfolio covers the competency framework.",
                "CoverageRequest",
                "determinationCoverage",
                "The coverage report.",
            ),
            "/rulebooks": {
                "get": {
                    "summary": "List the rulebooks the service knows.",
                    "responses": {
                        "200": _response("The rulebooks.", "RulebookListing")
                    },
                }
            },
            "/rules": {
                "get": {
                    "summary": "List the rules a schema cannot state.",
                    "responses": {
                        "200": _response("The rules.", "DocumentRules")
                    },
                }
            },
            "/schemas/{kind}": {
                "get": {
                    "summary": "The bundled JSON Schema of a kind.",
                    "parameters": [
                        kind_parameter,
                        {
                            "name": "tolerant",
                            "in": "query",
                            "required": False,
                            "schema": {"type": "boolean"},
                            "description": "The tolerant bundle, which "
                            "accepts later minor versions' additions.",
                        },
                    ],
                    "responses": {
                        "200": {
                            "description": "The schema.",
                            "content": {_JSON: {"schema": {"type": "object"}}},
                        },
                        "404": not_found,
                        "422": _ERRORS["422"],
                    },
                }
            },
            "/openapi.json": {
                "get": {
                    "summary": "This OpenAPI document.",
                    "responses": {
                        "200": {
                            "description": "The OpenAPI 3.1 document.",
                            "content": {_JSON: {"schema": {"type": "object"}}},
                        }
                    },
                }
            },
        },
        "components": {"schemas": components},
    }


class _Rejected(Exception):  # noqa: N818 - internal signal, never escapes
    def __init__(self, status: int, body: Any) -> None:
        self.status = status
        self.body = body


def _problems(problems: Iterable[Problem], prefix: str = "") -> _Rejected:
    return _Rejected(
        422,
        {
            "problems": [
                {
                    "path": "$" + prefix + p.path.removeprefix("$"),
                    "message": p.message,
                    "code": p.code,
                }
                for p in problems
            ]
        },
    )


async def _read(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise _Rejected(413, {"error": f"expected at most {limit} bytes"})
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise _Rejected(413, {"error": f"expected at most {limit} bytes"})
        chunks.append(chunk)
    return b"".join(chunks)


def _envelope_data(body: bytes, name: str) -> dict[str, Any]:
    try:
        data = _parse(body, "<request>")
    except _Unreadable as unreadable:
        raise _problems(unreadable.problems) from None
    found = sorted(
        {
            problem
            for error in _VALIDATORS[name].iter_errors(data)
            for problem in _schema_problems(error)
        },
        key=lambda p: (p.path, p.message),
    )
    if found:
        raise _problems(found)
    result: dict[str, Any] = data
    return result


def _date(data: Mapping[str, Any], key: str) -> dt.date | None:
    value = data.get(key)
    return None if value is None else dt.date.fromisoformat(value)


class _Service:
    """
    The endpoints, over the rulebooks the service knows.
    """

    def __init__(self, rulebooks: Path | None, limit: int) -> None:
        self.catalogue = (
            load_catalogue(rulebooks) if rulebooks else load_catalogue()
        )
        self.limit = limit

    def rulebook(self, data: Mapping[str, Any]) -> Rulebook | None:
        wanted = data.get("rulebook")
        return None if wanted is None else self.catalogue.get(wanted)

    def portfolio(self, data: Mapping[str, Any]) -> Portfolio:
        try:
            return load_portfolio(data["portfolio"])
        except InvalidDocumentError as error:
            raise _problems(error.problems, ".portfolio") from None

    def evaluate(self, data: Mapping[str, Any]) -> Response:
        determination = evaluate(
            self.portfolio(data),
            data["category"],
            self.rulebook(data),
            _date(data, "as_of"),
            catalogue=self.catalogue,
        )
        return Response(dump_json(determination) + "\n", media_type=_JSON)

    def renew(self, data: Mapping[str, Any]) -> Response:
        determination = evaluate_renewal(
            self.portfolio(data),
            data["category"],
            data["year"],
            self.rulebook(data),
            catalogue=self.catalogue,
        )
        return Response(dump_json(determination) + "\n", media_type=_JSON)

    def status(self, data: Mapping[str, Any]) -> Response:
        portfolio = self.portfolio(data)
        day = _date(data, "on") or dt.date.today()  # noqa: DTZ011 - documented
        category = data.get("category")
        held = [
            e
            for e in portfolio.endorsements
            if category is None or e.category == category
        ]
        if not held:
            raise EndorsementNotHeldError(
                category or "any category",
                [e.category for e in portfolio.endorsements],
            )
        book = self.rulebook(data)
        states = [
            {
                "category": state.category,
                "on": state.on.isoformat(),
                "status": state.status.value,
                "explanation": state.explanation,
                "due_on": state.due_on and state.due_on.isoformat(),
                "lapsed_on": state.lapsed_on and state.lapsed_on.isoformat(),
            }
            for state in (
                endorsement_status(e, day, book, catalogue=self.catalogue)
                for e in held
            )
        ]
        return JSONResponse({"states": states})

    def coverage(self, data: Mapping[str, Any]) -> Response:
        report = competency_coverage(
            self.portfolio(data),
            data["category"],
            data.get("framework"),
            _date(data, "as_of"),
        )
        return JSONResponse(converter.unstructure(report))

    def listing(self) -> list[dict[str, Any]]:
        return [
            {
                "id": book.id,
                "association": book.association,
                "title": book.title,
                "effective_from": book.effective_from.isoformat(),
                "effective_until": book.effective_until.isoformat()
                if book.effective_until
                else None,
                "supersedes": book.supersedes,
                "categories": [c.code for c in book.categories],
                "origin": self.catalogue.origin(book.id),
            }
            for book in self.catalogue.editions
        ]


#: Where in a request each library error points.
_WHERE: dict[type[IecmhError], tuple[str, str]] = {
    UnknownCategoryError: ("$.category", "request.category"),
    UnknownRulebookError: ("$.rulebook", "request.rulebook"),
    UnknownFrameworkError: ("$.framework", "request.framework"),
    EndorsementNotHeldError: ("$.category", "request.endorsement-not-held"),
    EndorsementNotCurrentError: ("$.year", "request.endorsement-not-current"),
}


def _library_error(error: IecmhError, data: Mapping[str, Any]) -> _Rejected:
    path, code = _WHERE.get(type(error), ("$", "request.invalid"))
    if isinstance(error, UnknownRulebookError) and "rulebook" not in data:
        # No rulebook asked for, and none in force on the date.
        path = "$.as_of" if "as_of" in data else "$"
    return _problems([Problem(path, str(error), code)])


def _handler(
    service: _Service,
    envelope: str,
    answer: Callable[[_Service, Mapping[str, Any]], Response],
) -> Callable[[Request], Any]:
    async def endpoint(request: Request) -> Response:
        try:
            data = _envelope_data(
                await _read(request, service.limit), envelope
            )

            def work() -> Response:
                try:
                    return answer(service, data)
                except IecmhError as error:
                    raise _library_error(error, data) from None

            return await run_in_threadpool(work)
        except _Rejected as rejected:
            return JSONResponse(rejected.body, status_code=rejected.status)

    return endpoint


def _kind(request: Request) -> DocumentKind:
    try:
        return DocumentKind(request.path_params["kind"])
    except ValueError:
        raise HTTPException(404, "no such kind of document") from None


def create_app(  # noqa: C901 - one small closure per route
    rulebooks: Path | None = None, *, max_body: int = MAX_BODY
) -> Starlette:
    """
    Build the ASGI application.

    Args:
        rulebooks: A folder whose ``*.json`` rulebooks the service knows
            besides the bundled ones (its rulebook catalogue).
        max_body: The largest request body accepted, in bytes.

    Returns:
        A Starlette application; serve it with uvicorn or any ASGI server.

    Raises:
        InvalidRulebookError: A rulebook in *rulebooks* is invalid.
        DuplicateEditionError: A rulebook's id is already taken.

    >>> from iecmh_core.service import create_app
    >>> app = create_app()
    >>> sorted(route.path for route in app.routes)[:3]
    ['/coverage', '/evaluate', '/openapi.json']

    .. versionadded:: 0.2.0
    """
    service = _Service(rulebooks, max_body)
    description = openapi()

    async def validate_kind(request: Request) -> Response:
        kind = _kind(request)
        try:
            body = await _read(request, service.limit)
        except _Rejected as rejected:
            return JSONResponse(rejected.body, status_code=rejected.status)
        if not body.strip():
            problem = Problem(
                "$",
                "expected a JSON document, got an empty body",
                "json.syntax",
            )
            return JSONResponse(_problems([problem]).body, 422)
        _, problems = await run_in_threadpool(check_source, body, kind)
        return JSONResponse(
            {
                "kind": kind.value,
                "valid": not problems,
                "problems": [
                    {"path": p.path, "message": p.message, "code": p.code}
                    for p in problems
                ],
            }
        )

    async def schema_of(request: Request) -> Response:
        kind = _kind(request)
        tolerant = request.query_params.get("tolerant", "false")
        if tolerant not in {"true", "false"}:
            problem = Problem(
                "$",
                "expected the query parameter tolerant to be true or false, "
                f"got {tolerant!r}",
                "request.parameter",
            )
            return JSONResponse(_problems([problem]).body, 422)
        return JSONResponse(
            schema(kind, bundled=True, tolerant=tolerant == "true")
        )

    async def listing(_: Request) -> Response:
        return JSONResponse(service.listing())

    async def rules(_: Request) -> Response:
        return JSONResponse(
            [
                {
                    "code": rule.code,
                    "kinds": [kind.value for kind in rule.kinds],
                    "summary": rule.summary,
                }
                for rule in DOCUMENT_RULES
            ]
        )

    async def described(_: Request) -> Response:
        return Response(json.dumps(description), media_type=_JSON)

    async def http_error(_: Request, error: Exception) -> Response:
        status = error.status_code if isinstance(error, HTTPException) else 500
        detail = error.detail if isinstance(error, HTTPException) else ""
        headers = error.headers if isinstance(error, HTTPException) else None
        return JSONResponse(
            {"error": detail}, status_code=status, headers=headers
        )

    async def server_error(request: Request, error: Exception) -> Response:
        _LOG.error(
            "%s %s failed", request.method, request.url.path, exc_info=error
        )
        return JSONResponse({"error": "internal server error"}, 500)

    routes = [
        Route("/validate/{kind}", validate_kind, methods=["POST"]),
        Route(
            "/evaluate",
            _handler(service, "EvaluateRequest", _Service.evaluate),
            methods=["POST"],
        ),
        Route(
            "/renew",
            _handler(service, "RenewRequest", _Service.renew),
            methods=["POST"],
        ),
        Route(
            "/status",
            _handler(service, "StatusRequest", _Service.status),
            methods=["POST"],
        ),
        Route(
            "/coverage",
            _handler(service, "CoverageRequest", _Service.coverage),
            methods=["POST"],
        ),
        Route("/rulebooks", listing, methods=["GET"]),
        Route("/rules", rules, methods=["GET"]),
        Route("/schemas/{kind}", schema_of, methods=["GET"]),
        Route("/openapi.json", described, methods=["GET"]),
    ]
    return Starlette(
        routes=routes,
        exception_handlers={
            HTTPException: http_error,
            Exception: server_error,
        },
    )
