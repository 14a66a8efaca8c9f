"""The built-in pack: complete, clean, and every example rendered into a reviewed snapshot.

Snapshots live in tests/golden/<template-id>.<n>.txt. After changing a template on purpose,
refresh them with:  INVITEPACK_UPDATE_GOLDEN=1 python -m pytest tests/test_builtin_pack.py
and review the diff like any other change.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from invitepack.pack.channels import load_channels
from invitepack.pack.limits import Limits
from invitepack.pack.loader import load_pack
from invitepack.pack.resources import bundled_dir
from invitepack.render.renderer import Renderer

GOLDEN = Path(__file__).resolve().parent / "golden"
PACK = load_pack(bundled_dir("templates"), Limits())
RENDERER = Renderer(PACK.root)
TALK_SCENARIOS = ("seeking-work", "offering-skills", "genuine-networking", "candidate-approach")
UPDATE = bool(os.environ.get("INVITEPACK_UPDATE_GOLDEN"))


def _snapshot(template_id: str, index: int) -> str:
    template = PACK.templates[template_id]
    message = RENDERER.render(template, template.examples[index])
    head = f"Subject: {message.subject}\n\n" if message.subject is not None else ""
    return head + message.body + "\n"


CASES = [
    (t.id, i)
    for t in sorted(PACK.templates.values(), key=lambda t: t.id)
    for i in range(len(t.examples))
]


@pytest.mark.parametrize(("template_id", "index"), CASES, ids=[f"{t}.{i + 1}" for t, i in CASES])
def test_example_matches_its_snapshot(template_id, index):
    path = GOLDEN / f"{template_id}.{index + 1}.txt"
    rendered = _snapshot(template_id, index)
    if UPDATE:
        path.parent.mkdir(exist_ok=True)
        path.write_text(rendered, encoding="utf-8")
    assert path.exists(), (
        f"no snapshot for {template_id} example {index + 1}: run "
        f"INVITEPACK_UPDATE_GOLDEN=1 python -m pytest {__file__}"
    )
    assert rendered == path.read_text(encoding="utf-8"), (
        f"{path.name} is stale: the template renders differently now. If that is "
        "intended, refresh with "
        "INVITEPACK_UPDATE_GOLDEN=1 python -m pytest tests/test_builtin_pack.py and "
        "review the diff."
    )


def test_no_orphan_snapshots():
    expected = {f"{t}.{i + 1}.txt" for t, i in CASES}
    assert {p.name for p in GOLDEN.glob("*.txt")} == expected


def test_scenarios_and_channels():
    scenarios = {t.scenario for t in PACK.templates.values()}
    assert len(scenarios) >= 9
    for scenario in scenarios:
        assert any(
            t.channel == "linkedin-invite"
            for t in PACK.templates.values()
            if t.scenario == scenario
        )
    for scenario in TALK_SCENARIOS:
        channels = {t.channel for t in PACK.templates.values() if t.scenario == scenario}
        assert {"linkedin-invite", "linkedin-message", "email"} <= channels, scenario
    for scenario in ("candidate-approach", "offering-skills"):
        assert any(
            t.channel == "linkedin-inmail"
            for t in PACK.templates.values()
            if t.scenario == scenario
        )


def test_every_template_has_two_examples_and_a_required_detail():
    for template in PACK.templates.values():
        assert len(template.examples) >= 2, template.id
        assert "detail" in template.required, (
            f"{template.id} must require the specific detail about the person"
        )
        for spec in template.variables["properties"].values():
            assert spec.get("description") and spec.get("maxLength"), template.id


def test_every_invite_fits_200_units_at_its_worst_case():
    limit = load_channels()["linkedin-invite"].limit_for("free")
    for template in (t for t in PACK.templates.values() if t.channel == "linkedin-invite"):
        longest = {
            name: "W" * spec["maxLength"] for name, spec in template.variables["properties"].items()
        }
        body = RENDERER.render_body(template, longest)
        assert len(body.encode("utf-16-le")) // 2 <= limit, template.id


def test_candidate_approach_reflects_the_current_role():
    # The easy way to say no is checked by rule IP402 on every example (test_validate.py).
    for template in (t for t in PACK.templates.values() if t.scenario == "candidate-approach"):
        assert "current_role" in template.required and "current_role" in template.body, template.id


def test_pack_version_and_changelog():
    assert PACK.version.startswith("1.")
    changelog = (PACK.root / "CHANGELOG.md").read_text(encoding="utf-8")
    assert PACK.version in changelog
