"""
The ``iecmh`` command line.

Exit status: 0 when the command succeeded (a document is valid), 2 on bad
input or usage, with every problem on standard error naming the file and the
JSON path.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any, BinaryIO, TextIO

from iecmh_core._badges import export_ob3
from iecmh_core._batch import (
    BatchRecord,
    BatchSummary,
    CannotWriteError,
    NotResumableError,
    Results,
    evaluate_batch,
    read_batch,
    resume_point,
    summary_text,
)
from iecmh_core._catalogue import (
    RulebookCatalogue,
    catalogue_of,
    load_catalogue,
)
from iecmh_core._cohort import CohortReport, Distance, summarize_cohort
from iecmh_core._cohort_render import render_cohort_html, render_cohort_text
from iecmh_core._convert import converter
from iecmh_core._coverage import Coverage
from iecmh_core._determination import (
    Determination,
    EvaluationWarning,
    Finding,
)
from iecmh_core._diff import RulebookDiff, affected_portfolios, diff
from iecmh_core._documents import (
    Source,
    check_source,
    dump_json,
    load_framework,
    load_portfolio,
    load_rulebook,
)
from iecmh_core._engine import number
from iecmh_core._evaluation import (
    bundled_framework,
    competency_coverage,
    evaluate,
    resolve_rulebook,
)
from iecmh_core._exports import export_case, export_ctdl
from iecmh_core._framework import Framework
from iecmh_core._lifecycle import endorsement_status, evaluate_renewal
from iecmh_core._rulebook import Rulebook
from iecmh_core._schemas import schema
from iecmh_core._signing import (
    key_controller,
    sign_credential,
    sign_credential_jwt,
    verify_credential,
)
from iecmh_core._vocab import DocumentKind, Eligibility
from iecmh_core.exceptions import (
    IecmhError,
    InvalidDocumentError,
    SigningError,
    VerificationError,
)

EXIT_OK = 0
EXIT_NOT_ELIGIBLE = 1
EXIT_NOT_VERIFIED = 1
EXIT_BAD_INPUT = 2
#: The results could not be written (a full disk, say).
EXIT_CANNOT_WRITE = 3
#: A fault of iecmh itself, never of its input: please report it.
EXIT_INTERNAL = 70
#: Stopped by Ctrl-C (128 + SIGINT, as shells report it).
EXIT_INTERRUPTED = 130


def _source(name: str, stdin: TextIO) -> tuple[Source, str]:
    if name == "-":
        return stdin.read(), "<stdin>"
    return Path(name), name


def _validate(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    source, label = _source(args.file, sys.stdin)
    kind, problems = check_source(source, args.kind)
    if problems:
        noun = "problem" if len(problems) == 1 else "problems"
        described = kind.value if kind else "document"
        print(
            f"{label}: invalid {described} ({len(problems)} {noun})",
            file=err,
        )
        for problem in problems:
            print(f"{label}: {problem}", file=err)
        return EXIT_BAD_INPUT
    print(f"{label}: valid {kind.value if kind else 'document'}", file=out)
    return EXIT_OK


def _report(error: IecmhError, err: TextIO) -> int:
    if isinstance(error, InvalidDocumentError):
        noun = "problem" if len(error.problems) == 1 else "problems"
        print(
            f"{error.source}: invalid {error.kind} "
            f"({len(error.problems)} {noun})",
            file=err,
        )
        for problem in error.problems:
            print(f"{error.source}: {problem}", file=err)
    else:
        print(f"iecmh: {error}", file=err)
    return EXIT_BAD_INPUT


def _rulebook(value: str | None) -> Rulebook | str | None:
    if value is not None and (value.endswith(".json") or "/" in value):
        return load_rulebook(Path(value))
    return value


def _catalogue(args: argparse.Namespace) -> RulebookCatalogue | None:
    folders = getattr(args, "rulebooks", None)
    return load_catalogue(*folders) if folders else None


def _chosen(args: argparse.Namespace) -> Rulebook | str | None:
    """
    The --rulebook, resolved in the --rulebooks catalogue when one is given.
    """
    rulebook = _rulebook(args.rulebook)
    catalogue = _catalogue(args)
    if catalogue is None:
        return rulebook
    day = args.as_of or dt.date.today()  # noqa: DTZ011 - documented default
    return resolve_rulebook(rulebook, args.category, day, catalogue)


def _framework(value: str | None, on: dt.date | None) -> Framework:
    if value is not None and (value.endswith(".json") or "/" in value):
        return load_framework(Path(value))
    return bundled_framework(value, on)


def render_coverage(coverage: Coverage) -> str:
    """
    Render a coverage report for people, domain by domain.
    """
    heading = (
        f"Coverage of {coverage.framework} for {coverage.category} as of "
        f"{coverage.as_of}"
    )
    lines = [heading]
    for domain in coverage.domains:
        lines.append("")
        lines.append(
            f"{domain.name}: {number(domain.hours)} training hours"
            + (
                f"; shown as a whole by {', '.join(domain.evidence)}"
                if domain.evidence
                else ""
            )
        )
        for area in domain.areas:
            mark = "covered" if area.covered else "NOT COVERED"
            extra = "" if area.expected else " (not expected)"
            unconfirmed = "" if area.confirmed else " [unconfirmed area]"
            by = (
                f": {', '.join(area.evidence)}, {number(area.hours)} h"
                if area.covered
                else ""
            )
            lines.append(f"  [{mark}] {area.name}{extra}{unconfirmed}{by}")
        if not domain.areas:
            lines.append("  (no knowledge area expected or covered)")
    if coverage.unknown:
        lines.append("")
        lines.append(
            "Knowledge areas the framework does not know: "
            + ", ".join(coverage.unknown)
        )
    return "\n".join(lines)


def _coverage(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    try:
        portfolio = load_portfolio(Path(args.portfolio))
        report = competency_coverage(
            portfolio,
            args.category,
            _framework(args.framework, args.as_of),
            args.as_of,
        )
    except IecmhError as error:
        return _report(error, err)
    if args.format == "json":
        print(json.dumps(converter.unstructure(report), indent=2), file=out)
    else:
        print(render_coverage(report), file=out)
    return EXIT_OK


def _export(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    if args.sign and args.standard != "ob3":
        print("iecmh export: --sign is for ob3 only", file=err)
        return EXIT_BAD_INPUT
    try:
        if args.standard == "ob3":
            if not (args.portfolio and args.category):
                print(
                    "iecmh export ob3: --portfolio and --category are "
                    "required",
                    file=err,
                )
                return EXIT_BAD_INPUT
            frame = (
                _framework(args.framework, args.as_of)
                if args.framework
                else None
            )
            data = export_ob3(
                load_portfolio(Path(args.portfolio)),
                args.category,
                _rulebook(args.rulebook),
                framework=frame,
                issued_on=args.as_of,
                subject_id=args.subject_id,
                salt=args.salt,
                issuer_id=args.issuer_id or _key_controller(args.sign),
                catalogue=_catalogue(args),
            )
        elif args.standard == "case":
            data = export_case(
                _framework(args.framework, args.as_of), base_uri=args.base_uri
            )
        else:
            rulebook = _rulebook(args.rulebook)
            book = (
                catalogue_of(_catalogue(args)).get(rulebook or "mi-aimh-2024")
                if not isinstance(rulebook, Rulebook)
                else rulebook
            )
            frame = (
                _framework(args.framework, args.as_of)
                if args.framework or args.as_of
                else None
            )
            if not args.category:
                print("iecmh export ctdl: --category is required", file=err)
                return EXIT_BAD_INPUT
            data = export_ctdl(
                book,
                args.category,
                frame,
                owner=args.owner,
                owner_name=args.owner_name,
                subject_webpage=args.subject_webpage,
            )
        if args.sign:
            signed = _sign(data, args)
            if isinstance(signed, str):
                print(signed, file=out)
                return EXIT_OK
            data = signed
    except IecmhError as error:
        return _report(error, err)
    print(json.dumps(data, indent=2, ensure_ascii=False), file=out)
    return EXIT_OK


def _json_file(name: str, what: str) -> Any:
    try:
        return json.loads(Path(name).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        msg = f"{name}: expected a readable JSON {what}: {error}"
        raise SigningError(msg) from error


def _key_controller(name: str | None) -> str | None:
    if name is None:
        return None
    return key_controller(_json_file(name, "key"))


def _contexts(values: Sequence[str]) -> dict[str, Any]:
    contexts = {}
    for value in values:
        url, equals, name = value.partition("=")
        if not (equals and url and name):
            msg = f"--context: expected URL=FILE; got {value!r}"
            raise SigningError(msg)
        contexts[url] = _json_file(name, f"JSON-LD context for {url}")
    return contexts


def _sign(credential: dict[str, Any], args: argparse.Namespace) -> Any:
    key = _json_file(args.sign, "key")
    if args.proof == "jwt":
        return sign_credential_jwt(credential, key)
    return sign_credential(credential, key, contexts=_contexts(args.context))


def _verify(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    try:
        text = Path(args.file).read_text(encoding="utf-8")
    except OSError as error:
        print(f"iecmh verify: {args.file}: {error}", file=err)
        return EXIT_BAD_INPUT
    signed: Any = text.strip()
    if signed.startswith("{"):
        try:
            signed = json.loads(text)
        except ValueError as error:
            print(
                f"iecmh verify: {args.file}: expected a JSON credential or "
                f"a VC-JWT: {error}",
                file=err,
            )
            return EXIT_BAD_INPUT
    try:
        keys = [_json_file(name, "key") for name in args.key]
        credential = verify_credential(
            signed, keys=keys, contexts=_contexts(args.context)
        )
    except VerificationError as error:
        print(f"{args.file}: not verified: {error}", file=err)
        return EXIT_NOT_VERIFIED
    except (IecmhError, ValueError) as error:
        print(f"iecmh verify: {args.file}: {error}", file=err)
        return EXIT_BAD_INPUT
    form = "VC-JWT" if isinstance(signed, str) else "Data Integrity proof"
    print(
        f"{args.file}: verified {form} of {credential.get('id')} "
        f"issued by {_issuer_of(credential)}",
        file=out,
    )
    return EXIT_OK


def _issuer_of(credential: dict[str, Any]) -> Any:
    issuer = credential.get("issuer")
    return issuer.get("id") if isinstance(issuer, dict) else issuer


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        msg = f"expected a date YYYY-MM-DD, got {value!r}"
        raise argparse.ArgumentTypeError(msg) from None


_MARKS = {"met": "met", "unmet": "UNMET", "undetermined": "UNDETERMINED"}


def _finding_lines(
    finding: Finding, indent: str, *, renewal: bool = False
) -> list[str]:
    mark = _MARKS[finding.outcome.value]
    lines = [f"{indent}[{mark}] {finding.requirement}: {finding.explanation}"]
    deeper = indent + "    "
    if finding.advice:
        lines.append(f"{deeper}to do: {finding.advice}")
    if finding.expires_on and not renewal:
        lines.append(
            f"{deeper}hours start to fall out of the window on "
            f"{finding.expires_on}"
        )
    lines.extend(
        f"{deeper}not counted: {r.evidence}: {r.explanation}"
        for r in finding.rejected
    )
    if finding.missing:
        lines.append(f"{deeper}missing: {', '.join(finding.missing)}")
    for alternative in finding.alternatives:
        closest = " (closest)" if alternative.id == finding.closest else ""
        lines.append(
            f"{deeper}path {alternative.id}: {alternative.title}: "
            f"{alternative.outcome.value}{closest}"
        )
        for inner in alternative.findings:
            lines.extend(_finding_lines(inner, deeper + "    "))
    return lines


def render_text(determination: Determination) -> str:
    """
    Render a determination for people, one finding per paragraph.
    """
    verdict = determination.outcome.value.replace("_", " ").upper()
    if determination.purpose is not None:
        verdict = (
            f"{determination.purpose.value.upper()} "
            + {
                "eligible": "MET",
                "not_eligible": "NOT MET",
                "undetermined": "UNDETERMINED",
            }[determination.outcome.value]
        )
    heading = (
        f"{determination.portfolio}: {verdict} for {determination.category}"
        f" under {determination.rulebook} as of {determination.as_of}"
    )
    lines = [heading, ""]
    for finding in determination.findings:
        lines.extend(
            _finding_lines(
                finding, "  ", renewal=determination.purpose is not None
            )
        )
    emerging = determination.emerging
    if emerging is not None:
        until = (
            f"; every requirement to be met by {emerging.deadline}"
            if emerging.deadline
            else ""
        )
        lines.extend(
            ["", f"  Emerging requirements: {emerging.outcome.value}{until}"]
        )
        for finding in emerging.findings:
            lines.extend(_finding_lines(finding, "  "))
    return "\n".join(lines)


def _warn(warnings: Iterable[EvaluationWarning], err: TextIO) -> None:
    for warning in warnings:
        print(f"warning: {warning.code.value}: {warning.message}", file=err)


def _evaluate(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    try:
        portfolio = load_portfolio(Path(args.portfolio))
        determination = evaluate(
            portfolio,
            args.category,
            _rulebook(args.rulebook),
            args.as_of,
            catalogue=_catalogue(args),
        )
    except IecmhError as error:
        return _report(error, err)
    _warn(determination.warnings, err)
    if args.format == "json":
        print(dump_json(determination), file=out)
    else:
        print(render_text(determination), file=out)
    if determination.outcome is Eligibility.ELIGIBLE:
        return EXIT_OK
    return EXIT_NOT_ELIGIBLE


def _renew(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    try:
        portfolio = load_portfolio(Path(args.portfolio))
        determination = evaluate_renewal(
            portfolio,
            args.category,
            args.year,
            _rulebook(args.rulebook),
            any_association=args.any_association,
            catalogue=_catalogue(args),
        )
    except IecmhError as error:
        return _report(error, err)
    _warn(determination.warnings, err)
    if args.format == "json":
        print(dump_json(determination), file=out)
    else:
        print(render_text(determination), file=out)
    if determination.outcome is Eligibility.ELIGIBLE:
        return EXIT_OK
    return EXIT_NOT_ELIGIBLE


def _status(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    day = args.on or dt.date.today()  # noqa: DTZ011 - documented default
    try:
        catalogue = _catalogue(args)
        portfolio = load_portfolio(Path(args.portfolio))
        held = [
            e
            for e in portfolio.endorsements
            if args.category is None or e.category == args.category
        ]
        states = [
            endorsement_status(
                e,
                day,
                _rulebook(args.rulebook),
                any_association=args.any_association,
                catalogue=catalogue,
            )
            for e in held
        ]
    except IecmhError as error:
        return _report(error, err)
    if not held:
        which = f" in {args.category}" if args.category else ""
        print(f"{args.portfolio}: no endorsement held{which}", file=err)
        return EXIT_BAD_INPUT
    for state in states:
        _warn(state.warnings, err)
        print(
            f"{state.category}: {state.status.value} on {state.on}: "
            f"{state.explanation}",
            file=out,
        )
    return EXIT_OK


class _Progress:
    """
    A one-line progress counter on a terminal; silent elsewhere.
    """

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.shown = stream.isatty()
        self.started = time.monotonic()
        self.last = 0.0

    def update(self, count: int) -> None:
        if not self.shown:
            return
        now = time.monotonic()
        if now - self.last >= 0.5:
            rate = count / max(now - self.started, 1e-9)
            print(
                f"\r{count} portfolios, {rate:,.0f}/s",
                end="",
                file=self.stream,
                flush=True,
            )
            self.last = now

    def close(self) -> None:
        if self.shown:
            print(file=self.stream)
            self.shown = False


def _same_file(portfolios: str, results: str, stdin: object) -> bool:
    try:
        target = os.stat(results)  # noqa: PTH116 - the inode is wanted
        if portfolios == "-":
            source = os.fstat(stdin.fileno())  # type: ignore[attr-defined]
        else:
            source = os.stat(portfolios)  # noqa: PTH116
    except (OSError, AttributeError, ValueError):
        return False
    return (source.st_dev, source.st_ino) == (target.st_dev, target.st_ino)


def _partial(results: str) -> Path | None:
    # A regular file (or one to be made) is written under another name and
    # renamed when whole; a device or a pipe is written as it is.
    path = Path(results)
    if path.exists() and not path.is_file():
        return None
    return path.with_name(path.name + ".partial")


def _open_results(
    args: argparse.Namespace, summary: BatchSummary
) -> tuple[BinaryIO, str, int, int]:
    # Unbuffered: one write per line, each line flushed as it is made.
    partial = _partial(args.out)
    name = str(partial or args.out)
    if not (args.resume and partial and partial.exists()):
        return Path(name).open("wb", buffering=0), name, 0, 0
    handle = Path(name).open("r+b", buffering=0)  # noqa: SIM115
    try:
        skip, committed = resume_point(handle, summary)
    except BaseException:
        handle.close()
        raise
    return handle, name, skip, committed


def _batch_refusal(args: argparse.Namespace, stdin: object) -> str | None:
    if args.resume and not args.out:
        return "iecmh batch: --resume needs --out"
    if args.out and _same_file(args.portfolios, args.out, stdin):
        return (
            f"{args.out}: refusing to write the results over the input "
            f"{args.portfolios}"
        )
    return None


def _batch(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    summary = BatchSummary()
    stdin = getattr(sys.stdin, "buffer", sys.stdin)
    refusal = _batch_refusal(args, stdin)
    if refusal:
        print(refusal, file=err)
        return EXIT_BAD_INPUT
    try:
        source = (
            stdin
            if args.portfolios == "-"
            else Path(args.portfolios).open("rb")  # noqa: SIM115
        )
    except OSError as error:
        print(f"{args.portfolios}: cannot read: {error.strerror}", file=err)
        return EXIT_BAD_INPUT
    target: BinaryIO | TextIO = out
    name, skip, committed = "<stdout>", 0, 0
    try:
        if args.out:
            target, name, skip, committed = _open_results(args, summary)
    except (OSError, NotResumableError) as error:
        _close(source, stdin)
        reason = getattr(error, "strerror", None) or str(error)
        verb = "resume" if isinstance(error, NotResumableError) else "write"
        print(f"{args.out}: cannot {verb}: {reason}", file=err)
        return EXIT_BAD_INPUT
    results = Results(target, name, committed=committed)
    try:
        status = _write_batch(
            args, source, results, summary=summary, skip=skip, err=err
        )
    finally:
        _close(source, stdin)
        if target is not out:
            target.close()
    if name != args.out and target is not out:
        if status in {EXIT_OK, EXIT_NOT_ELIGIBLE}:
            Path(name).replace(args.out)
        elif status == EXIT_BAD_INPUT and not results.lines + skip:
            Path(name).unlink()
    return status


def _write_batch(  # noqa: PLR0913 - the batch's parts, opened by _batch
    args: argparse.Namespace,
    source: Iterable[bytes | str],
    results: Results,
    *,
    summary: BatchSummary,
    skip: int,
    err: TextIO,
) -> int:
    progress = _Progress(err)
    try:
        with results:
            records = evaluate_batch(
                source,
                args.category,
                _chosen(args),
                args.as_of,
                jobs=args.jobs,
                summary=summary,
                skip=skip,
            )
            for count, record in enumerate(records, start=1):
                results.write(record)
                progress.update(count)
    except IecmhError as error:
        progress.close()
        return _report(error, err)
    except CannotWriteError as error:
        progress.close()
        again = (
            " (run again with --resume to go on)"
            if args.out and results.name != args.out
            else ""
        )
        print(f"{error}; {skip + error.kept} records kept{again}", file=err)
        return EXIT_CANNOT_WRITE
    except KeyboardInterrupt:
        progress.close()
        kept = skip + results.lines
        where = (
            f" in {results.name} (run again with --resume to go on)"
            if args.out and results.name != args.out
            else ""
        )
        print(
            f"iecmh batch: interrupted; {kept} records kept{where}", file=err
        )
        return EXIT_INTERRUPTED
    progress.close()
    print(f"{args.portfolios}: {summary_text(summary)}", file=err)
    return EXIT_NOT_ELIGIBLE if summary.errors else EXIT_OK


def _close(source: object, stdin: object) -> None:
    if source is not stdin:
        source.close()  # type: ignore[attr-defined]


def _within(value: str) -> tuple[str, Decimal]:
    key, _, amount = value.partition("=")
    try:
        limit = Decimal(amount)
    except ArithmeticError:
        limit = Decimal(0)
    if not key or not limit.is_finite() or limit <= 0:
        msg = (
            "expected KIND=AMOUNT or REQUIREMENT=AMOUNT with a positive "
            f"amount, e.g. rsc=6, got {value!r}"
        )
        raise argparse.ArgumentTypeError(msg)
    return key, limit


def _at_least(minimum: int) -> Callable[[str], int]:
    def parse(value: str) -> int:
        try:
            parsed = int(value)
        except ValueError:
            parsed = minimum - 1
        if parsed < minimum:
            msg = (
                f"expected a whole number of at least {minimum}, got {value!r}"
            )
            raise argparse.ArgumentTypeError(msg)
        return parsed

    return parse


def _report_records(
    args: argparse.Namespace, source: Iterable[Any], err: TextIO
) -> Iterator[BatchRecord] | None:
    lines = iter(source)
    head = list(itertools.islice((x for x in lines if x.strip()), 1))
    try:
        first = json.loads(head[0]) if head else {}
    except ValueError:
        first = {}
    stream = itertools.chain(head, lines)
    if isinstance(first, dict) and (
        "findings" in first or "problems" in first
    ):
        if args.as_of is not None:
            print(
                f"{args.portfolios}: --as-of applies to portfolios; these "
                "are determinations, each with its own as-of date",
                file=err,
            )
            return None
        return _kept(args, read_batch(stream), err)
    if args.category is None:
        print(
            f"{args.portfolios}: --category is required to evaluate "
            "portfolios",
            file=err,
        )
        return None
    return evaluate_batch(
        stream,
        args.category,
        _rulebook(args.rulebook),
        args.as_of,
        jobs=args.jobs,
    )


def _kept(
    args: argparse.Namespace, records: Iterator[BatchRecord], err: TextIO
) -> Iterator[BatchRecord]:
    left_out = 0
    for record in records:
        determination = record.determination
        if determination is None or (
            args.category in (None, determination.category)
            and args.rulebook in (None, determination.rulebook)
        ):
            yield record
        else:
            left_out += 1
    if left_out:
        wanted = ", ".join(
            f"{name} {value}"
            for name, value in (
                ("category", args.category),
                ("rulebook", args.rulebook),
            )
            if value is not None
        )
        print(
            f"{args.portfolios}: {left_out} determinations left out (only "
            f"{wanted} kept)",
            file=err,
        )


def _cohort_report(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    stdin = getattr(sys.stdin, "buffer", sys.stdin)
    try:
        source = (
            stdin
            if args.portfolios == "-"
            else Path(args.portfolios).open("rb")  # noqa: SIM115
        )
    except OSError as error:
        print(f"{args.portfolios}: cannot read: {error.strerror}", file=err)
        return EXIT_BAD_INPUT
    try:
        records = _report_records(args, source, err)
        if records is None:
            return EXIT_BAD_INPUT
        report = summarize_cohort(
            records,
            distance=Distance(
                requirements=args.near, within=dict(args.within or ())
            ),
            expiring_months=args.expiring_months,
            min_group=args.min_group,
            ids=args.ids,
            top=args.top,
        )
        if args.format == "html":
            text = render_cohort_html(report)
        else:
            text = (
                dump_json(report)
                if args.format == "json"
                else render_cohort_text(report)
            ) + "\n"
    except IecmhError as error:
        return _report(error, err)
    except ModuleNotFoundError as error:
        print(f"iecmh report: {error}", file=err)
        return EXIT_BAD_INPUT
    finally:
        if source is not stdin:
            source.close()
    return _write_report(args, report, text, out, err)


def _write_report(
    args: argparse.Namespace,
    report: CohortReport,
    text: str,
    out: TextIO,
    err: TextIO,
) -> int:
    if args.out:
        try:
            Path(args.out).write_text(text, encoding="utf-8")
        except OSError as error:
            print(f"{args.out}: cannot write: {error.strerror}", file=err)
            return EXIT_BAD_INPUT
    else:
        out.write(text)
    if report.errors:
        print(
            f"{args.portfolios}: {report.errors} of {report.records} "
            "records were errors",
            file=err,
        )
        return EXIT_NOT_ELIGIBLE
    return EXIT_OK


def _rulebooks(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    try:
        catalogue = catalogue_of(_catalogue(args))
    except IecmhError as error:
        return _report(error, err)
    if args.show is not None:
        if args.edition is None:
            print("iecmh rulebooks show: expected an edition id", file=err)
            return EXIT_BAD_INPUT
        try:
            document = catalogue.document(args.edition, resolved=args.resolved)
        except IecmhError as error:
            return _report(error, err)
        print(json.dumps(document, indent=2, ensure_ascii=False), file=out)
        return EXIT_OK
    books = catalogue.editions
    if args.format == "json":
        listing = [
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
                "origin": catalogue.origin(book.id),
            }
            for book in books
        ]
        print(json.dumps(listing, indent=2), file=out)
        return EXIT_OK
    for book in books:
        until = book.effective_until or "(in force)"
        print(
            f"{book.id}: {book.title}\n"
            f"  association {book.association}; effective "
            f"{book.effective_from} to {until}"
            + (f"; supersedes {book.supersedes}" if book.supersedes else "")
            + f"; from {catalogue.origin(book.id)}",
            file=out,
        )
        for category in book.categories:
            print(f"  {category.code:<12} {category.name}", file=out)
    return EXIT_OK


def _schema(args: argparse.Namespace, out: TextIO, _: TextIO) -> int:
    document = schema(args.kind, bundled=args.bundled, tolerant=args.tolerant)
    print(json.dumps(document, indent=2, ensure_ascii=False), file=out)
    return EXIT_OK


def _serve(args: argparse.Namespace, _: TextIO, err: TextIO) -> int:
    try:
        import uvicorn  # noqa: PLC0415 - the optional service extra

        from iecmh_core.service import create_app  # noqa: PLC0415
    except ImportError as error:
        print(
            f"iecmh serve: expected the service extra, got no {error.name}: "
            "pip install 'iecmh-core[service]'",
            file=err,
        )
        return EXIT_BAD_INPUT
    rulebooks = Path(args.rulebooks) if args.rulebooks else None
    if rulebooks is not None and not rulebooks.is_dir():
        print(f"{args.rulebooks}: expected a folder of rulebooks", file=err)
        return EXIT_BAD_INPUT
    try:
        app = create_app(rulebooks)
    except IecmhError as error:
        return _report(error, err)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")
    return EXIT_OK


def _add_interop_commands(commands: Any) -> None:
    kinds = [kind.value for kind in DocumentKind]
    shown = commands.add_parser(
        "schema",
        help="print a kind's JSON Schema",
        description=(
            "Print the JSON Schema of a kind of document: as shipped, or "
            "bundled into one self-contained file for other validators and "
            "code generators."
        ),
    )
    shown.add_argument("kind", metavar="KIND", choices=kinds, help="KIND")
    shown.add_argument(
        "--bundled",
        action="store_true",
        help="every reference resolved inside the one file",
    )
    shown.add_argument(
        "--tolerant",
        action="store_true",
        help="bundled, accepting what later :1 minor versions add",
    )
    shown.set_defaults(run=_schema)
    serve = commands.add_parser(
        "serve",
        help="run the HTTP service (the service extra)",
        description=(
            "Serve validate, evaluate, renew, status and coverage over HTTP, "
            "described at /openapi.json."
        ),
    )
    serve.add_argument("--host", default="127.0.0.1", help="default 127.0.0.1")
    serve.add_argument("--port", type=int, default=8000, help="default 8000")
    serve.add_argument(
        "--rulebooks",
        metavar="DIR",
        help="a folder of rulebook JSON files to serve besides the bundled",
    )
    serve.set_defaults(run=_serve)


def _edition(value: str, catalogue: RulebookCatalogue | None) -> Rulebook:
    book = _rulebook(value)
    if isinstance(book, Rulebook):
        return book
    return catalogue_of(catalogue).get(value)


def _diff_text(changes: RulebookDiff) -> list[str]:
    def show(value: object) -> str:
        if value is None:
            return "(none)"
        text = json.dumps(value, ensure_ascii=False)
        return text if len(text) <= 60 else text[:57] + "..."

    lines = [f"{changes.old} -> {changes.new}"]
    lines.extend(
        f"  edition: {c.name}: {show(c.old)} -> {show(c.new)}"
        for c in changes.edition
    )
    lines.extend(
        f"  category added: {code}" for code in changes.categories_added
    )
    lines.extend(
        f"  category removed: {code}" for code in changes.categories_removed
    )
    lines.extend(
        f"  {code}: {c.name}: {show(c.old)} -> {show(c.new)}"
        for code, c in changes.categories
    )
    for change in changes.requirements:
        where = (
            "" if change.section == "requirements" else f" ({change.section})"
        )
        owner = change.category or "edition"
        head = f"  {owner}: {change.requirement}{where} {change.change}"
        if not change.parameters:
            lines.append(head)
        lines.extend(
            f"{head}: {p.name}: {show(p.old)} -> {show(p.new)}"
            for p in change.parameters
        )
    if changes.empty:
        lines.append("  no differences but the id")
    return lines


def _diff(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    try:
        catalogue = _catalogue(args)
        old = _edition(args.old, catalogue)
        new = _edition(args.new, catalogue)
        changes = diff(old, new)
        if args.portfolios is not None and args.category is None:
            print("iecmh diff: --portfolios needs --category", file=err)
            return EXIT_BAD_INPUT
        if args.format == "json":
            document: dict[str, object] = {
                "diff": converter.unstructure(changes)
            }
        else:
            print("\n".join(_diff_text(changes)), file=out)
        if args.portfolios is None:
            if args.format == "json":
                print(json.dumps(document, indent=2), file=out)
            return EXIT_OK
        stdin = getattr(sys.stdin, "buffer", sys.stdin)
        with (
            stdin
            if args.portfolios == "-"
            else Path(args.portfolios).open("rb")
        ) as lines:
            moved = affected_portfolios(
                old, new, lines, args.category, args.as_of
            )
            if args.format == "json":
                document["affected"] = [
                    converter.unstructure(change) for change in moved
                ]
                print(json.dumps(document, indent=2), file=out)
                return EXIT_OK
            count = 0
            for change in moved:
                count += 1
                because = ", ".join(change.requirements) or "the edition"
                print(
                    f"line {change.line} ({change.portfolio}): {change.old} "
                    f"-> {change.new}, by {because}",
                    file=out,
                )
            noun = "portfolio" if count == 1 else "portfolios"
            print(f"{count} {noun} change outcome", file=out)
    except OSError as error:
        print(f"iecmh diff: {error}", file=err)
        return EXIT_BAD_INPUT
    except IecmhError as error:
        return _report(error, err)
    return EXIT_OK


def _catalogue_option(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--rulebooks",
        action="append",
        metavar="DIR",
        help="also choose among the rulebook editions in this folder (every "
        "*.json file) or file; repeatable; by date, as the bundled ones",
    )


def _any_association_option(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--any-association",
        action="store_true",
        help="use --rulebook even when it is another association's than "
        "the one the endorsement was awarded under (with a warning)",
    )


def _parser() -> argparse.ArgumentParser:  # noqa: PLR0915 - one per command
    parser = argparse.ArgumentParser(
        prog="iecmh",
        description=(
            "Check Infant and Early Childhood Mental Health Endorsement "
            "documents: portfolios, rulebooks, competency frameworks and "
            "determinations."
        ),
        epilog=(
            "Exit status: 0 success; 2 bad input or usage, with every "
            "problem on standard error as FILE: JSON-PATH: MESSAGE."
        ),
    )
    commands = parser.add_subparsers(
        dest="command", metavar="COMMAND", required=True
    )
    check = commands.add_parser(
        "validate",
        help="check a document against its JSON Schema and rules",
        description=(
            "Check a document against its shipped JSON Schema and the rules "
            "a schema cannot state, and report every problem with its JSON "
            "path."
        ),
        epilog="Exit status: 0 valid; 2 invalid or unreadable.",
    )
    check.add_argument(
        "file", metavar="FILE", help="the JSON document; - reads stdin"
    )
    check.add_argument(
        "--kind",
        choices=[kind.value for kind in DocumentKind],
        help="the kind of document (guessed from its keys when left out)",
    )
    check.set_defaults(run=_validate)

    run = commands.add_parser(
        "evaluate",
        help="decide whether a portfolio meets a category, and explain",
        description=(
            "Evaluate a portfolio against a category of a rulebook on a "
            "date and print the determination: every requirement met, "
            "unmet or undetermined, with the evidence counted and rejected "
            "and what would close each gap."
        ),
        epilog=(
            "Exit status: 0 eligible; 1 not eligible, undetermined or "
            "emerging (not every requirement met yet); 2 bad input or usage."
        ),
    )
    run.add_argument("portfolio", metavar="PORTFOLIO", help="portfolio JSON")
    run.add_argument(
        "--category", required=True, help="the category code, e.g. IFS"
    )
    run.add_argument(
        "--rulebook",
        help=(
            "a bundled edition id (see 'iecmh rulebooks') or a path to a "
            "rulebook JSON file; default: the bundled edition in force on "
            "the as-of date that defines the category"
        ),
    )
    run.add_argument(
        "--as-of",
        type=_date,
        metavar="YYYY-MM-DD",
        help="the date to evaluate on (default: today)",
    )
    run.add_argument(
        "--format",
        choices=["text", "json"],
        default="text",
        help="readable text (default) or the determination as JSON",
    )
    _catalogue_option(run)
    run.set_defaults(run=_evaluate)

    books = commands.add_parser(
        "rulebooks",
        help="list the bundled rulebook editions and their categories",
        description=(
            "List the bundled rulebook editions with their association, "
            "effective dates and categories."
        ),
        epilog="Exit status: 0.",
    )
    books.add_argument(
        "show",
        nargs="?",
        choices=["show"],
        help="show one edition as a rulebook document",
    )
    books.add_argument("edition", nargs="?", metavar="ID", help="with show")
    books.add_argument(
        "--resolved",
        action="store_true",
        help="with show: an edition that extends another as one whole "
        "edition (the edition as written, otherwise)",
    )
    books.add_argument(
        "--format",
        choices=["text", "json"],
        default="text",
        help="readable text (default) or JSON",
    )
    _catalogue_option(books)
    books.set_defaults(run=_rulebooks)

    cover = commands.add_parser(
        "coverage",
        help="report how a portfolio covers the competency framework",
        description=(
            "List every domain of the competency framework with the "
            "knowledge areas the category expects: which trainings cover "
            "each and their hours, which nothing covers, and the exam parts "
            "and reference ratings that show a domain as a whole."
        ),
        epilog="Exit status: 0 report printed; 2 bad input or usage.",
    )
    cover.add_argument("portfolio", metavar="PORTFOLIO", help="portfolio JSON")
    cover.add_argument(
        "--category", required=True, help="the category code, e.g. IFS"
    )
    cover.add_argument(
        "--framework",
        help=(
            "a bundled framework id or a path to a framework JSON file; "
            "default: the bundled edition in force on the as-of date"
        ),
    )
    cover.add_argument(
        "--as-of",
        type=_date,
        metavar="YYYY-MM-DD",
        help="the date (default: today)",
    )
    cover.add_argument(
        "--format",
        choices=["text", "json"],
        default="text",
        help="readable text (default) or JSON",
    )
    cover.set_defaults(run=_coverage)

    export = commands.add_parser(
        "export",
        help="export the framework (CASE), a category (CTDL) or an "
        "earned endorsement (Open Badges 3.0)",
        description=(
            "Export the competency framework as a 1EdTech CASE 1.1 "
            "CFPackage, a rulebook category as a CTDL credential with "
            "ConditionProfiles and CTDL-ASN competencies, or an earned "
            "endorsement as an unsigned Open Badges 3.0 "
            "AchievementCredential, as JSON on standard output."
        ),
        epilog="Exit status: 0 exported; 2 bad input or usage.",
    )
    export.add_argument(
        "standard",
        choices=["case", "ctdl", "ob3"],
        help="the standard to export to",
    )
    export.add_argument(
        "--portfolio",
        help="ob3: the holder's portfolio JSON",
    )
    export.add_argument(
        "--framework",
        help="a bundled framework id or a framework JSON file "
        "(case: default the edition in force; ctdl: include its competencies)",
    )
    export.add_argument(
        "--as-of",
        type=_date,
        metavar="YYYY-MM-DD",
        help="choose the framework edition in force on this date",
    )
    export.add_argument(
        "--base-uri",
        default="urn:uuid:",
        help="case: the prefix of every uri (default urn:uuid:)",
    )
    export.add_argument(
        "--rulebook",
        help="ctdl and ob3: a bundled rulebook id or a rulebook JSON file "
        "(ctdl default mi-aimh-2024; ob3 default the edition in force)",
    )
    export.add_argument("--category", help="ctdl and ob3: the category code")
    export.add_argument(
        "--subject-id",
        help="ob3: the holder's id in the credential (a DID, a mailto: URI)",
    )
    export.add_argument(
        "--salt",
        help="ob3: hash the portfolio id with this salt (when no "
        "--subject-id); default a fresh random one",
    )
    export.add_argument(
        "--issuer-id",
        help="ob3: the issuer profile's id (its URL); with --sign, "
        "default the key's controller",
    )
    export.add_argument(
        "--owner",
        help="ctdl: the URI of the organization that owns the credential "
        "(ceterms:ownedBy); required",
    )
    export.add_argument(
        "--owner-name", help="ctdl: the owner's name (default the association)"
    )
    export.add_argument(
        "--subject-webpage",
        help="ctdl: the credential's web page (default the rulebook's first "
        "source)",
    )
    export.add_argument(
        "--sign",
        metavar="KEY",
        help="ob3: sign with this Multikey JSON file (needs the sign extra)",
    )
    export.add_argument(
        "--proof",
        choices=["data-integrity", "jwt"],
        default="data-integrity",
        help="ob3 --sign: an embedded eddsa-rdfc-2022 proof (default) or a "
        "VC-JWT",
    )
    export.add_argument(
        "--context",
        action="append",
        default=[],
        metavar="URL=FILE",
        help="ob3 --sign: a local copy of a JSON-LD context; repeat for each",
    )
    _catalogue_option(export)
    export.set_defaults(run=_export)

    check_proof = commands.add_parser(
        "verify",
        help="verify a signed Open Badges credential or VC-JWT",
        description=(
            "Verify a credential with an embedded eddsa-rdfc-2022 proof "
            "(a JSON file) or a VC-JWT (a text file): the signature, that "
            "the issuer controls the key, and the JWT claims."
        ),
        epilog="Exit status: 0 verified; 1 not verified; 2 bad input.",
    )
    check_proof.add_argument("file", help="the signed credential or VC-JWT")
    check_proof.add_argument(
        "--key",
        action="append",
        default=[],
        metavar="FILE",
        help="a public Multikey JSON file for a method that is not a "
        "did:key; repeat for each",
    )
    check_proof.add_argument(
        "--context",
        action="append",
        default=[],
        metavar="URL=FILE",
        help="a local copy of a JSON-LD context; repeat for each",
    )
    check_proof.set_defaults(run=_verify)

    renew = commands.add_parser(
        "renew",
        help="decide whether an endorsement's yearly renewal is met",
        description=(
            "Evaluate the renewal of an endorsement the portfolio holds for "
            "a year, on that year's due date: training, DEI and RSC hours "
            "in the year, membership, the Code of Ethics signed again, with "
            "the first-year exemption and the Clinical Mentor rule."
        ),
        epilog=(
            "Exit status: 0 renewal met; 1 not met or undetermined; 2 bad "
            "input or usage."
        ),
    )
    renew.add_argument("portfolio", metavar="PORTFOLIO", help="portfolio JSON")
    renew.add_argument(
        "--category", required=True, help="the endorsement's category code"
    )
    renew.add_argument(
        "--year", required=True, type=int, help="the renewal year"
    )
    renew.add_argument(
        "--rulebook",
        help="a bundled edition id or a rulebook JSON file (default: the "
        "edition in force on the due date)",
    )
    renew.add_argument(
        "--format",
        choices=["text", "json"],
        default="text",
        help="readable text (default) or the determination as JSON",
    )
    _any_association_option(renew)
    _catalogue_option(renew)
    renew.set_defaults(run=_renew)

    status = commands.add_parser(
        "status",
        help="tell the status of the endorsements a portfolio holds",
        description=(
            "Derive each held endorsement's status on a date (active, due, "
            "lapsed, inactive, reinstated, archived, or not yet awarded) "
            "from its renewal history."
        ),
        epilog="Exit status: 0 printed; 2 bad input or usage.",
    )
    status.add_argument(
        "portfolio", metavar="PORTFOLIO", help="portfolio JSON"
    )
    status.add_argument("--category", help="only this category")
    status.add_argument(
        "--on",
        type=_date,
        metavar="YYYY-MM-DD",
        help="the date (default: today)",
    )
    status.add_argument(
        "--rulebook", help="a bundled edition id or a rulebook JSON file"
    )
    _any_association_option(status)
    _catalogue_option(status)
    status.set_defaults(run=_status)

    differ = commands.add_parser(
        "diff",
        help="say what changed between two editions, and whom it affects",
        description=(
            "Compare two rulebook editions (bundled ids or rulebook files): "
            "categories added or removed, requirements added, removed or "
            "changed with each parameter old -> new, matched by id. With "
            "--portfolios, also evaluate each portfolio (JSON Lines) under "
            "both and list those whose outcome changes, and why."
        ),
        epilog="Exit status: 0 compared; 2 bad input or usage.",
    )
    differ.add_argument("old", metavar="OLD", help="the earlier edition")
    differ.add_argument("new", metavar="NEW", help="the later edition")
    differ.add_argument(
        "--portfolios",
        metavar="FILE",
        help="portfolios as JSON Lines ('-' for standard input)",
    )
    differ.add_argument("--category", help="with --portfolios: the category")
    differ.add_argument(
        "--as-of",
        type=_date,
        metavar="YYYY-MM-DD",
        help="with --portfolios: the date (default: today)",
    )
    differ.add_argument(
        "--format",
        choices=["text", "json"],
        default="text",
        help="text or JSON",
    )
    _catalogue_option(differ)
    differ.set_defaults(run=_diff)

    batch = commands.add_parser(
        "batch",
        help="evaluate a JSON Lines file of portfolios, in order",
        description=(
            "Evaluate every portfolio of a JSON Lines file (one portfolio "
            "per line) against a category, writing one determination per "
            "line in the same order. A line that is not a valid portfolio "
            'gives an error record {"line": N, "problems": [...]} and '
            "the batch goes on; a summary goes to standard error. The input "
            "is streamed: memory stays flat however long it is."
        ),
        epilog=(
            "Exit status: 0 every line evaluated; 1 some lines were error "
            "records; 2 bad input or usage (or --out is the input); 3 the "
            "results could not be written; 70 an internal error; 130 "
            "interrupted. Every record is written and flushed as it is made "
            "to RESULTS.jsonl.partial, renamed RESULTS.jsonl when the batch "
            "is done, so RESULTS.jsonl is never half-written; after an "
            "interrupted or killed run, --resume goes on from the partial "
            "file's complete lines."
        ),
    )
    batch.add_argument(
        "portfolios", metavar="PORTFOLIOS.jsonl", help="- reads stdin"
    )
    batch.add_argument(
        "--category", required=True, help="the category code, e.g. IFS"
    )
    batch.add_argument(
        "--rulebook",
        help="a bundled edition id or a rulebook JSON file (default: the "
        "edition in force on the as-of date)",
    )
    batch.add_argument(
        "--as-of",
        type=_date,
        metavar="YYYY-MM-DD",
        help="the date (default: today)",
    )
    batch.add_argument(
        "--out",
        metavar="RESULTS.jsonl",
        help="where to write, each line as it is made (default: standard "
        "output)",
    )
    batch.add_argument(
        "--resume",
        action="store_true",
        help="go on from an interrupted run: keep the complete records in "
        "RESULTS.jsonl.partial and evaluate only the lines after them",
    )
    batch.add_argument(
        "--jobs",
        type=int,
        default=1,
        metavar="N",
        help="evaluate in N processes (default 1)",
    )
    _catalogue_option(batch)
    batch.set_defaults(run=_batch)
    _add_interop_commands(commands)
    _report_parser(commands)
    return parser


def _report_parser(commands: Any) -> None:
    report = commands.add_parser(
        "report",
        help="summarize what holds a cohort back, as text, JSON or HTML",
        description=(
            "Summarize a cohort: counts by outcome; per requirement, how "
            "many met, unmet and undetermined and how far short; the most "
            "common rejection reasons and missing values; who is within "
            "reach of eligibility; evidence leaving its window soon; for "
            "the cohort, each category and each rulebook edition. Reads "
            "the determinations 'iecmh batch' wrote, or portfolios, which "
            "it evaluates. Never shows names; ids only with --ids; counts "
            "under --min-group are suppressed."
        ),
        epilog=(
            "Exit status: 0 report written; 1 written, but some records "
            "were errors; 2 bad input or usage."
        ),
    )
    report.add_argument(
        "portfolios",
        metavar="DETERMINATIONS.jsonl|PORTFOLIOS.jsonl",
        help="JSON Lines of determinations or of portfolios; - reads stdin",
    )
    report.add_argument(
        "--category",
        help="portfolios: the category to evaluate (required); "
        "determinations: only this category",
    )
    report.add_argument(
        "--rulebook",
        help="portfolios: a bundled edition id or a rulebook JSON file; "
        "determinations: only this edition",
    )
    report.add_argument(
        "--as-of",
        type=_date,
        metavar="YYYY-MM-DD",
        help="portfolios: the date to evaluate on (default: today)",
    )
    report.add_argument(
        "--format",
        choices=["text", "json", "html"],
        default="text",
        help="readable text (default), a cohort-report JSON document, or "
        "one self-contained HTML page with charts (the report extra)",
    )
    report.add_argument(
        "--out", metavar="FILE", help="where to write (default: stdout)"
    )
    report.add_argument(
        "--min-group",
        type=_at_least(1),
        default=5,
        metavar="N",
        help="suppress counts of fewer than N applicants (default 5)",
    )
    report.add_argument(
        "--ids",
        action="store_true",
        help="list the applicants within reach by portfolio id",
    )
    report.add_argument(
        "--near",
        type=_at_least(1),
        default=1,
        metavar="N",
        help="within reach: at most N requirements not met (default 1)",
    )
    report.add_argument(
        "--within",
        type=_within,
        action="append",
        metavar="KIND=AMOUNT",
        help="within reach: a requirement of this kind or id not met by "
        "less than AMOUNT, e.g. rsc=6 (repeatable)",
    )
    report.add_argument(
        "--expiring-months",
        type=_at_least(0),
        default=6,
        metavar="N",
        help="report evidence leaving its window within N months (default 6)",
    )
    report.add_argument(
        "--top",
        type=_at_least(0),
        default=10,
        metavar="N",
        help="how many rejection reasons and missing values (default 10)",
    )
    report.add_argument(
        "--jobs",
        type=_at_least(1),
        default=1,
        metavar="N",
        help="portfolios: evaluate in N processes (default 1)",
    )
    report.set_defaults(run=_cohort_report)


def main(
    argv: Sequence[str] | None = None,
    *,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    """
    Run the ``iecmh`` command line and return its exit status.

    Args:
        argv: The arguments, without the program name; ``sys.argv[1:]``
            when ``None``.
        out: Where results go; standard output when ``None``.
        err: Where problems go; standard error when ``None``.

    Returns:
        The exit status.
    """
    out = out or sys.stdout
    err = err or sys.stderr
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    try:
        status: int = args.run(args, out, err)
    except BrokenPipeError:
        # The reader (e.g. `head`) closed the pipe: stop quietly, the way
        # Unix tools do, instead of printing a traceback.
        _silence(out)
        return EXIT_OK
    except KeyboardInterrupt:
        print("iecmh: interrupted", file=err)
        return EXIT_INTERRUPTED
    except Exception as error:  # noqa: BLE001 - the last line of defence
        # A bug of ours: one line a user can report, and a status no script
        # can take for a result (0, 1) or for its own mistake (2).
        print(
            f"iecmh: internal error ({type(error).__name__}: {error}); "
            "please report it",
            file=err,
        )
        return EXIT_INTERNAL
    return status


def _silence(stream: TextIO) -> None:
    try:
        descriptor = stream.fileno()
    except (AttributeError, OSError, ValueError):
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, descriptor)
