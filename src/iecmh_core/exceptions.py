"""
The exceptions iecmh_core raises.

Every exception derives from `IecmhError`, so ``except IecmhError`` catches
anything the library raises on purpose. Messages say what was expected, what
was found and where.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs


@attrs.frozen
class Problem:
    """
    One thing wrong with a document, at a JSON path.

    Attributes:
        path: A JSON path into the document, ``$`` for the whole of it,
            e.g. ``"$.rsc[3].hours"``.
        message: What was expected and what was found.

    >>> print(Problem("$.rsc[3].hours", "expected a number, got 'two'"))
    $.rsc[3].hours: expected a number, got 'two'

    .. versionadded:: 0.1.0
    """

    path: str
    message: str

    def __str__(self) -> str:
        """
        Render as ``path: message``.
        """
        return f"{self.path}: {self.message}"


class IecmhError(Exception):
    """
    The root of every exception iecmh_core raises.

    .. versionadded:: 0.1.0
    """


class InvalidDocumentError(IecmhError, ValueError):
    """
    A document (portfolio, rulebook, framework, determination) is invalid.

    The message lists **every** problem found, one per line, each prefixed
    with the document's source (a file name, or ``<text>``/``<data>``) and
    the JSON path.

    Attributes:
        source: Where the document came from.
        kind: The kind of document expected.
        problems: Every problem found.

    .. versionadded:: 0.1.0
    """

    def __init__(
        self, source: str, kind: str, problems: Sequence[Problem]
    ) -> None:
        """
        Record *problems* found in the *kind* document read from *source*.
        """
        self.source = source
        self.kind = kind
        self.problems = tuple(problems)
        count = len(self.problems)
        noun = "problem" if count == 1 else "problems"
        lines = [f"{source}: invalid {kind} ({count} {noun}):"]
        lines.extend(f"  {source}: {problem}" for problem in self.problems)
        super().__init__("\n".join(lines))


class InvalidRulebookError(InvalidDocumentError):
    """
    A rulebook is invalid, against its schema or in its rules.

    Its rules are wrong when, for example, a requirement id or a category
    code is used twice, or an OR has a single path.

    .. versionadded:: 0.1.0
    """


class UnknownRulebookError(IecmhError, LookupError):
    """
    No bundled rulebook has the id asked for, or none is in force on a date.

    Attributes:
        wanted: What was asked for.
        known: The bundled rulebook ids.

    .. versionadded:: 0.1.0
    """

    def __init__(self, wanted: str, known: Sequence[str]) -> None:
        """
        Say that *wanted* matched none of *known*.
        """
        self.wanted = wanted
        self.known = tuple(known)
        super().__init__(
            f"expected a rulebook id among {', '.join(self.known)}; "
            f"got {wanted}"
        )


class RulebookMismatchError(IecmhError, ValueError):
    """
    A rulebook of one association was given for another's endorsement.

    Renewal, reinstatement and status follow the rules of the association
    an endorsement was awarded under; another association's edition is
    used only when the caller insists (``any_association=True``, or
    ``--any-association`` on the command line).

    Attributes:
        category: The endorsement's category code.
        expected: The association the endorsement was awarded under.
        found: The id of the edition given.
        association: That edition's association.

    .. versionadded:: 0.2.0
    """

    def __init__(
        self, category: str, expected: str, found: str, association: str
    ) -> None:
        """
        Say that edition *found* (of *association*) is not *expected*'s.
        """
        self.category = category
        self.expected = expected
        self.found = found
        self.association = association
        super().__init__(
            f"the {category} endorsement was awarded under {expected}'s "
            f"rules; expected an edition of {expected}, got {found} (an "
            f"edition of {association}); insist with any_association=True "
            "to use it anyway"
        )


class DuplicateEditionError(IecmhError, ValueError):
    """
    Two rulebook editions in one catalogue share an id.

    Attributes:
        rulebook: The id.
        first: Where the edition already in the catalogue came from.
        second: Where the one added came from.

    .. versionadded:: 0.2.0
    """

    def __init__(self, rulebook: str, first: str, second: str) -> None:
        """
        Say that *rulebook* from *second* is already in the catalogue.
        """
        self.rulebook = rulebook
        self.first = first
        self.second = second
        super().__init__(
            f"expected edition ids used once in a catalogue, got {rulebook!r} "
            f"from {second}, already there from {first}"
        )


class UnknownFrameworkError(IecmhError, LookupError):
    """
    No bundled framework has the id asked for, or none is in force then.

    Attributes:
        wanted: What was asked for.
        known: The bundled framework ids.

    .. versionadded:: 0.1.0
    """

    def __init__(self, wanted: str, known: Sequence[str]) -> None:
        """
        Say that *wanted* matched none of *known*.
        """
        self.wanted = wanted
        self.known = tuple(known)
        super().__init__(
            f"expected a framework id among {', '.join(self.known)}; "
            f"got {wanted}"
        )


class EndorsementNotHeldError(IecmhError, LookupError):
    """
    A portfolio holds no endorsement of the category asked for.

    Attributes:
        category: The category asked for.
        held: The categories the portfolio holds.

    .. versionadded:: 0.1.0
    """

    def __init__(self, category: str, held: Sequence[str]) -> None:
        """
        Say that the portfolio holding *held* holds no *category*.
        """
        self.category = category
        self.held = tuple(held)
        holds = ", ".join(self.held) if self.held else "no endorsement"
        super().__init__(
            f"expected an endorsement held in {category}; the portfolio "
            f"holds {holds}"
        )


class EndorsementNotCurrentError(IecmhError, ValueError):
    """
    An endorsement's status or dates do not allow what was asked.

    Raised when a lapsed, inactive or archived endorsement is exported, when
    a renewal year precedes the award, or when a reinstatement is asked for
    an endorsement that has not lapsed.

    Attributes:
        category: The endorsement's category.
        reason: Its status or dates, explained.
        expected: What the operation needs.

    .. versionadded:: 0.1.0
    """

    def __init__(
        self,
        category: str,
        reason: str,
        expected: str = "an endorsement in good standing",
    ) -> None:
        """
        Say why the *category* endorsement does not allow the operation.
        """
        self.category = category
        self.reason = reason
        self.expected = expected
        super().__init__(f"expected {expected} in {category}; got: {reason}")


class UnknownCategoryError(IecmhError, LookupError):
    """
    A rulebook defines no category with the code asked for.

    Attributes:
        code: The code asked for.
        rulebook: The rulebook's id.
        known: The codes the rulebook defines.

    .. versionadded:: 0.1.0
    """

    def __init__(self, code: str, rulebook: str, known: Sequence[str]) -> None:
        """
        Say that *rulebook* has no category *code*.
        """
        self.code = code
        self.rulebook = rulebook
        self.known = tuple(known)
        super().__init__(
            f"rulebook {rulebook} defines no category {code!r}; "
            f"expected one of {', '.join(self.known)}"
        )


class IncompleteExportError(IecmhError, ValueError):
    """
    An export lacks something its standard requires, or it is malformed.

    Attributes:
        export: What was being exported.
        field: The property of the standard that needs the value.
        expected: What is expected, and how to give it.
        found: What was given, ``None`` when nothing was.

    .. versionadded:: 0.2.0
    """

    def __init__(
        self, export: str, field: str, expected: str, found: str | None
    ) -> None:
        """
        Say that *export* needs *expected* for *field* and got *found*.
        """
        self.export = export
        self.field = field
        self.expected = expected
        self.found = found
        got = "nothing" if found is None else repr(found)
        super().__init__(f"{export}: {field}: expected {expected}; got {got}")


class SigningError(IecmhError, ValueError):
    """
    A credential cannot be signed as asked.

    Raised when the key is malformed or lacks its secret half, the issuer
    does not control the key, a JSON-LD context is not given, a VC-JWT is
    asked for a credential without ``credentialSubject.id``, or the
    ``sign`` extra is not installed. The message says what was expected.

    .. versionadded:: 0.2.0
    """


class VerificationError(SigningError):
    """
    A signed credential does not verify.

    Its proof or signature does not match it (it was changed after signing,
    or signed with another key), its key is unknown, the issuer does not
    control the key, or a JWT claim does not repeat the credential.

    .. versionadded:: 0.2.0
    """


__all__ = [
    "DuplicateEditionError",
    "EndorsementNotCurrentError",
    "EndorsementNotHeldError",
    "IecmhError",
    "IncompleteExportError",
    "InvalidDocumentError",
    "InvalidRulebookError",
    "Problem",
    "RulebookMismatchError",
    "SigningError",
    "UnknownCategoryError",
    "UnknownFrameworkError",
    "UnknownRulebookError",
    "VerificationError",
]
