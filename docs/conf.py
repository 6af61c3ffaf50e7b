"""
Sphinx configuration for the iecmh_core documentation.

Build with warnings as errors, in HTML and as doctests::

    sphinx-build -n -T -W --keep-going -b html docs docs/_build/html
    sphinx-build -n -T -W --keep-going -b doctest docs docs/_build/doctest

Nothing here reaches the network: the CI machine can reach only PyPI, so
there is no intersphinx, and the few standard-library and third-party names
that intersphinx would have linked are listed in ``nitpick_ignore`` below.
"""

from __future__ import annotations

import sys
from importlib.metadata import version as _version
from pathlib import Path

# The local extensions that generate the requirement catalogue and the
# competency framework pages.
sys.path.insert(0, str(Path(__file__).parent / "_ext"))

# -- Project ---------------------------------------------------------------

project = "iecmh_core"
author = "The iecmh_core developers"
copyright = "2026, The iecmh_core developers"
release = _version("iecmh-core")
version = ".".join(release.split(".")[:2])

# -- General ---------------------------------------------------------------

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.doctest",
    "sphinx.ext.napoleon",
    # Writes catalogue/<edition>.md from iecmh_core.bundled_rulebooks() when
    # a build starts; the folder is generated and ignored by git.
    "catalogue",
    # Writes framework/<edition>.md from iecmh_core.bundled_frameworks() in
    # the same way; that folder is generated and ignored by git too.
    "framework_page",
    # Writes cohort-report.html, the example workforce report, into the
    # HTML output when a build finishes (matplotlib draws its charts).
    "cohort_example",
]

source_suffix = {".md": "markdown", ".rst": "restructuredtext"}
exclude_patterns = ["_build"]

# `iecmh_core.Portfolio` in a docstring is a cross-reference, whatever it is.
default_role = "any"
nitpicky = True

myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3

# -- autodoc and napoleon --------------------------------------------------

autodoc_typehints = "description"
autodoc_typehints_description_target = "documented_params"
autodoc_member_order = "bysource"
python_use_unqualified_type_names = True

napoleon_google_docstring = True
napoleon_numpy_docstring = False
napoleon_use_rtype = False
# The model classes are attrs classes: their "Attributes:" sections are the
# documentation of their fields, typed from the class annotations.
napoleon_attr_annotations = True

# -- doctest ---------------------------------------------------------------

# Docstring examples assume the public names are in scope, as they are in
# the module that defines them, and build dates with datetime.date and
# exact quantities with Decimal. The pages that run the iecmh command on
# the repository's example portfolio find it through EXAMPLES, wherever the
# build is started from.
_EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
doctest_global_setup = f"""
import datetime
import pathlib
from decimal import Decimal

import iecmh_core
from iecmh_core import *

EXAMPLES = pathlib.Path({str(_EXAMPLES)!r})
# The official artifacts beside the checkout; pages that sign skip their
# examples when it is absent.
SHARED = EXAMPLES.parent.parent / "shared"
"""

# -- HTML ------------------------------------------------------------------

html_theme = "furo"
html_title = f"iecmh_core {release}"

# -- Names Sphinx cannot resolve without intersphinx -----------------------

# Intersphinx would link these standard-library and third-party types to
# their own documentation, but it needs the network at build time. Listed
# here, they stay plain text instead of failing the nitpicky build. Each
# entry is (role, target) exactly as the warning names it.
nitpick_ignore = [
    # Type annotations of the model fields: exact hours and calendar dates.
    ("py:class", "datetime.date"),
    ("py:class", "decimal.Decimal"),
    # The Source type alias, in its definition and in docstrings (`...`).
    ("py:class", "os.PathLike"),
    ("any", "os.PathLike"),
    ("any", "pathlib.Path"),
    # The type of SCHEMA_REGISTRY, a referencing (jsonschema) registry.
    ("py:class", "referencing.Registry"),
    # evaluate_batch reads lines from an iterable and yields records;
    # BatchSummary counts outcomes in a Counter.
    ("py:class", "collections.abc.Iterable"),
    ("py:class", "collections.abc.Iterator"),
    ("py:class", "collections.Counter"),
    # create_app takes a folder and returns a Starlette application.
    ("py:class", "pathlib.Path"),
    ("py:class", "starlette.applications.Starlette"),
    # The signing functions take mappings (credentials, keys, contexts) and
    # a proof's creation time.
    ("py:class", "collections.abc.Mapping"),
    ("py:class", "datetime.datetime"),
]


# -- Type aliases ----------------------------------------------------------

# Keep the two public type aliases as names (linked to their entries on the
# API page) instead of spelling out the unions they stand for.
autodoc_type_aliases = {
    "Source": "iecmh_core.Source",
    "Requirement": "iecmh_core.Requirement",
}
