"""Unit tests, in-process: every reporter on one outcome, with its verdict; SARIF validated
against the SARIF 2.1.0 schema (a copy of the OASIS schema in tests/data)."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from conftest import DATA

from invitepack.checks.failures import PluginFailure
from invitepack.checks.findings import Rule
from invitepack.checks.results import NoteVerdict, Outcome
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
        "::error file=note.txt,line=1,col=9,title=IP301 sales-pitch::a pitch: 'our, widget'\\u0007"
    )  # a control character in a message is shown, never sent to the terminal (issue 13)
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


def test_one_formatter_per_finding_and_per_verdict(tmp_path):
    from invitepack.output.report import LINE_FORMATS, format_finding, format_verdict

    result = outcome(tmp_path)
    pitch, note = result.findings[0], result.verdicts[0]
    assert format_finding(pitch) == REPORTERS["concise"].render(result).splitlines()[0]
    assert format_finding(pitch, where="").startswith("IP301 [error] sales-pitch: ")
    assert json.loads(format_finding(pitch, "json"))["code"] == "IP301"
    assert format_verdict(note, "github") == REPORTERS["github"].render(result).splitlines()[-1]
    assert json.loads(format_verdict(note, "json"))["decision"] == "revise"
    assert set(LINE_FORMATS) <= set(REPORTERS)
    with pytest.raises(ValueError, match="sarif"):
        format_finding(pitch, "sarif")


@pytest.mark.parametrize("output_format", [None, "concise", "json", "github"])
def test_a_batch_reports_failing_rows_through_the_same_formatter(
    tmp_path, make_pack, output_format
):
    from conftest import SEEKING_WORK

    from invitepack.checks.checker import notes_checker
    from invitepack.output.batch import Batch, BatchOptions
    from invitepack.output.rows import RowSource
    from invitepack.pack.workspace import Workspace
    from invitepack.render.renderer import Renderer

    root = make_pack({"seeking-work-invite.md": SEEKING_WORK})
    workspace = Workspace(pack_spec=str(root), isolated=True)
    template = workspace.pack.templates["seeking-work-invite"]
    data = tmp_path / "people.csv"
    secret = "https://buy.example.com/secret-offer"
    data.write_text(f"id,name,field,detail\np1,Ada,data,{secret}\n", encoding="utf-8")
    lines: list[str] = []
    batch = Batch(
        template,
        Renderer.for_workspace(workspace),
        notes_checker(workspace),
        BatchOptions(out_dir=tmp_path / "out"),
        report=lines.append,
        output_format=output_format,
    )
    result = batch.run(RowSource(data, id_column="id"))
    assert result.failed == 1 and result.written == 0
    assert lines and not any(secret in line or "buy.example" in line for line in lines)
    if output_format is None:
        assert lines[0].startswith("row 1 (id p1): ")
    elif output_format == "json":
        records = [json.loads(line) for line in lines]
        assert any(r.get("label") == "row 1 (id p1)" for r in records)
    elif output_format == "github":
        assert all(line.startswith("::") for line in lines)
    else:
        assert any(line.startswith("people.csv:2: ") for line in lines)
