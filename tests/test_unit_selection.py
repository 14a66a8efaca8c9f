"""Unit tests, in-process: which rules run (select, ignore, per-file ignores) and what a
template's suppression comments silence."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SEEKING_WORK

from invitepack.checks.findings import Finding, Rule
from invitepack.checks.selection import Selection, matches
from invitepack.checks.suppress import apply, suppressions, unused
from invitepack.errors import LoadError, Location
from invitepack.pack.template import parse_template

PITCH = Rule("IP301", "sales-pitch", "error", "s", "r", "h")
PURPOSE = Rule("IP202", "missing-purpose", "warning", "s", "r", "h")
UNUSED = Rule("IP712", "unused-suppression", "warning", "s", "r", "h", "template")
RULES = [PITCH, PURPOSE, UNUSED]


def finding(rule: Rule, path: Path | None = None, line: int = 1) -> Finding:
    return rule.at(Location(path, line), "m")


@pytest.mark.parametrize(
    ("selector", "hits"),
    [
        ("IP301", True),
        ("IP3", True),
        ("IP", True),
        ("sales-pitch", True),
        ("IP302", False),
        ("IP2", False),
        ("missing-purpose", False),
        ("sales", False),  # a name matches whole, never as a prefix
    ],
)
def test_a_selector_is_a_code_a_code_prefix_or_a_name(selector, hits):
    assert matches(selector, PITCH) is hits


def test_everything_is_enabled_by_default_and_unknown_codes_are_reported():
    selection = Selection(RULES)
    assert selection.enabled("IP301") and selection.enabled("IP202")
    assert selection.enabled("ACME101")  # a code no rule declares is not silently dropped


def test_select_keeps_only_what_it_names():
    selection = Selection(RULES, select=["IP3"])
    assert selection.enabled("IP301")
    assert not selection.enabled("IP202") and not selection.enabled("IP712")


def test_ignore_wins_over_select_and_takes_names():
    selection = Selection(RULES, select=["IP"], ignore=["missing-purpose"])
    assert selection.enabled("IP301") and not selection.enabled("IP202")


def test_an_unknown_selector_is_an_error_naming_it():
    with pytest.raises(LoadError, match=r"unknown rule selector.*IP999.*no-such-rule") as caught:
        Selection(
            RULES, select=["IP999"], ignore=["IP3"], per_file_ignores={"*": ("no-such-rule",)}
        )
    assert "invitepack rules" in (caught.value.hint or "")


def test_per_file_ignores_match_globs_relative_to_the_config_folder(tmp_path):
    legacy = tmp_path / "templates" / "legacy-invite.md"
    other = tmp_path / "templates" / "new-invite.md"
    selection = Selection(
        RULES, per_file_ignores={"templates/legacy-*.md": ("IP301",)}, base=tmp_path
    )
    assert not selection.enabled("IP301", legacy)
    assert selection.enabled("IP301", other)
    assert selection.enabled("IP202", legacy)  # only the rules it names
    assert selection.enabled("IP301")  # a finding without a file is never per-file ignored


def test_a_per_file_glob_may_name_the_file_alone(tmp_path):
    selection = Selection(RULES, per_file_ignores={"legacy-*.md": ("IP2",)}, base=tmp_path / "x")
    assert not selection.enabled("IP202", tmp_path / "deep" / "legacy-note.md")


def test_keep_filters_and_sorts_by_place(tmp_path):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    selection = Selection(RULES, ignore=["IP202"])
    kept = selection.keep(
        [finding(PITCH, b, 1), finding(PURPOSE, a, 1), finding(PITCH, a, 3), finding(PITCH, a, 2)]
    )
    assert [(f.location.path, f.location.line) for f in kept] == [(a, 2), (a, 3), (b, 1)]


# -- suppressions ------------------------------------------------------------------------------


def _template(tmp_path: Path, body_extra: str):
    path = tmp_path / "seeking-work-invite.md"
    template, problems = parse_template(SEEKING_WORK + body_extra, path)
    assert template is not None and not problems
    return template


def test_suppressions_are_parsed_with_their_selectors_reason_and_line(tmp_path):
    template = _template(
        tmp_path,
        "{# invitepack: disable=IP301,missing-purpose the detail is added by hand #}\n"
        "{#- invitepack: disable=IP2 -#}\n",
    )
    first, second = suppressions(template)
    assert first.selectors == ("IP301", "missing-purpose")
    assert first.reason == "the detail is added by hand"
    assert first.location.line == template.body_line + 1
    assert first.location.path == template.path
    assert second.selectors == ("IP2",) and second.reason == ""
    assert second.location.line == template.body_line + 2


def test_a_plain_jinja_comment_is_not_a_suppression(tmp_path):
    assert suppressions(_template(tmp_path, "{# disable=IP301 #}\n")) == []


def test_apply_drops_what_is_suppressed_and_records_which_selector_was_used(tmp_path):
    template = _template(tmp_path, "{# invitepack: disable=sales-pitch,IP202 why #}\n")
    active = suppressions(template)
    rules = {r.code: r for r in RULES}
    kept = apply([finding(PITCH), finding(UNUSED)], active, rules)
    assert [f.code for f in kept] == ["IP712"]
    assert active[0].used == {"sales-pitch"}
    (left,) = unused(active, UNUSED)
    assert left.code == "IP712" and "'IP202'" in left.message
    assert left.location == active[0].location


def test_a_finding_of_an_unknown_code_is_never_suppressed(tmp_path):
    template = _template(tmp_path, "{# invitepack: disable=IP #}\n")
    active = suppressions(template)
    stranger = Finding("ACME101", "house-rule", "error", "m", Location(None))
    assert apply([stranger], active, {r.code: r for r in RULES}) == [stranger]
    assert len(unused(active, UNUSED)) == 1


def test_every_used_selector_leaves_no_unused_finding(tmp_path):
    template = _template(tmp_path, "{# invitepack: disable=IP301 #}\n")
    active = suppressions(template)
    apply([finding(PITCH)], active, {r.code: r for r in RULES})
    assert unused(active, UNUSED) == []
