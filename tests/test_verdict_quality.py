"""The verdict against people, on real published notes (tests/data/real/): a floor per half, so
a change that makes the verdict worse on notes nobody wrote for invitepack fails.

The floors sit a little under the figures the README reports; `python tests/verdict_quality.py
test -v` prints the table and every misjudged note with its reasons.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from verdict_quality import REAL, all_notes, evaluate, load, render

FLOORS = {
    # Tuned on: the rules were revised after reading its misjudged notes. Each floor sits just
    # under the figure of the last fit (docs/judgement-history.md has every figure and what moved
    # it). Now 0.817, 0.848, 0.794 and 0.887 on 1,778 notes (0.2.21: c82-c87's press, investor,
    # link-selling and notice emails brought accuracy under 0.82, precision under 0.85 and
    # generic recall under 0.89); 0.823, 0.855, 0.803 and 0.897 on 1,660 (0.2.20); 0.821,
    # 0.858, 0.799 and 0.897 on 0.2.19's 1,540 (c73-c75's sales pitches
    # after connecting and templated free offers brought recall under 0.80 and generic recall
    # under 0.90); 0.823,
    # 0.860, 0.800 and 0.904 on 0.2.18's 1,478 (c70-c72's recruiters and LinkedIn template
    # collections brought generic recall under 0.91); 0.823, 0.856, 0.804 and 0.912 on 0.2.17's
    # 1,415 (c64-c69, from the hardest ground yet, brought precision under 0.86).
    "dev": {"accuracy": 0.81, "bad_precision": 0.84, "bad_recall": 0.79, "generic_recall": 0.88},
    # Measured only (sixty looks in all; docs/judgement-history.md lists them). Now 0.742,
    # 0.782, 0.708 and 0.839 on 1,365 notes at the fifty-sixth (0.2.21); 0.746, 0.788, 0.720 and
    # 0.850 on 1,254 at the fifty-second (0.2.20).
    "test": {"accuracy": 0.73, "bad_precision": 0.78, "bad_recall": 0.70, "generic_recall": 0.83},
}


@pytest.mark.parametrize("half", sorted(FLOORS))
def test_verdict_quality(half):
    report = evaluate(half)
    print(f"\n{half}\n{render(report, verbose=False)}")
    below = {
        name: round(getattr(report, name).rate, 3)
        for name, floor in FLOORS[half].items()
        if getattr(report, name).rate < floor
    }
    assert not below, f"below the floor on the {half} half: {below}"


def test_every_real_note_is_labelled_once_and_sits_in_one_half():
    """A note quoted again on another page is the same note: counted twice it would weigh
    double, and in both halves it would leak the test half into tuning (27 of the 50 notes
    collected for c12 were such repeats)."""
    seen: dict[str, str] = {}
    for note in all_notes():
        key = re.sub(r"\W+", " ", note["text"].casefold()).strip()
        assert key not in seen, f"{note['id']} is the same note as {seen[key]}"
        seen[key] = note["id"]
    split = yaml.safe_load((REAL / "split.yaml").read_text(encoding="utf-8"))
    assert sorted(split["dev"] + split["test"]) == sorted(seen.values())


SCRIPT = Path(__file__).resolve().parent / "verdict_quality.py"


def test_a_labelled_file_of_new_notes_is_measured_the_same_way(tmp_path):
    """Notes collected after a release (a file in LABELLING.md's format) are measured by the
    same script, so every release can be tried on notes it was never tuned on."""
    notes = load("dev")
    picked = [next(n for n in notes if n["verdict"] == v) for v in ("send", "revise")]
    unseen = tmp_path / "unseen.yaml"
    unseen.write_text(yaml.safe_dump(picked, allow_unicode=True), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, str(SCRIPT), str(unseen), "-v"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert f"== {unseen} (2 notes)" in result.stdout
    assert f"verdict accuracy   {evaluate(str(unseen)).accuracy}" in result.stdout


def test_each_channel_is_reported_on_its_own(tmp_path):
    """A 200-character invitation note and a long email are different work, and a team that
    sends only invitations needs their figure: the report gives each channel its accuracy,
    precision and recall, and the channels add up to the whole."""
    notes = load("dev")
    picked = [
        note
        for channel in ("linkedin-invite", "email")
        for note in [n for n in notes if n["channel"] == channel][:5]
    ]
    unseen = tmp_path / "unseen.yaml"
    unseen.write_text(yaml.safe_dump(picked, allow_unicode=True), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, str(SCRIPT), str(unseen)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    section = result.stdout.split("by channel:\n")[1].split("by scenario:")[0]
    rows = dict(re.findall(r"^  (\S+) +(\d\.\d\d \(\d+/\d+\)), precision", section, re.M))
    assert sorted(rows) == ["email", "linkedin-invite"]
    assert all(row.endswith("/5)") for row in rows.values())
    right = sum(int(re.search(r"\((\d+)/", row)[1]) for row in rows.values())
    assert right == evaluate(str(unseen)).accuracy.right


def test_new_notes_are_compared_with_the_second_reading_beside_them(tmp_path):
    """A collection waiting in pending/ keeps its blind second reading beside it
    (raw-c52.yaml, second-c52.yaml): the agreement is reported from it, and a file with no
    second reading says so rather than printing a perfect score over no notes."""
    notes = load("dev")
    picked = [dict(next(n for n in notes if n["verdict"] == v)) for v in ("send", "revise")]
    for number, note in enumerate(picked, 1):
        note["id"] = f"new-{number}"
    unseen = tmp_path / "raw-new.yaml"
    unseen.write_text(yaml.safe_dump(picked, allow_unicode=True), encoding="utf-8")

    def agreement() -> str:
        result = subprocess.run(
            [sys.executable, str(SCRIPT), str(unseen)], capture_output=True, text=True
        )
        assert result.returncode == 0, result.stderr
        return next(line for line in result.stdout.splitlines() if "second reader" in line)

    assert agreement().endswith("- (no such note)")
    second = [{"id": "new-1", "verdict": "send"}, {"id": "new-2", "verdict": "send"}]
    (tmp_path / "second-new.yaml").write_text(yaml.safe_dump(second), encoding="utf-8")
    assert agreement().endswith("0.50 (1/2)")


def test_a_labelled_file_missing_a_label_is_refused_by_name(tmp_path):
    unseen = tmp_path / "unseen.yaml"
    unseen.write_text("- id: new-1\n  text: Hi Sam\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, str(SCRIPT), str(unseen)], capture_output=True, text=True
    )
    assert result.returncode == 2, result.stdout + result.stderr
    assert f"{unseen}: note 1 needs source, scenario, channel, verdict, why" in result.stderr
    assert "Traceback" not in result.stderr
