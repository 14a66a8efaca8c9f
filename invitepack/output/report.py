"""Reporters: the same outcome as concise or full text, JSON, SARIF 2.1.0 or GitHub annotations.

Each shows the findings and each note's verdict (send or revise, with the reasons)."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from invitepack import __version__
from invitepack.checks.findings import Finding, Rule
from invitepack.checks.results import NoteVerdict, Outcome
from invitepack.checks.verdict import REVISE, SEND
from invitepack.errors import Location
from invitepack.severities import SEVERITIES

JSON_SCHEMA_VERSION = 1
_SARIF_LEVEL = {"error": "error", "warning": "warning", "info": "note"}
_GITHUB_LEVEL = {"error": "error", "warning": "warning", "info": "notice"}


def _display_path(path: Path | None) -> str:
    if path is None:
        return "<stdin>"
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)


def _where(finding: Finding) -> str:
    return _place(finding.location)


def _place(loc: Location) -> str:
    parts = [_display_path(loc.path)]
    if loc.line is not None:
        parts.append(str(loc.line))
        if loc.column is not None:
            parts.append(str(loc.column))
    return ":".join(parts)


def _label(finding: Finding) -> str:
    return f" ({finding.label})" if finding.label else ""


def _escape(text: str) -> str:
    """Echoed input with control characters made visible."""
    return "".join(c if c.isprintable() or c == " " else f"\\u{ord(c):04x}" for c in text)


def _verdict_line(note: NoteVerdict) -> str:
    label = f" ({note.label})" if note.label else ""
    return f"{_place(note.location)}{label}: verdict {note.verdict.describe()}"


def _worth_a_line(outcome: Outcome) -> list[NoteVerdict]:
    """The verdicts text output shows: all but a clean "send" (silence means fit to send)."""
    return [v for v in outcome.verdicts if v.verdict.reasons or v.verdict.revise]


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
            f"{_escape(finding.message)}{_label(finding)}"
        )
    if output_format == "full":
        lines = [
            f"{lead}{finding.code} [{finding.severity}] {finding.name}{_label(finding)}",
            f"  {_escape(finding.message)}",
        ]
        if finding.hint:
            lines.append(f"  fix: {finding.hint}")
        if rule is not None:
            lines.append(f"  why: {rule.summary} (invitepack rules {finding.code})")
        return "\n".join(lines)
    if output_format == "github":
        return _github_annotation(finding)
    if output_format == "json":
        return json.dumps(
            {**finding_dict(finding), **({"where": where} if where else {})}, ensure_ascii=False
        )
    raise ValueError(f"{output_format!r} is not a line-oriented output format")


LINE_FORMATS = ("concise", "full", "github", "json")


def concise(outcome: Outcome) -> str:
    return "\n".join(
        [
            *(format_finding(f) for f in outcome.findings),
            *(_verdict_line(v) for v in _worth_a_line(outcome)),
        ]
    )


def full(outcome: Outcome) -> str:
    blocks = [format_finding(f, "full", rule=outcome.rules.get(f.code)) for f in outcome.findings]
    if _worth_a_line(outcome):
        blocks.append("\n".join(_verdict_line(v) for v in _worth_a_line(outcome)))
    return "\n\n".join(blocks)


def _location_dict(loc: Location) -> dict[str, Any]:
    return {
        "path": _display_path(loc.path) if loc.path else None,
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
        "location": _location_dict(f.location),
        "span": list(f.span) if f.span else None,
        "excerpt": f.excerpt,
        "label": f.label,
        "plugin": f.plugin,
    }


def _note_dict(note: NoteVerdict) -> dict[str, Any]:
    return {
        "location": _location_dict(note.location),
        "label": note.label,
        **note.verdict.as_dict(),
    }


def verdict_dict(outcome: Outcome) -> dict[str, Any]:
    """The run's verdict: "revise" if any note is to revise, with those notes' reasons, and
    every note's own verdict under "notes"."""
    notes = [_note_dict(v) for v in outcome.verdicts]
    to_revise = outcome.to_revise
    reasons = [
        {**r.as_dict(), "location": _location_dict(v.location), "label": v.label}
        for v in to_revise
        for r in v.verdict.reasons
        if r.contribution is None or r.contribution > 0
    ]
    return {"decision": REVISE if to_revise else SEND, "reasons": reasons, "notes": notes}


def as_json(outcome: Outcome) -> str:
    return json.dumps(
        {
            "schema_version": JSON_SCHEMA_VERSION,
            "tool": {"name": "invitepack", "version": __version__},
            "checked": outcome.checked,
            "verdict": verdict_dict(outcome),
            "findings": [finding_dict(f) for f in outcome.findings],
            "errors": [str(e) for e in (*outcome.failures, *outcome.errors)],
        },
        ensure_ascii=False,
        indent=2,
    )


def as_sarif(outcome: Outcome) -> str:
    ordered = sorted(outcome.rules.values(), key=lambda r: r.code)
    index = {r.code: i for i, r in enumerate(ordered)}
    results = []
    for f in outcome.findings:
        result: dict[str, Any] = {
            "ruleId": f.code,
            "level": _SARIF_LEVEL[f.severity],
            "message": {"text": f.message + _label(f)},
        }
        if f.code in index:
            result["ruleIndex"] = index[f.code]
        physical: dict[str, Any] = {
            "artifactLocation": {"uri": Path(_display_path(f.location.path)).as_posix()}
        }
        if f.location.line:
            physical["region"] = {
                "startLine": f.location.line,
                **({"startColumn": f.location.column} if f.location.column else {}),
            }
        result["locations"] = [{"physicalLocation": physical}]
        results.append(result)
    notifications = [
        {"level": "error", "message": {"text": str(e)}}
        for e in (*outcome.failures, *outcome.errors)
    ]
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "invitepack",
                "version": __version__,
                "informationUri": "https://pypi.org/project/invitepack/",
                "rules": [
                    {
                        "id": r.code,
                        "name": r.name,
                        "shortDescription": {"text": r.summary},
                        "fullDescription": {"text": r.rationale},
                        "help": {"text": r.hint},
                        "defaultConfiguration": {"level": _SARIF_LEVEL[r.severity]},
                    }
                    for r in ordered
                ],
            }
        },
        "results": results,
        "properties": {"verdict": verdict_dict(outcome)},
    }
    if notifications:
        run["invocations"] = [
            {"executionSuccessful": False, "toolExecutionNotifications": notifications}
        ]
    return json.dumps(
        {
            "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
            "version": "2.1.0",
            "runs": [run],
        },
        indent=2,
    )


def _github_property(text: str) -> str:
    return (
        text.replace("%", "%25")
        .replace("\r", "%0D")
        .replace("\n", "%0A")
        .replace(",", "%2C")
        .replace(":", "%3A")
    )


def _github_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _github_annotation(f: Finding) -> str:
    loc = f.location
    props = [f"file={_github_property(_display_path(loc.path))}"]
    if loc.line:
        props.append(f"line={loc.line}")
    if loc.column:
        props.append(f"col={loc.column}")
    props.append(f"title={_github_property(f'{f.code} {f.name}')}")
    return f"::{_GITHUB_LEVEL[f.severity]} {','.join(props)}::{_github_data(f.message + _label(f))}"


def format_verdict(note: NoteVerdict, output_format: str = "concise") -> str:
    """A note's verdict in a line-oriented output format (see format_finding)."""
    if output_format in ("concise", "full"):
        return _verdict_line(note)
    if output_format == "github":
        where = [f"file={_github_property(_display_path(note.location.path))}"]
        if note.location.line:
            where.append(f"line={note.location.line}")
        where.append(f"title={_github_property('invitepack verdict')}")
        label = f" ({note.label})" if note.label else ""
        return f"::error {','.join(where)}::{_github_data(note.verdict.describe() + label)}"
    if output_format == "json":
        return json.dumps(_note_dict(note), ensure_ascii=False)
    raise ValueError(f"{output_format!r} is not a line-oriented output format")


def github(outcome: Outcome) -> str:
    lines = [_github_annotation(f) for f in outcome.findings]
    lines += [format_verdict(note, "github") for note in outcome.to_revise]
    return "\n".join(lines)


@dataclass(frozen=True)
class Reporter:
    """One output format: how it prints an outcome, and whether it is for people (then the
    summary line follows on stderr) or for machines (stdout holds only the document)."""

    name: str
    render: Callable[[Outcome], str]
    for_people: bool


# Every output format, in `--output-format`'s order: a new format is one entry here.
REPORTERS = {
    r.name: r
    for r in (
        Reporter("concise", concise, True),
        Reporter("full", full, True),
        Reporter("json", as_json, False),
        Reporter("sarif", as_sarif, False),
        Reporter("github", github, False),
    )
}


def summary(outcome: Outcome) -> str:
    """One line for people, e.g. 'Found 3 problems (2 errors, 1 warning) in 4 notes.'"""
    plural = outcome.what + ("" if outcome.checked == 1 else "s")
    errors = len(outcome.failures) + len(outcome.errors)
    if errors:
        return (
            f"{errors} error{'' if errors == 1 else 's'} (see above) and "
            f"{len(outcome.findings)} finding(s) in {outcome.checked} {plural}: the result "
            "is incomplete."
        )
    revise = len(outcome.to_revise)
    verdict = (
        f"; {revise} of {len(outcome.verdicts)} to revise"
        if revise
        else ("; every one fit to send" if outcome.verdicts and outcome.findings else "")
    )
    if not outcome.findings and not revise:
        return f"All clear: {outcome.checked} {plural} checked."
    counts = {s: sum(f.severity == s for f in outcome.findings) for s in SEVERITIES}
    parts = ", ".join(f"{n} {s}{'' if n == 1 else 's'}" for s, n in counts.items() if n)
    total = len(outcome.findings)
    return (
        f"Found {total} problem{'' if total == 1 else 's'} ({parts}) in {outcome.checked} "
        f"{plural}{verdict}."
    )
