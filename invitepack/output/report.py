"""Reporters: the same outcome as concise or full text, JSON, SARIF 2.1.0 or GitHub annotations.

Each shows the findings and each note's verdict (send or revise, with the reasons)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from invitepack import __version__
from invitepack.checks.results import NoteVerdict, Outcome
from invitepack.checks.verdict import REVISE, SEND
from invitepack.output.formats import (
    LINE_FORMATS,
    display_path,
    finding_dict,
    format_finding,
    format_verdict,
    github_annotation,
    github_data,
    label_suffix,
    location_dict,
    note_dict,
    verdict_line,
)
from invitepack.records import Record
from invitepack.severities import SEVERITIES

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

# What callers import from here; the one-finding formats are formats.py's, re-exported.
__all__ = [
    "LINE_FORMATS",
    "REPORTERS",
    "Reporter",
    "finding_dict",
    "format_finding",
    "format_verdict",
    "summary",
    "verdict_dict",
]

JSON_SCHEMA_VERSION = 1
_SARIF_LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def _worth_a_line(outcome: Outcome) -> list[NoteVerdict]:
    """The verdicts text output shows: all but a clean, clear "send" (silence means fit to
    send; a close call is said even with no reason against it)."""
    return [v for v in outcome.verdicts if v.verdict.reasons or v.verdict.revise or v.verdict.close]


def concise(outcome: Outcome) -> str:
    return "\n".join(
        [
            *(format_finding(f) for f in outcome.findings),
            *(verdict_line(v) for v in _worth_a_line(outcome)),
        ]
    )


def full(outcome: Outcome) -> str:
    blocks = [format_finding(f, "full", rule=outcome.rules.get(f.code)) for f in outcome.findings]
    if _worth_a_line(outcome):
        blocks.append("\n".join(verdict_line(v) for v in _worth_a_line(outcome)))
    return "\n\n".join(blocks)


def verdict_dict(outcome: Outcome) -> dict[str, Any]:
    """The run's verdict: "revise" if any note is to revise, with those notes' reasons, and
    every note's own verdict under "notes"."""
    notes = [note_dict(v) for v in outcome.verdicts]
    to_revise = outcome.to_revise
    reasons = [
        {**r.as_dict(), "location": location_dict(v.location), "label": v.label}
        for v in to_revise
        for r in v.verdict.reasons
        if r.contribution is None or r.contribution > 0
    ]
    return {"decision": REVISE if to_revise else SEND, "reasons": reasons, "notes": notes}


def as_json(outcome: Outcome) -> str:
    import json  # only for JSON output: a plain check's report need not import it

    return json.dumps(
        {
            "schema_version": JSON_SCHEMA_VERSION,
            "tool": {"name": "invitepack", "version": __version__},
            "checked": outcome.checked,
            "verdict": verdict_dict(outcome),
            "findings": [finding_dict(f) for f in outcome.findings],
            "errors": [str(e) for e in (*outcome.failures, *outcome.errors)],
            "notices": list(outcome.notices),
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
            "message": {"text": f.message + label_suffix(f)},
        }
        if f.code in index:
            result["ruleIndex"] = index[f.code]
        physical: dict[str, Any] = {
            "artifactLocation": {"uri": Path(display_path(f.location.path)).as_posix()}
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
    notes = [{"level": "note", "message": {"text": n}} for n in outcome.notices]
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
    if notifications or notes:
        run["invocations"] = [
            {
                "executionSuccessful": not notifications,
                "toolExecutionNotifications": notifications + notes,
            }
        ]
    import json

    return json.dumps(
        {
            "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
            "version": "2.1.0",
            "runs": [run],
        },
        indent=2,
    )


def github(outcome: Outcome) -> str:
    lines = [github_annotation(f) for f in outcome.findings]
    lines += [format_verdict(note, "github") for note in outcome.to_revise]
    lines += [f"::notice title=invitepack::{github_data(n)}" for n in outcome.notices]
    return "\n".join(lines)


class Reporter(Record):
    """One output format: how it prints an outcome, and whether it is for people (then the
    summary line follows on stderr) or for machines (stdout holds only the document)."""

    __slots__ = ("for_people", "name", "render")
    name: str
    render: Callable[[Outcome], str]
    for_people: bool

    def __init__(self, name: str, render: Callable[[Outcome], str], for_people: bool) -> None:
        self._fill(name, render, for_people)


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
    close = sum(note.verdict.close for note in outcome.verdicts)
    calls = f" ({close} close call{'' if close == 1 else 's'})" if close else ""
    if not outcome.findings and not revise:
        return f"All clear: {outcome.checked} {plural} checked{calls}."
    if verdict:
        verdict += calls
    counts = {s: sum(f.severity == s for f in outcome.findings) for s in SEVERITIES}
    parts = ", ".join(f"{n} {s}{'' if n == 1 else 's'}" for s, n in counts.items() if n)
    total = len(outcome.findings)
    return (
        f"Found {total} problem{'' if total == 1 else 's'} ({parts}) in {outcome.checked} "
        f"{plural}{verdict}."
    )
