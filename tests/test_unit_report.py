"""Unit tests, in-process: every reporter on one outcome, with its verdict; SARIF validated
against the SARIF 2.1.0 schema (a copy of the OASIS schema in tests/data)."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from conftest import DATA

from invitepack.checks.findings import Rule
from invitepack.checks.results import NoteVerdict, Outcome, PluginFailure
from invitepack.checks.verdict import judge
from invitepack.errors import Location
from invitepack.output.report import REPORTERS, summary

PITCH = Rule("IP301", "sales-pitch", "error", "Sells.", "Why selling hurts.", "Ask instead.")
PURPOSE = Rule("IP202", "missing-purpose", "warning", "No purpose.", "Why.", "Say what.")


def outcome(tmp_path: Path, *, failure: bool = False) -> Outcome:
    note = tmp_path / "note.txt"
    pitch = PITCH.at(Location(note, 1, 9), "a pitch: 'our, widget'\x07", span=(8, 14))
    purpose = PURPOSE.at(Location(note, 2), "no purpose")
    clean = tmp_path / "clean.txt"
    return Outcome(
        findings=[pitch, purpose],
        verdicts=[
            NoteVerdict(Location(note, 1), None, judge([pitch, purpose])),
            NoteVerdict(Location(clean, 1), None, judge([])),
        ],
        failures=[PluginFailure("acme", "invitepack_check_message", "boom", note)]
        if failure
        else [],
        checked=2,
        rules={r.code: r for r in (PITCH, PURPOSE)},
    )


@pytest.fixture(autouse=True)
def _relative_paths(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # reporters show paths relative to the current folder


def test_the_registry_holds_every_format_in_the_cli_order():
    assert list(REPORTERS) == ["concise", "full", "json", "sarif", "github"]
    assert [r.for_people for r in REPORTERS.values()] == [True, True, False, False, False]


def test_concise_is_one_line_per_finding_then_the_verdicts_worth_a_line(tmp_path):
    lines = REPORTERS["concise"].render(outcome(tmp_path)).splitlines()
    assert lines[0] == (
        "note.txt:1:9: IP301 [error] sales-pitch: a pitch: 'our, widget'\\u0007"
    )  # control characters in echoed input are made visible
    assert lines[1] == "note.txt:2: IP202 [warning] missing-purpose: no purpose"
    assert lines[2].startswith("note.txt:1: verdict revise: sales pitch (IP301, must fix)")
    assert len(lines) == 3  # a clean "send" is silent


def test_full_explains_each_finding_with_fix_and_why(tmp_path):
    text = REPORTERS["full"].render(outcome(tmp_path))
    blocks = text.split("\n\n")
    assert blocks[0].splitlines() == [
        "note.txt:1:9: IP301 [error] sales-pitch",
        "  a pitch: 'our, widget'\\u0007",
        "  fix: Ask instead.",
        "  why: Sells. (invitepack rules IP301)",
    ]
    assert blocks[-1].startswith("note.txt:1: verdict revise:")


def test_json_has_the_findings_the_verdict_and_the_errors(tmp_path):
    data = json.loads(REPORTERS["json"].render(outcome(tmp_path, failure=True)))
    assert data["schema_version"] == 1 and data["tool"]["name"] == "invitepack"
    assert data["checked"] == 2
    first = data["findings"][0]
    assert first["code"] == "IP301" and first["severity"] == "error"
    assert first["location"] == {"path": "note.txt", "line": 1, "column": 9}
    assert first["span"] == [8, 14] and first["hint"] == "Ask instead."
    verdict = data["verdict"]
    assert verdict["decision"] == "revise"
    assert verdict["reasons"][0]["code"] == "IP301"
    assert all(r["location"]["path"] == "note.txt" for r in verdict["reasons"])
    assert [n["decision"] for n in verdict["notes"]] == ["revise", "send"]
    assert data["errors"] == [
        "plugin 'acme' failed in invitepack_check_message while checking "
        f"{tmp_path / 'note.txt'}: boom"
    ]


def test_json_of_a_clean_run_says_send(tmp_path):
    clean = Outcome(checked=1, verdicts=[NoteVerdict(Location(None, 1), None, judge([]))])
    data = json.loads(REPORTERS["json"].render(clean))
    assert data["verdict"] == {
        "decision": "send",
        "reasons": [],
        "notes": [
            {
                "location": {"path": None, "line": 1, "column": None},
                "label": None,
                **judge([]).as_dict(),
            }
        ],
    }
    assert data["findings"] == [] and data["errors"] == []


@pytest.mark.parametrize("failure", [False, True])
def test_sarif_is_valid_sarif_2_1_0_and_carries_the_verdict(tmp_path, failure):
    schema = json.loads((DATA / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    sarif = json.loads(REPORTERS["sarif"].render(outcome(tmp_path, failure=failure)))
    jsonschema.Draft7Validator(schema).validate(sarif)
    run = sarif["runs"][0]
    assert [r["id"] for r in run["tool"]["driver"]["rules"]] == ["IP202", "IP301"]
    first = run["results"][0]
    assert first["ruleId"] == "IP301" and first["ruleIndex"] == 1 and first["level"] == "error"
    assert first["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "note.txt"},
        "region": {"startLine": 1, "startColumn": 9},
    }
    assert run["results"][1]["level"] == "warning"
    assert run["properties"]["verdict"]["decision"] == "revise"
    assert ("invocations" in run) is failure


def test_github_annotations_escape_properties_and_add_an_error_per_note_to_revise(tmp_path):
    lines = REPORTERS["github"].render(outcome(tmp_path)).splitlines()
    assert lines[0] == (
        "::error file=note.txt,line=1,col=9,title=IP301 sales-pitch::a pitch: 'our, widget'\x07"
    )
    assert lines[1].startswith("::warning file=note.txt,line=2,title=IP202 missing-purpose::")
    assert lines[2].startswith("::error file=note.txt,line=1,title=invitepack verdict::revise:")
    assert len(lines) == 3


def test_summary_counts_problems_verdicts_and_errors(tmp_path):
    assert summary(outcome(tmp_path)) == (
        "Found 2 problems (1 error, 1 warning) in 2 notes; 1 of 2 to revise."
    )
    assert summary(outcome(tmp_path, failure=True)).startswith(
        "1 error (see above) and 2 finding(s) in 2 notes: the result is incomplete."
    )
    assert summary(Outcome(checked=1)) == "All clear: 1 note checked."
