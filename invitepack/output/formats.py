"""One finding, or one note's verdict, in each line-oriented output format: concise, full,
GitHub annotations and JSON records. `check`'s reporters (report.py) print an outcome with
them; a batch prints a failing row's findings with them as it goes."""

from __future__ import annotations

import os
from pathlib import Path

from invitepack.checks.findings import Finding, Rule
from invitepack.checks.results import NoteVerdict
from invitepack.errors import Location, printable

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

_GITHUB_LEVEL = {"error": "error", "warning": "warning", "info": "notice"}


def display_path(path: Path | None) -> str:
    """A path as people read it: relative to the current folder, or <stdin>."""
    if path is None:
        return "<stdin>"
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)


def _where(finding: Finding) -> str:
    return _place(finding.location)


def _place(loc: Location) -> str:
    parts = [printable(display_path(loc.path))]  # a file's name is data too
    if loc.line is not None:
        parts.append(str(loc.line))
        if loc.column is not None:
            parts.append(str(loc.column))
    return ":".join(parts)


def label_suffix(finding: Finding) -> str:
    """Which rendering a finding is about, as " (example 2)", or nothing."""
    return f" ({printable(finding.label)})" if finding.label else ""


def _escape(text: str) -> str:
    """Echoed input with control characters made visible."""
    return "".join(c if c.isprintable() or c == " " else f"\\u{ord(c):04x}" for c in text)


def verdict_line(note: NoteVerdict) -> str:
    """`place (label): verdict ...`: a note's verdict as one line of text."""
    label = f" ({printable(note.label)})" if note.label else ""
    return f"{_place(note.location)}{label}: verdict {note.verdict.describe()}"


def format_finding(
    finding: Finding,
    output_format: str = "concise",
    *,
    where: str | None = None,
    rule: Rule | None = None,
) -> str:
    """One finding as text in a line-oriented output format: what `check`'s reporters print
    for each finding, and what a batch prints for a failing row's (redacted) findings.

    "concise" is one line, "full" a block with the fix and, given the rule, why it matters,
    "github" a workflow annotation, "json" one JSON object on a line (JSON Lines). `where`
    replaces the place shown (e.g. a batch row's label; "" shows none)."""
    place = _where(finding) if where is None else where
    lead = f"{place}: " if place else ""
    if output_format == "concise":
        return (
            f"{lead}{finding.code} [{finding.severity}] {finding.name}: "
            f"{_escape(finding.message)}{label_suffix(finding)}"
        )
    if output_format == "full":
        lines = [
            f"{lead}{finding.code} [{finding.severity}] {finding.name}{label_suffix(finding)}",
            f"  {_escape(finding.message)}",
        ]
        if finding.hint:
            lines.append(f"  fix: {finding.hint}")
        if rule is not None:
            lines.append(f"  why: {rule.summary} (invitepack rules {finding.code})")
        return "\n".join(lines)
    if output_format == "github":
        return github_annotation(finding)
    if output_format == "json":
        import json  # only for JSON output: a plain check's report need not import it

        return json.dumps(
            {**finding_dict(finding), **({"where": where} if where else {})}, ensure_ascii=False
        )
    raise ValueError(f"{output_format!r} is not a line-oriented output format")


LINE_FORMATS = ("concise", "full", "github", "json")


def location_dict(loc: Location) -> dict[str, Any]:
    """A location as JSON data."""
    return {
        "path": display_path(loc.path) if loc.path else None,
        "line": loc.line,
        "column": loc.column,
    }


def finding_dict(f: Finding) -> dict[str, Any]:
    """A finding as JSON data (the `findings` items of --output-format json)."""
    return {
        "code": f.code,
        "name": f.name,
        "severity": f.severity,
        "message": f.message,
        "hint": f.hint,
        "location": location_dict(f.location),
        "span": list(f.span) if f.span else None,
        "excerpt": f.excerpt,
        "label": f.label,
        "plugin": f.plugin,
    }


def note_dict(note: NoteVerdict) -> dict[str, Any]:
    """A note's verdict as JSON data (the `notes` items of the run's verdict)."""
    return {
        "location": location_dict(note.location),
        "label": note.label,
        **note.verdict.as_dict(),
    }


def github_property(text: str) -> str:
    """Text escaped for a workflow command's property (file=, title=)."""
    return (
        printable(text, newlines=True)
        .replace("%", "%25")
        .replace("\r", "%0D")
        .replace("\n", "%0A")
        .replace(",", "%2C")
        .replace(":", "%3A")
    )


def github_data(text: str) -> str:
    """Text escaped for a workflow command's message."""
    return (
        printable(text, newlines=True).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    )


def github_annotation(f: Finding) -> str:
    """A finding as a GitHub Actions annotation (::error file=...,line=...::message)."""
    loc = f.location
    props = [f"file={github_property(display_path(loc.path))}"]
    if loc.line:
        props.append(f"line={loc.line}")
    if loc.column:
        props.append(f"col={loc.column}")
    props.append(f"title={github_property(f'{f.code} {f.name}')}")
    text = github_data(f.message + label_suffix(f))
    return f"::{_GITHUB_LEVEL[f.severity]} {','.join(props)}::{text}"


def format_verdict(note: NoteVerdict, output_format: str = "concise") -> str:
    """A note's verdict in a line-oriented output format (see format_finding)."""
    if output_format in ("concise", "full"):
        return verdict_line(note)
    if output_format == "github":
        where = [f"file={github_property(display_path(note.location.path))}"]
        if note.location.line:
            where.append(f"line={note.location.line}")
        where.append(f"title={github_property('invitepack verdict')}")
        label = f" ({note.label})" if note.label else ""
        return f"::error {','.join(where)}::{github_data(note.verdict.describe() + label)}"
    if output_format == "json":
        import json

        return json.dumps(note_dict(note), ensure_ascii=False)
    raise ValueError(f"{output_format!r} is not a line-oriented output format")
