"""Analysing one open file (an editor's buffer, saved or not) into problems placed at the
range that caused them, and a budget for each example.

The findings are the ones `invitepack validate` reports, from the same functions; what is
added here is where each one goes in the file: a finding in a rendered example's text goes
to the body line that produced it, not to the example. Every stage is guarded, so a
half-typed file gives what can be found and the rest is logged, never a crash.
"""

from __future__ import annotations

import re
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from invitepack.checks import corerules as template_rules
from invitepack.checks.findings import Finding
from invitepack.checks.results import Outcome
from invitepack.errors import (
    InvitepackError,
    LimitExceededError,
    LoadError,
    Location,
    UnsafeTemplateError,
)
from invitepack.lsp.packstate import PackState
from invitepack.lsp.sourcemap import Point, SourceMap, trace
from invitepack.pack.frontmatter import split_front_matter
from invitepack.pack.loader import Pack
from invitepack.pack.manifest import parse_manifest
from invitepack.pack.template import Template, parse_template

_EXAMPLE = re.compile(r"example (\d+)")
_USES = re.compile(r"uses '(\w+)'")


@dataclass
class Problem:
    """A finding (or an error without a rule) placed at a range of the file."""

    severity: str
    message: str
    start: Point
    end: Point
    code: str | None = None
    name: str | None = None
    hint: str | None = None
    labels: list[str] = field(default_factory=list)
    related: list[tuple[Point, str]] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The message as shown, with the examples it came from."""
        return f"{self.message} ({', '.join(self.labels)})" if self.labels else self.message


@dataclass
class ExampleBudget:
    """One example's length against its channel's limit, shown beside the example."""

    index: int
    line: int
    length: int
    limit: int | None
    subject: str | None = None
    verdict: str | None = None  # send or revise
    verdict_text: str | None = None  # the verdict with its reasons

    @property
    def title(self) -> str:
        """E.g. `example 2: 187/200`."""
        size = (
            f"{self.length}/{self.limit}" if self.limit is not None else f"{self.length} characters"
        )
        text = f"example {self.index + 1}: {size}"
        if self.limit is not None and self.length > self.limit:
            text += f" (over by {self.length - self.limit})"
        if self.subject:
            text += f", {self.subject}"
        if self.verdict_text or self.verdict:
            text += f" · {self.verdict_text or self.verdict}"
        return text


@dataclass
class Analysis:
    """What the server knows about one file after its last analysis."""

    path: Path
    kind: str  # "template" or "manifest"
    lines: list[str]
    problems: list[Problem] = field(default_factory=list)
    budgets: list[ExampleBudget] = field(default_factory=list)
    template: Template | None = None
    properties: dict[str, Any] = field(default_factory=dict)  # declared variables, if readable
    body_line: int | None = None  # 1-based, as Template.body_line
    log: list[str] = field(default_factory=list)
    # The pack-wide rules' findings about this file (they run git, so not on every change)
    # and the `version:` line they saw.
    pack_findings: list[Finding] | None = None
    version_line: str | None = None

    def line_range(self, line: int) -> tuple[Point, Point]:
        """A whole line, without its indentation and trailing spaces."""
        line = min(max(line, 0), max(len(self.lines) - 1, 0))
        text = self.lines[line] if self.lines else ""
        return (line, len(text) - len(text.lstrip())), (line, len(text.rstrip()))

    def at(self, location: Location | None) -> tuple[Point, Point]:
        """The range of a location in this file: from its column (or the line's first
        character) to the end of the line."""
        if location is None or location.line is None:
            return self.line_range(0)
        start, end = self.line_range(location.line - 1)
        if location.column is not None:
            start = (
                start[0],
                min(location.column - 1, len(self.lines[start[0]]) if self.lines else 0),
            )
            end = (end[0], max(end[1], start[1]))
        return start, end


def _error(analysis: Analysis, exc: InvitepackError, code: Any = None) -> None:
    """An error as a problem: under a rule when one fits, or as a plain error."""
    start, end = analysis.at(
        exc.location if exc.location and _same(exc.location.path, analysis.path) else None
    )
    message = (
        exc.message
        if not exc.location or _same(exc.location.path, analysis.path)
        else f"{exc.location}: {exc.message}"
    )
    analysis.problems.append(
        Problem(
            "error",
            message,
            start,
            end,
            code.code if code else None,
            code.name if code else None,
            exc.hint or (code.hint if code else None),
        )
    )


def _same(a: Path | None, b: Path) -> bool:
    return a is not None and a.resolve() == b.resolve()


def _guarded(analysis: Analysis, what: str) -> Any:
    """Log an unexpected exception of one stage and let the others go on."""

    class Guard:
        def __enter__(self) -> None:
            return None

        def __exit__(self, kind: Any, exc: BaseException | None, tb: Any) -> bool:
            if exc is None or not isinstance(exc, Exception):
                return False
            details = "".join(traceback.format_exception(exc)).rstrip()
            analysis.log.append(f"{what} failed for {analysis.path}: {details}")
            return True

    return Guard()


def analyse(state: PackState, path: Path, text: str, previous: Analysis | None = None) -> Analysis:
    """Analyse pack.yaml or a template file of the pack. With `previous`, a template reuses
    its pack-wide findings unless its version line changed (those rules run git)."""
    text = text.lstrip("\ufeff")
    if path.name == "pack.yaml":
        return analyse_manifest(state, path, text)
    return analyse_template(state, path, text, previous)


def _state_problems(analysis: Analysis, state: PackState) -> None:
    if state.error is not None:
        exc = state.error
        where = f"{exc.location}: " if exc.location else ""
        analysis.problems.append(
            Problem(
                "error",
                f"invitepack cannot load this pack's settings or plugins: {where}{exc.message}",
                *analysis.line_range(0),
                hint=exc.hint,
            )
        )


def analyse_manifest(state: PackState, path: Path, text: str) -> Analysis:
    """pack.yaml: its schema and compatibility, then the pack-wide rules on the saved pack."""
    analysis = Analysis(path, "manifest", text.split("\n"))
    _state_problems(analysis, state)
    try:
        manifest, problems = parse_manifest(text, path)
    except LoadError as exc:
        _error(analysis, exc, template_rules.INVALID_MANIFEST)
        return analysis
    for problem in problems:
        _error(analysis, problem, template_rules.INVALID_MANIFEST)
    if problems or state.checker is None or not path.is_file():
        return analysis
    with _guarded(analysis, "pack-wide rules"):
        from invitepack.pack.template import read_template, template_files

        limits = state.renderer().limits
        loaded = [
            t
            for t in (read_template(p, limits)[0] for p in template_files(state.root, manifest))
            if t is not None
        ]
        outcome = state.checker.outcome()
        found = outcome.take(
            state.checker.pack_findings(Pack(state.root, manifest, {t.id: t for t in loaded}))
        )
        _add_findings(analysis, [f for f in found if _same(f.location.path, path)], state, {})
        _add_outcome(analysis, outcome)
    return analysis


def _salvage_properties(front_matter: str, path: Path, line: int) -> dict[str, Any]:
    """Declared variables from front matter that fails the schema (completion still works)."""
    from invitepack.pack.yamlfile import parse_yaml

    try:
        data = parse_yaml(front_matter, path, line).data
    except LoadError:
        return {}
    variables = data.get("variables") if isinstance(data, dict) else None
    properties = variables.get("properties") if isinstance(variables, dict) else None
    return (
        {k: v for k, v in properties.items() if isinstance(v, dict)}
        if isinstance(properties, dict)
        else {}
    )


def _version_line(lines: list[str], body_line: int) -> str | None:
    return next((line for line in lines[: body_line - 1] if line.startswith("version:")), None)


def analyse_template(
    state: PackState, path: Path, text: str, previous: Analysis | None = None
) -> Analysis:
    """A template: front matter, body syntax and safety, template rules, every example rendered
    and checked, pack rules about this template, and each example's budget."""
    analysis = Analysis(path, "template", text.split("\n"))
    _state_problems(analysis, state)
    try:
        split = split_front_matter(text, path)
    except LoadError as exc:
        _error(analysis, exc, template_rules.INVALID_TEMPLATE)
        return analysis
    analysis.body_line = split.body_line
    template, problems = parse_template(text, path)
    for problem in problems:
        _error(analysis, problem, template_rules.INVALID_TEMPLATE)
    renderer = state.renderer()
    if template is None:
        analysis.properties = _salvage_properties(split.front_matter, path, split.front_matter_line)
        with _guarded(analysis, "checking the body"):
            try:
                renderer.parse(split.body, path, split.body_line)
            except UnsafeTemplateError as exc:
                _error(analysis, exc, template_rules.UNSAFE_TEMPLATE)
            except LimitExceededError as exc:
                _error(analysis, exc)
            except InvitepackError as exc:
                _error(analysis, exc, template_rules.TEMPLATE_SYNTAX)
        return analysis
    analysis.template = template
    analysis.properties = dict(template.variables.get("properties", {}))
    checker = state.checker_with(renderer)
    if checker is None:
        return analysis
    from invitepack.checks.validate import validate_template

    outcome = checker.outcome("template")
    found: list[Finding] = []
    with _guarded(analysis, "template rules and examples"):
        found += validate_template(template, checker, renderer, state.account, outcome)
    if not state.manifest_problems and path.is_file():
        analysis.version_line = _version_line(analysis.lines, split.body_line)
        if (
            previous is not None
            and previous.pack_findings is not None
            and previous.version_line == analysis.version_line
        ):
            analysis.pack_findings = previous.pack_findings
        else:
            with _guarded(analysis, "pack-wide rules"):
                pack = Pack(state.root, state.manifest, {template.id: template})
                analysis.pack_findings = [
                    f
                    for f in outcome.take(checker.pack_findings(pack))
                    if _same(f.location.path, path)
                ]
        found += analysis.pack_findings or []
    maps: dict[int, SourceMap] = {}
    with _guarded(analysis, "example budgets"):
        _budgets(analysis, state, renderer, template, maps)
    selected = [f for f in found if checker.selection.enabled(f.code, f.location.path)]
    with _guarded(analysis, "verdicts"):
        _verdicts(analysis, template, outcome)
    _add_findings(analysis, selected, state, maps)
    _add_outcome(analysis, outcome)
    return analysis


def _verdicts(analysis: Analysis, template: Template, outcome: Outcome) -> None:
    """Each rendered example's verdict (as validate gives it), on its budget; a `revise` one
    is also a diagnostic at the example, since that is the note a recipient would get."""
    by_label = {v.label: v.verdict for v in outcome.verdicts}
    for budget in analysis.budgets:
        label = f"example {budget.index + 1}"
        verdict = by_label.get(label)
        if verdict is None:
            continue
        budget.verdict = verdict.decision
        budget.verdict_text = verdict.describe()
        if verdict.revise:
            start, end = analysis.at(template.location("examples", budget.index))
            analysis.problems.append(Problem("info", f"{label}: {verdict.describe()}", start, end))


def _budgets(
    analysis: Analysis, state: PackState, renderer: Any, template: Template, maps: dict[int, Any]
) -> None:
    from invitepack.render.budget import measure

    channel = state.channels.get(template.channel)
    for index, example in enumerate(template.examples):
        try:
            message = renderer.render(
                template, example, account=state.account, label=f"example {index + 1}"
            )
        except InvitepackError:
            continue  # reported by validate_template
        maps[index] = _LazyMap(renderer, template, message.values or {})
        if channel is None:
            continue
        budget = measure(message, channel)
        subject = None
        if budget.subject_length is not None:
            cap = channel.subject_limit or channel.subject_display
            subject = f"subject {budget.subject_length}" + (f"/{cap}" if cap else "")
        line = (template.location("examples", index).line or 1) - 1
        analysis.budgets.append(ExampleBudget(index, line, budget.length, budget.limit, subject))


class _LazyMap:
    """Traces an example's rendering only when a finding needs it."""

    def __init__(self, renderer: Any, template: Template, values: dict[str, Any]):
        self.args = (renderer, template, values)
        self._map: SourceMap | None = None

    def locate(self, span: tuple[int, int]) -> tuple[Point, Point]:
        if self._map is None:
            self._map = trace(*self.args)
        return self._map.locate(span)


def _usage(analysis: Analysis, name: str) -> tuple[Point, Point] | None:
    """The first place the body uses a variable inside {{ }} or {% %}."""
    if analysis.body_line is None:
        return None
    for number in range(analysis.body_line - 1, len(analysis.lines)):
        line = analysis.lines[number]
        for block in re.finditer(r"\{[{%].*?[}%]\}", line):
            hit = re.search(rf"(?<![.\w]){re.escape(name)}\b", block.group(0))
            if hit:
                return (number, block.start() + hit.start()), (number, block.start() + hit.end())
    return None


def _place(
    analysis: Analysis, finding: Finding, maps: dict[int, Any]
) -> tuple[Point, Point, list[tuple[Point, str]]]:
    template = analysis.template
    label = _EXAMPLE.fullmatch(finding.label or "")
    if label and template is not None:
        index = int(label.group(1)) - 1
        example = template.location("examples", index)
        related = [
            (
                (example.line - 1 if example.line else 0, (example.column or 1) - 1),
                f"the values of example {index + 1}",
            )
        ]
        if finding.span and index in maps:
            try:
                start, end = maps[index].locate(finding.span)
                return start, end, related
            except Exception as exc:  # noqa: BLE001 - a highlight is not worth an error
                analysis.log.append(
                    f"could not map a finding of {label.group(0)} to the body: {exc!r}"
                )
        if template.subject is not None and "subject" in finding.message.lower():
            return *analysis.at(template.location("subject")), related
        first = next(
            (
                n
                for n in range((analysis.body_line or 1) - 1, len(analysis.lines))
                if analysis.lines[n].strip()
            ),
            (analysis.body_line or 1) - 1,
        )
        return *analysis.line_range(first), related
    if finding.code == template_rules.UNDECLARED_VARIABLE.code:
        used = _USES.search(finding.message)
        usage = _usage(analysis, used.group(1)) if used else None
        if usage:
            return *usage, []
    if finding.location.path is not None and not _same(finding.location.path, analysis.path):
        return *analysis.line_range(0), []
    start, end = analysis.at(finding.location)
    if finding.code == template_rules.UNUSED_SUPPRESSION.code:
        comment = (
            re.search(r"\{#.*?#\}", analysis.lines[start[0]])
            if start[0] < len(analysis.lines)
            else None
        )
        if comment:
            return (start[0], comment.start()), (start[0], comment.end()), []
    return start, end, []


def _add_findings(
    analysis: Analysis, findings: list[Finding], state: PackState, maps: dict[int, Any]
) -> None:
    merged: dict[tuple[Any, ...], Problem] = {}
    for finding in findings:
        start, end, related = _place(analysis, finding, maps)
        key = (finding.code, start, end, finding.message)
        if key in merged:
            merged[key].labels += [finding.label] if finding.label else []
            merged[key].related += related
            continue
        problem = Problem(
            finding.severity,
            finding.message,
            start,
            end,
            finding.code,
            finding.name,
            finding.hint,
            [finding.label] if finding.label else [],
            related,
        )
        merged[key] = problem
        analysis.problems.append(problem)


def _add_outcome(analysis: Analysis, outcome: Outcome) -> None:
    for error in outcome.errors:
        _error(analysis, error)
    for failure in outcome.failures:
        analysis.problems.append(Problem("error", str(failure), *analysis.line_range(0)))
        analysis.log.append(str(failure))
