"""
JSON-LD checks with a real processor (PyLD) and only local contexts.

`contexts` maps every context URL the exports and the W3C test vectors name
to its published copy in ../shared/interop; `expand_losslessly` expands a
document with a loader that serves those copies and nothing else, and fails
when expansion dropped a value (an undefined term, a value of the wrong
shape), left a relative IRI, or used a term outside an http(s) vocabulary.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from pyld import jsonld

#: Where each context URL's published copy is, under ../shared/interop.
CONTEXT_FILES = {
    "https://www.w3.org/ns/credentials/v2": "vc_v2/credentials-v2.jsonld",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json": (
        "ob_v3p0/context-3.0.3.json"
    ),
    "https://www.w3.org/ns/credentials/examples/v2": (
        "vc_di_eddsa/credentials-examples-v2.jsonld"
    ),
    "https://credreg.net/ctdl/schema/context/json": "ctdl/ctdl-context.json",
    "https://credreg.net/ctdlasn/schema/context/json": (
        "ctdl/ctdlasn-context.json"
    ),
}

_ABSOLUTE = re.compile(
    r"^(?!http://example\.org/base/)[A-Za-z][A-Za-z0-9+.-]*:\S+$"
)
_WEB = re.compile(r"^https?://\S+$")


def contexts(shared: Path) -> dict[str, Any]:
    """
    Read every context of CONTEXT_FILES from the ../shared folder *shared*.
    """
    return {
        url: json.loads((shared / "interop" / name).read_text("utf-8"))
        for url, name in CONTEXT_FILES.items()
    }


def loader(known: dict[str, Any]) -> Any:
    """
    Return a PyLD document loader serving *known* and failing on the rest.
    """

    def load(url: str, options: Any = None) -> dict[str, Any]:  # noqa: ARG001 - PyLD's signature
        if url not in known:
            msg = f"no local copy of the context {url}; the test is offline"
            raise LookupError(msg)
        return {"contextUrl": None, "documentUrl": url, "document": known[url]}

    return load


def _input_values(value: Any, key: str | None = None) -> int:
    if key == "@context":
        return 0
    if isinstance(value, dict):
        return sum(_input_values(v, k) for k, v in value.items())
    if isinstance(value, list):
        return sum(_input_values(v, key) for v in value)
    return 1


def _expanded_values(  # noqa: C901 - one case per JSON-LD keyword
    value: Any, problems: list[str], path: str
) -> int:
    if isinstance(value, list):
        return sum(
            _expanded_values(v, problems, f"{path}[{i}]")
            for i, v in enumerate(value)
        )
    if not isinstance(value, dict):
        return 0
    if "@value" in value:
        return 1
    count = 0
    if "@id" in value:
        count += 1
        if not (
            value["@id"].startswith("_:") or _ABSOLUTE.match(value["@id"])
        ):
            problems.append(f"{path}: relative IRI {value['@id']!r}")
    for kind in value.get("@type", []):
        count += 1
        if not _ABSOLUTE.match(kind):
            problems.append(f"{path}: relative type IRI {kind!r}")
    for key, inner in value.items():
        if key.startswith("@"):
            if key in {"@list", "@set", "@graph"}:
                count += _expanded_values(inner, problems, f"{path}.{key}")
            continue
        if not _WEB.match(key):
            problems.append(f"{path}: property {key!r} is no http(s) IRI")
        count += _expanded_values(inner, problems, f"{path}.<{key}>")
    return count


def expand_losslessly(document: Any, known: dict[str, Any]) -> list[Any]:
    """
    Expand *document* and check that every value of it survived.

    Every scalar of the document (outside ``@context``) must become one
    ``@value``, ``@id`` or ``@type`` of the expanded form, each IRI there
    must be absolute and each property an http(s) IRI.

    Raises:
        AssertionError: Listing what was dropped or relative.
    """
    # No base IRI: a relative IRI then stays relative instead of being
    # resolved against PyLD's placeholder base, and is reported.
    expanded: list[Any] = jsonld.expand(
        document, {"documentLoader": loader(known), "base": None}
    )
    problems: list[str] = []
    found = _expanded_values(expanded, problems, "$")
    wanted = _input_values(document)
    if found != wanted:
        problems.append(
            f"expansion kept {found} of the document's {wanted} values"
        )
    assert not problems, "\n".join(problems)
    return expanded
