"""The built-in pack: complete, clean, and every example rendered into a reviewed snapshot.

Snapshots live in tests/golden/<template-id>.<n>.txt. After changing a template on purpose,
refresh them with:  INVITEPACK_UPDATE_GOLDEN=1 python -m pytest tests/test_builtin_pack.py
and review the diff like any other change.
"""

from __future__ import annotations

import os
import re
from collections import Counter
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


# Every scenario the pack promises, with the channels each must have.
SCENARIOS = {
    "seeking-work": {"linkedin-invite", "linkedin-message", "email"},
    "offering-skills": {"linkedin-invite", "linkedin-message", "email", "linkedin-inmail"},
    "freelance-offer": {"linkedin-invite", "email"},
    "genuine-networking": {"linkedin-invite", "linkedin-message", "email"},
    "candidate-approach": {"linkedin-invite", "linkedin-message", "email", "linkedin-inmail"},
    "recruiter-reply": {"linkedin-message", "email"},
    "polite-decline": {"linkedin-message", "email"},
    "follow-up": {"linkedin-message", "email"},
    "warm-intro": {"linkedin-invite", "linkedin-message", "email"},
    "peer-exchange": {"linkedin-invite", "linkedin-message"},
    "reconnect": {"linkedin-invite", "linkedin-message"},
    "interview-thank-you": {"email"},
    "invite-reply": {"linkedin-message"},
    "thank-you-for-help": {"linkedin-invite", "linkedin-message", "email"},
    "thank-you-for-connecting": {"linkedin-message"},
    "event-follow-up": {"linkedin-invite"},
    "informational-chat": {"linkedin-invite"},
    "referral-request": {"linkedin-invite", "linkedin-message"},
}
# What a reader recognised as template text in the 1.x pack.
STOCK = ("enjoyed", "no worries", "no pressure", "thanks either way", "thanks for connecting")
TEMPLATES = sorted(PACK.templates.values(), key=lambda t: t.id)
CHANNELS = load_channels()


def _tier(template):
    return template.account or "free"


def test_every_listed_scenario_is_present_on_its_channels():
    for scenario, channels in SCENARIOS.items():
        have = {t.channel for t in TEMPLATES if t.scenario == scenario}
        assert channels <= have, f"{scenario} lacks {sorted(channels - have)}"
    assert {t.scenario for t in TEMPLATES} == set(SCENARIOS), "list new scenarios above"
    for scenario in TALK_SCENARIOS:
        assert any(t.account == "premium" for t in TEMPLATES if t.scenario == scenario), scenario
    # A recruiter closes the loop with a no as well as answering yes.
    assert {t.variant for t in TEMPLATES if t.scenario == "recruiter-reply"} >= {None, "no"}


def test_every_template_names_the_sender_and_has_two_examples():
    for template in TEMPLATES:
        assert len(template.examples) >= 2, template.id
        assert "name" in template.required, f"{template.id} must say who is writing"
        for spec in template.variables["properties"].values():
            assert spec.get("description") and spec.get("maxLength"), template.id


def test_every_template_is_about_this_person_or_this_conversation():
    # `detail` mostly; why_you where the reason to ask is the point; news in a follow-up;
    # the offer being declined.
    for template in TEMPLATES:
        assert {"detail", "why_you", "news", "offer"} & set(template.required), template.id
        description = template.variables["properties"].get("detail", {}).get("description", "")
        if description and template.scenario not in (
            "thank-you-for-help",
            "warm-intro",
            "invite-reply",
        ):
            # A detail about them: show what a generic one looks like.
            assert "your profile" in description and "your great content" in description, (
                f"{template.id}: say what a generic detail looks like"
            )


def test_the_reason_to_ask_this_person_is_required():
    for template in TEMPLATES:
        if template.scenario in ("seeking-work", "referral-request"):
            assert "why_you" in template.required, template.id
        if template.scenario == "referral-request":
            assert "why_me" in template.required, template.id
        if template.scenario == "follow-up":
            assert "news" in template.required, f"{template.id}: a follow-up brings something new"
        if template.scenario == "candidate-approach":
            assert {"name", "company"} <= set(template.required), template.id
            assert "current_role" not in template.variables["properties"], template.id


def test_a_message_after_acceptance_adds_what_the_invitation_could_not():
    for scenario in TALK_SCENARIOS:
        invite = PACK.find(scenario)
        message = PACK.find(scenario, "linkedin-message")
        new = set(message.required) - set(invite.variables["properties"])
        assert new, f"{message.id} only repeats {invite.id}"


def test_one_cap_per_variable_name_across_sibling_templates():
    caps: dict[tuple[str, str], dict[int, list[str]]] = {}
    for template in TEMPLATES:
        for name, spec in template.variables["properties"].items():
            caps.setdefault((template.scenario, name), {}).setdefault(spec["maxLength"], []).append(
                template.id
            )
    for (scenario, name), found in caps.items():
        assert len(found) == 1, f"{scenario}: {name} is capped differently: {found}"


def _worst(template, source=None):
    """The longest rendering with every variable at its maxLength, optional ones both ways."""
    full = {n: "W" * s["maxLength"] for n, s in template.variables["properties"].items()}
    sparse = {n: (v if n in template.required else "") for n, v in full.items()}
    render = RENDERER.render_subject if source == "subject" else RENDERER.render_body
    return max(
        len((render(template, values) or "").encode("utf-16-le")) // 2 for values in (full, sparse)
    )


def test_worst_cases_fit_invites_inmail_and_subjects():
    for template in TEMPLATES:
        channel = CHANNELS[template.channel]
        limit = channel.limit_for(_tier(template))
        if channel.is_invite:
            assert _worst(template) <= limit, template.id
        if template.channel == "linkedin-inmail" or template.scenario == "candidate-approach":
            assert _worst(template) <= 400, f"{template.id}: replies drop past 400 characters"
        if template.subject is not None:
            assert _worst(template, "subject") <= 50, f"{template.id}: subject over 50"


def test_examples_fit_with_room_to_spare():
    for template in TEMPLATES:
        limit = CHANNELS[template.channel].limit_for(_tier(template))
        for values in template.examples:
            message = RENDERER.render(template, values, account=_tier(template), strict=True)
            if limit:
                assert message.length <= limit * 0.95, (
                    f"{template.id}: an example is near the limit"
                )


def _notes():
    for template in TEMPLATES:
        for values in template.examples:
            message = RENDERER.render(template, values, account=_tier(template))
            yield template.id, ((message.subject or "") + "\n" + message.body), message.values


def _phrases(text, values, n=3):
    """Every run of n words of the template's own text (never across a variable's value or a
    sentence end), lower-cased."""
    pieces = [text]
    for value in sorted(
        {v for v in values.values() if isinstance(v, str) and v.strip()}, key=len, reverse=True
    ):
        pieces = [part for piece in pieces for part in piece.split(value)]
    found = set()
    for piece in pieces:
        for clause in re.split(r"[.!?;:()\n]", piece.lower()):
            words = re.findall(r"[a-z0-9]+(?:['\u2019][a-z]+)?", clause)
            found |= {" ".join(words[i : i + n]) for i in range(len(words) - n + 1)}
    return found


def test_no_phrase_in_more_than_a_quarter_of_the_rendered_examples():
    notes = list(_notes())
    counts = Counter(phrase for _, text, values in notes for phrase in _phrases(text, values))
    common = [(phrase, count) for phrase, count in counts.most_common(5) if count > len(notes) / 4]
    assert not common, f"stock phrases across {len(notes)} notes: {common}"


def test_the_old_stock_phrases_are_gone():
    for template in TEMPLATES:
        text = " ".join(template.body.lower().split())
        assert not [p for p in STOCK if p in text], template.id
    greetings = Counter(t.body.split("{{")[0].strip().lower() for t in TEMPLATES)
    assert greetings.most_common(1)[0][1] <= len(TEMPLATES) / 2, greetings


def test_premium_account_renders_a_long_detail_with_the_premium_variant(cli, tmp_path):
    result = cli(
        "render", "seeking-work", "--account", "premium", "--pack", "builtin",
        "--name", "Ada", "--recipient", "Priya", "--field", "data engineering",
        "--detail", "your talk at PyData London about feature stores in production",
        "--why-you", "you hire for Wise's platform team",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "your talk at PyData London about feature stores in production" in result.stdout
    assert (
        "linkedin-invite (premium account)" in result.stderr and "/300 characters" in result.stderr
    )
    assert PACK.find("seeking-work", account="premium").id == "seeking-work-invite-premium"


def test_a_note_over_the_limit_is_refused_with_the_shorter_variant_named(cli):
    result = cli(
        "render", "seeking-work", "--pack", "builtin", "--name", "Ada", "--recipient", "Priya",
        "--field", "data engineering", "--why-you", "you hire for Wise's platform team and Ocado's",
        "--detail", "your talk at PyData London about feature stores in production",
    )  # fmt: skip
    assert result.returncode == 1 and result.stdout == ""
    assert "too long for linkedin-invite (free account)" in result.stderr
    assert "try seeking-work-invite-brief" in result.stderr and "--account premium" in result.stderr


def test_pack_version_and_changelog():
    assert PACK.version.startswith("2.")
    changelog = (PACK.root / "CHANGELOG.md").read_text(encoding="utf-8")
    assert f"## {PACK.version}" in changelog
    latest = changelog.split(f"## {PACK.version}", 1)[1].split("\n## ", 1)[0]
    ids = {template.id for template in TEMPLATES}
    named = set(re.findall(r"`([a-z0-9-]+)`", latest))
    assert named & ids, "the latest entry names the templates it changed"
    # The major version's entry says what changed in each template, and how to migrate.
    major = f"## {PACK.version.split('.')[0]}.0.0"
    since_major = changelog.split(major, 1)[1].split("\n## ", 1)[0]
    for template_id in ids:
        assert f"`{template_id}`" in since_major, template_id
    assert "How to migrate" in since_major


def test_every_scenario_a_rule_reacts_to_is_a_pack_or_labelled_scenario():
    """A scenario renamed in the pack must not silently lose its policy in the rules (the old
    `thank-you-after-accepting` kept one for a scenario no template had any more)."""
    from invitepack.checks.checker import known_scenarios

    labelling = (Path(__file__).parent / "data" / "real" / "LABELLING.md").read_text("utf-8")
    listed = labelling.split("## scenario (use only these)")[1].split(".\n")[0]
    labelled = {name.split(" (")[0].strip() for name in listed.replace("\n", " ").split(",")}
    pack = {t.scenario for t in PACK.templates.values()}
    assert "thank-you" in labelled and "thank-you-for-connecting" in pack
    # known_scenarios: the pack's own and every scenario the built-in rules react to.
    assert known_scenarios(PACK) - pack - labelled == set()
