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
    # Tuned on: the rules were revised after reading its misjudged notes. Accuracy 0.84 since
    # 0.2.3: c16's 17 dev notes, measured before any tuning, are right on 11 (the 391 notes
    # before them on 335, 0.86, as at 0.2.2). Precision 0.85 since 0.2.6: the dev notes of c22
    # and c23, mostly notes to maintainers on GitHub, were right on 19 of 28 and 7 of 13 as
    # they arrived. Accuracy 0.82, precision and recall 0.84 since 0.2.7: c25-c31's 117 dev
    # notes were right on 84 as they arrived, and the half went from 0.84, 0.86, 0.87 (521
    # notes) to 0.83, 0.85, 0.86 (638). Accuracy 0.81, precision and recall 0.83 since 0.2.8:
    # c32-c34's 56 dev notes were right on 38 as they arrived (0.82, 0.84, 0.84 on 694 after).
    # Recall 0.82 since c37-c38 joined (764 notes: 0.815, 0.837, 0.827): of the thresholds
    # equally right on the dev half, the fit now takes the highest (fewest false alarms).
    # Precision 0.82 since c39-c40 joined (811 notes: 0.810, 0.822, 0.829).
    "dev": {"accuracy": 0.81, "bad_precision": 0.82, "bad_recall": 0.82, "generic_recall": 0.90},
    # Measured only (twenty-eight looks in all; README, Judgement quality). Lower than at 0.2.0
    # because the half grew by the never-seen sets' hardest notes (c11's notes to maintainers), not
    # because the rules got worse: on the 212 notes it held then, the figure is the same. Recall
    # 0.80 since 0.2.2: the weights refitted on the larger dev half revise fewer notes (precision
    # rose from 0.83 to 0.84, recall fell from 0.82 to 0.81). Accuracy 0.73, recall 0.75 and
    # generic recall 0.87 since 0.2.7: c25-c31's 86 test notes (56 right) joined; on the 326
    # notes of the twentieth look it is 251 right (252 then). Generic recall 0.86 since 0.2.8:
    # c32-c34's 45 test notes joined (13 generic, 10 of them told so, 0.77); on the 412 notes of
    # the twenty-third look it is 307 right, as then. Accuracy 0.72, precision 0.76, recall 0.74
    # since 0.2.8: c35-c36's 19 test notes joined, 11 right as they arrived, 10 after the round
    # (0.727, 0.770, 0.747 on 476); on the 457 notes of the twenty-fourth look, 336 right (335).
    # Precision 0.74, recall 0.73, generic recall 0.84 since c37-c40 joined (547 notes at the
    # twenty-eighth look: 0.726, 0.753, 0.742, 0.849); their 71 test notes were right on 48 as
    # they arrived and are on 48 now; the 412 notes of the twenty-third look, on 308 (307).
    "test": {"accuracy": 0.72, "bad_precision": 0.74, "bad_recall": 0.73, "generic_recall": 0.84},
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


def test_a_labelled_file_missing_a_label_is_refused_by_name(tmp_path):
    unseen = tmp_path / "unseen.yaml"
    unseen.write_text("- id: new-1\n  text: Hi Sam\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, str(SCRIPT), str(unseen)], capture_output=True, text=True
    )
    assert result.returncode == 2, result.stdout + result.stderr
    assert f"{unseen}: note 1 needs source, scenario, channel, verdict, why" in result.stderr
    assert "Traceback" not in result.stderr
