"""Batch rendering: one checked note per row of a data file, written safely.

Three passes keep the promises: `scan` checks the file's structure before anything is
written; every row is rendered, validated and checked into a staging folder inside --out
(or a temporary file beside --jsonl); only then are the results moved into place, and only
if none would overwrite a file (unless --force) and no row failed (unless --skip-invalid).
Reports name rows by number and id, never by their values: they are people's personal data.
With --jobs, worker processes judge the rows (render, validate, check, build the output) and
this process still records and writes them one by one in row order, so the names, the
collision suffixes, the reports and the counts are those of a single worker.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Generator
from contextlib import AbstractContextManager, closing
from dataclasses import dataclass, field, replace
from functools import partial
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from invitepack.checks.checker import Checker
from invitepack.checks.findings import Finding
from invitepack.checks.results import HookResult, Outcome
from invitepack.checks.verdict import Verdict, judge
from invitepack.errors import InvitepackError, Location, VariableError
from invitepack.output.publish import StagedFile, Staging, environment_error
from invitepack.output.rows import Row, RowSource
from invitepack.pack.template import Template
from invitepack.render.message import Message
from invitepack.render.renderer import Renderer
from invitepack.render.timer import one_timer

if TYPE_CHECKING:
    from invitepack.checks.failures import PluginFailure

_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")
# What open(path, "xb") asks of the system: a new file, never an existing one.
_NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
# Rows a worker judges per request: enough that a request's overhead is a small part of it
# (a row takes about half a millisecond), few enough that workers finish close together.
CHUNK_ROWS = 64


@dataclass(frozen=True)
class BatchOptions:
    """Where and how a batch writes."""

    out_dir: Path | None = None
    jsonl: Path | None = None
    fmt: str = "text"  # text or eml
    force: bool = False
    skip_invalid: bool = False
    to_column: str | None = None
    sender: str | None = None
    account: str = "free"
    jobs: int = 1  # processes judging rows (output.workers); the output is the same


class Judged(NamedTuple):
    """One row's judgement, as a worker hands it back: the plugin failures to record, the
    report's lines, and the output (a file's bytes, a JSON line), None when the row failed."""

    failures: list[PluginFailure]
    reports: list[str]
    output: bytes | str | None = None


@dataclass
class BatchResult:
    """Counts for the summary line; failing rows were reported as they were found."""

    total: int = 0
    written: int = 0
    failed: int = 0
    outcome: Outcome = field(default_factory=Outcome)


def safe_stem(row: Row, width: int) -> str:
    """A file name stem from the row's id (made safe) or its number: no separators, no '..'."""
    stem = _UNSAFE_NAME.sub("-", row.id).strip(".-")[:80] if row.id else ""
    return stem or f"row-{row.number:0{width}d}"


def _claim(folder: str, stem: str, suffix: str, payload: bytes = b"") -> None:
    """Create a new file in folder for stem, adding -2, -3 … on collisions, holding payload.

    A file a row: opened as open(path, "xb") opens it (the same flags and mode), without the
    buffered file object, whose set-up (fstat, isatty) cost more than the write on tmpfs;
    paths are strings for the same reason."""
    attempt = 1
    while True:
        name = f"{stem}{suffix}" if attempt == 1 else f"{stem}-{attempt}{suffix}"
        try:
            fd = os.open(os.path.join(folder, name), _NEW_FILE, 0o666)
        except FileExistsError:
            attempt += 1
            continue
        try:
            view = memoryview(payload)
            while view:
                view = view[os.write(fd, view) :]
        finally:
            os.close(fd)
        return


class Batch:
    """Renders and checks the rows of one data file with one template."""

    def __init__(
        self,
        template: Template,
        renderer: Renderer,
        checker: Checker,
        options: BatchOptions,
        report: Callable[[str], None],
        defaults: dict[str, object] | None = None,
        output_format: str | None = None,
    ):
        """`report` prints one line about a failing row. With an `output_format` (one of
        invitepack.output.report.LINE_FORMATS) a row's findings are printed in it, as
        `check` prints findings; without, as a short line naming the row and the rule."""
        self.template = template
        self.output_format = output_format
        self.defaults = defaults or {}
        self.renderer = renderer
        self.checker = checker
        self.options = options
        self.report = report
        self.variables = set(template.variables.get("properties", {}))
        self.result = BatchResult()
        if options.fmt == "eml" and options.sender:
            # Checked once, before any row: a bad --from is the user's, not fifty rows'.
            from invitepack.output.eml import address

            address(options.sender, "--from")

    def judge_row(self, row: Row, source: Path) -> Judged:
        """Render, validate and check one row and build its output, changing nothing here:
        any process may judge any row (output.workers), and `_write_rows` records the
        answers in row order, so several workers write what one writes."""
        values = {**self.defaults, **{k: v for k, v in row.values.items() if k in self.variables}}
        try:
            message = self.renderer.render(
                self.template,
                values,
                account=self.options.account,
                label=row.label(),
                redact=True,
                origin=Location(source, row.line),
            )
        except VariableError as exc:
            lines = [line.strip() for line in exc.message.splitlines() if line.strip()]
            return Judged([], self._lines(row, [f"invalid values: {line}" for line in lines]))
        found = self.checker.message_findings(message)
        findings = self.checker.selection.keep(found.findings)
        # Rows are judged as `check` judges a note, but their verdicts are not kept: a
        # million-row batch must run in flat memory.
        verdict = judge(findings, self.checker.wording(message))
        failing = [f for f in findings if self.checker.policy.fails(f)]
        if verdict.revise or failing:
            redacted = [self._redacted(f, row, source) for f in failing]
            if self.output_format is None:
                reasons = [f"verdict {verdict.describe()}"] if verdict.revise else []
                reasons += [f"{f.code} {f.name}: {f.message}" for f in redacted]
                return Judged(found.failures, self._lines(row, reasons))
            where = Location(source, row.line)
            return Judged(found.failures, self._formatted(row, where, verdict, redacted))
        try:
            return Judged(found.failures, [], self._output(message, row))
        except _RowInvalid as exc:
            return Judged(found.failures, self._lines(row, [str(exc)]))

    def _redacted(self, finding: Finding, row: Row, source: Path) -> Finding:
        """A row's finding without the row's values: the rule's summary stands for the
        message (which may quote them), at the row's line in the data file."""
        rule = self.checker.selection.rules.get(finding.code)
        return replace(
            finding,
            message=rule.summary if rule is not None else finding.severity,
            location=Location(source, row.line),
            span=None,
            excerpt=None,
            label=row.label(),
        )

    def _formatted(
        self, row: Row, where: Location, verdict: Verdict, findings: list[Finding]
    ) -> list[str]:
        from invitepack.checks.results import NoteVerdict
        from invitepack.output.formats import format_finding, format_verdict

        assert self.output_format is not None
        lines = [
            format_finding(f, self.output_format, rule=self.checker.selection.rules.get(f.code))
            for f in findings
        ]
        if verdict.revise:
            note = NoteVerdict(where, row.label(), verdict)
            lines.append(format_verdict(note, self.output_format))
        return lines

    def _lines(self, row: Row, reasons: list[str]) -> list[str]:
        """A failing row's report lines, one a reason."""
        if self.output_format == "json":
            return [json.dumps({"label": row.label(), "error": reason}) for reason in reasons]
        return [f"{row.label()}: {reason}" for reason in reasons]

    def _output(self, message: Message, row: Row) -> bytes | str:
        """The row's file (bytes), or its line of the JSON Lines file (text)."""
        if self.options.jsonl is not None:
            record = {
                "row": row.number,
                "id": row.id,
                "template": self.template.id,
                "subject": message.subject,
                "body": message.body,
                "length": message.length,
            }
            return json.dumps(record, ensure_ascii=False) + "\n"
        if self.options.fmt == "eml":
            from invitepack.output.eml import build_email, markdown_escape, markdown_to_html

            escaped = {k: markdown_escape(v) for k, v in (message.values or {}).items()}
            html = markdown_to_html(self.renderer.render_body(self.template, escaped))
            to = row.values.get(self.options.to_column) if self.options.to_column else None
            try:
                return build_email(
                    subject=message.subject,
                    text=message.body,
                    html_fragment=html,
                    to=str(to) if to else None,
                    sender=self.options.sender,
                )
            except VariableError as exc:
                raise _RowInvalid(exc.message) from None
        head = f"Subject: {message.subject}\n\n" if message.subject is not None else ""
        return (head + message.body + "\n").encode("utf-8")

    def _write_rows(
        self,
        source: RowSource,
        write: Callable[[Row, bytes | str], None],
        on_row: Callable[[], None] | None,
    ) -> None:
        """Record every judged row in row order: its plugin failures, its report, its output
        (given to `write`). Workers, if any, are stopped when this returns or raises."""
        with closing(self._judged(source)) as judged:
            for row, answer in judged:
                if answer.failures:
                    self.result.outcome.take(HookResult([], answer.failures))
                for line in answer.reports:
                    self.report(line)
                if answer.output is None:
                    self.result.failed += 1
                else:
                    write(row, answer.output)
                if on_row:
                    on_row()

    def _judged(self, source: RowSource) -> Generator[tuple[Row, Judged], None, None]:
        """Every row with its judgement, in row order: judged here, or by worker processes
        when --jobs asks for them and they would give the same answers (`_workers`)."""
        rows = source.rows()
        jobs = self._workers()
        if jobs == 1:
            with self._one_timer():
                for row in rows:
                    yield row, self.judge_row(row, source.path)
            return
        from invitepack.output.workers import in_order

        chunks = iter(lambda: list(islice(rows, CHUNK_ROWS)), [])
        work = partial(self._judge_chunk, source.path)
        for chunk, (judged, error) in in_order(work, chunks, jobs):
            # A chunk stopped by an error has fewer answers than rows: the rest were not judged.
            yield from zip(chunk, judged, strict=False)
            if error is not None:
                raise error  # where one worker would have stopped, after the rows before it

    def _workers(self) -> int:
        """How many processes judge the rows. One unless asked for more, and also when there
        are too few rows to share, when the platform cannot fork, or when a plugin that is
        not invitepack's own checks the notes: it may keep state from row to row, and its
        failures (a hang stops it for the rest of the run) depend on the rows' order."""
        chunks = -(-self.result.total // CHUNK_ROWS)
        jobs = min(self.options.jobs, chunks)
        if jobs <= 1 or not hasattr(os, "fork") or not self.checker.plugins.only_builtin():
            return 1
        return jobs

    def _judge_chunk(self, source: Path, rows: list[Row]) -> tuple[list[Judged], Exception | None]:
        """A worker's share: the chunk's rows judged in order, up to the first error (a
        bound exceeded, a broken template), which is handed back to be raised in order."""
        judged: list[Judged] = []
        with self._one_timer():
            try:
                for row in rows:
                    judged.append(self.judge_row(row, source))
            except Exception as exc:  # noqa: BLE001 - raised by the parent, in row order
                return judged, exc
        return judged, None

    def scan(self, source: RowSource) -> int:
        """Check the data file's structure (nothing written yet); return its row count."""
        # A required variable given as an option applies to every row: no column needed.
        required = [n for n in self.template.required if self.defaults.get(n) in (None, "")]
        return source.scan(required, [c for c in (source.id_column, self.options.to_column) if c])

    def run(
        self, source: RowSource, total: int | None = None, on_row: Callable[[], None] | None = None
    ) -> BatchResult:
        """Render every row into staging, then publish; see the module docstring."""
        self.result = BatchResult(total=self.scan(source) if total is None else total)
        width = max(len(str(self.result.total)), 1)
        if self.options.jsonl is not None:
            return self._run_jsonl(source, on_row)
        out = self.options.out_dir
        assert out is not None
        staging = Staging(out, self.report)
        suffix = ".eml" if self.options.fmt == "eml" else ".txt"
        folder = os.fspath(staging.path)

        def write(row: Row, payload: bytes | str) -> None:
            assert isinstance(payload, bytes)
            _claim(folder, safe_stem(row, width), suffix, payload)

        try:
            self._write_rows(source, write, on_row)
            if not self._stop():
                self.result.written = staging.publish(self.options.force)
        except OSError as exc:
            raise environment_error(exc, out) from None
        finally:
            staging.close(published=self.result.written > 0)
        return self.result

    def _one_timer(self) -> AbstractContextManager[None]:
        """One timer for every row's bounded steps (values, rendering, compiling, checking),
        each bounded as alone (timer.one_timer); it ticks at the shortest of their bounds."""
        return one_timer(self.renderer.limits.step_seconds)

    def _stop(self) -> bool:
        """True when nothing may be written: a plugin failed, or rows failed (no --skip-invalid)."""
        return bool(self.result.outcome.failures) or (
            self.result.failed > 0 and not self.options.skip_invalid
        )

    def _run_jsonl(self, source: RowSource, on_row: Callable[[], None] | None) -> BatchResult:
        target = self.options.jsonl
        assert target is not None
        if _same_file(target, source.path):
            raise InvitepackError(
                "--jsonl names the data file itself: writing the notes would destroy the data",
                Location(target),
                hint="write the notes to another file",
            )
        if os.path.lexists(target) and not self.options.force:
            raise InvitepackError(
                "the output file exists",
                Location(target),
                hint="choose another file, or pass --force to replace it",
            )
        staged = StagedFile(target, self.report)

        def write(row: Row, line: bytes | str) -> None:
            assert isinstance(line, str)
            staged.handle.write(line)
            self.result.written += 1

        try:
            self._write_rows(source, write, on_row)
            if self._stop():
                self.result.written = 0
            else:
                staged.publish(self.options.force)
        except OSError as exc:
            raise environment_error(exc, target) from None
        finally:
            staged.close()
        return self.result


class _RowInvalid(Exception):
    """A row's output could not be built (e.g. a bad recipient address)."""


def _same_file(a: Path, b: Path) -> bool:
    """Are two paths one file (the same name, a symlink or a hard link to it)?"""
    try:
        return os.path.samefile(a, b)
    except OSError:
        return a.resolve() == b.resolve()
