"""The language server's analysis without a client: where findings land in the file, that
a half-typed file never raises, settings reload, verdicts, and the version-bump fix."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from invitepack.lsp.diagnostics import analyse
from invitepack.lsp.packstate import PackStates

MANIFEST = 'name: t\nversion: "1.0.0"\ndescription: d\ninvitepack: ">=0.1"\n'
TEMPLATE = """\
---
id: hello-invite
version: "1.0.0"
scenario: genuine-networking
channel: linkedin-invite
title: Hello
description: Say hello.
guidance: Use it.
variables:
  type: object
  properties:
    name: {type: string, description: Your first name, minLength: 1, maxLength: 20}
    detail: {type: string, description: What you saw, minLength: 1, maxLength: 60}
  required: [name, detail]
examples:
  - {name: Ada, detail: your post on dbt tests}
  - {name: Bob, detail: your talk at PyCon}
---
Hi [Name], I'm {{ name }}.
{% if detail %}
I enjoyed {{ detail }} a lot.
{% endif %}
Would you like to connect? XYZ
"""
BODY = 18  # 0-based line of the body's first line


@pytest.fixture
def pack(tmp_path: Path) -> Path:
    root = tmp_path / "pack"
    (root / "templates").mkdir(parents=True)
    (root / "pack.yaml").write_text(MANIFEST, encoding="utf-8")
    (root / "templates" / "hello-invite.md").write_text(TEMPLATE, encoding="utf-8")
    return root


def run(pack: Path, text: str = TEMPLATE, states: PackStates | None = None):  # type: ignore[no-untyped-def]
    path = pack / "templates" / "hello-invite.md"
    state = (states or PackStates()).for_file(path)
    assert state is not None
    return analyse(state, path, text)


def spans(analysis, code):  # type: ignore[no-untyped-def]
    lines = analysis.lines
    return [
        (p.start[0], lines[p.start[0]][p.start[1] : p.end[1]])
        for p in analysis.problems
        if p.code == code
    ]


def test_body_findings_land_on_the_text_that_caused_them(pack: Path) -> None:
    analysis = run(pack)
    found = spans(analysis, "IP501")
    # [Name] on the first body line; XYZ after the {% endif %}, four lines further down.
    assert (BODY, "[Name]") in found
    assert (BODY + 4, "XYZ") in found
    merged = next(p for p in analysis.problems if p.code == "IP501" and "[Name]" in p.message)
    assert merged.labels == ["example 1", "example 2"]
    assert [r[0][0] for r in merged.related] == [15, 16]  # the examples, as related places


def test_undeclared_variable_points_at_its_use(pack: Path) -> None:
    text = TEMPLATE.replace("I enjoyed {{ detail }}", "I enjoyed {{ detail }} at {{ company }}")
    assert spans(run(pack, text), "IP704") == [(BODY + 2, "company")]


def test_budget_per_example(pack: Path) -> None:
    analysis = run(pack)
    assert [(b.line, b.title.split(" · ")[0]) for b in analysis.budgets] == [
        (15, "example 1: 90/200"),
        (16, "example 2: 86/200"),
    ]


def test_broken_yaml_is_a_problem_at_its_line_and_the_body_is_still_checked(pack: Path) -> None:
    text = TEMPLATE.replace("title: Hello", "title: [Hello").replace("{% endif %}", "")
    analysis = run(pack, text)
    assert [p.start[0] for p in analysis.problems if p.code == "IP700"] == [6]
    assert [p.code for p in analysis.problems if p.code == "IP702"] == ["IP702"]
    assert set(analysis.properties) == set()  # the front matter did not parse at all


def test_every_prefix_of_a_template_is_analysed_without_raising(pack: Path) -> None:
    states = PackStates()
    for end in range(0, len(TEMPLATE), 5):
        analysis = run(pack, TEMPLATE[:end], states)
        assert not analysis.log, (end, analysis.log)


def test_config_change_is_picked_up(pack: Path) -> None:
    states = PackStates()
    assert spans(run(pack, states=states), "IP501")
    (pack / "invitepack.toml").write_text('ignore = ["leftover-placeholder"]\n', encoding="utf-8")
    assert not spans(run(pack, states=states), "IP501")


def test_verdict_on_each_example(pack: Path) -> None:
    analysis = run(pack)
    # A leftover placeholder is a hard rule: both examples are to revise, and say why.
    assert all(" · revise" in b.title and "IP501" in b.title for b in analysis.budgets)
    notes = [p for p in analysis.problems if p.message.startswith("example 1: revise")]
    assert notes and notes[0].start[0] == 15 and notes[0].severity == "info"
    clean = TEMPLATE.replace("Hi [Name], ", "Hi, ").replace(" XYZ", "")
    assert all(b.verdict is not None for b in run(pack, clean).budgets)


def test_version_bump_action_when_the_bump_rule_fires(pack: Path) -> None:
    pytest.importorskip("lsprotocol")
    from lsprotocol import types

    from invitepack.lsp.features import code_actions, diagnostic

    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com"]
    subprocess.run([*git, "init", "-q"], cwd=pack, check=True)
    subprocess.run([*git, "add", "."], cwd=pack, check=True)
    subprocess.run([*git, "commit", "-qm", "start"], cwd=pack, check=True)
    changed = TEMPLATE.replace("a lot", "very much")
    analysis = run(pack, changed)
    bump = [p for p in analysis.problems if p.code == "IP713"]
    assert len(bump) == 1 and bump[0].start[0] == 2  # at the version line
    uri = (pack / "templates" / "hello-invite.md").as_uri()
    actions = code_actions(analysis, changed.split("\n"), uri, [diagnostic(bump[0], uri)])
    titles = [a.title for a in actions]
    assert titles[:3] == [
        "Bump the version to 1.0.1 (patch)",
        "Bump the version to 1.1.0 (minor)",
        "Bump the version to 2.0.0 (major)",
    ]
    edit = actions[0].edit.changes[uri][0]  # type: ignore[union-attr,index]
    assert edit.new_text == '"1.0.1"' and edit.range.start == types.Position(line=2, character=9)
    lines = changed.split("\n")
    lines[2] = lines[2][:9] + edit.new_text + lines[2][edit.range.end.character :]
    assert not [p for p in run(pack, "\n".join(lines)).problems if p.code == "IP713"]


def test_base_install_and_check_do_not_import_pygls() -> None:
    code = (
        "import sys; from invitepack.cli import cli; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('pygls', 'lsprotocol')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert out.stdout.strip() == "[]"
