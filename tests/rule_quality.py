"""Precision and recall of the judgement rules on the labelled notes in tests/data.

Run `python tests/rule_quality.py` for the table; tests/test_rule_quality.py holds the bar.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

from invitepack.checks.checker import Outcome, build_checker
from invitepack.pack.workspace import Workspace
from invitepack.render.message import Message

DATA = Path(__file__).resolve().parent / "data"
JUDGED_RULES = (
    "empty-note",
    "missing-purpose",
    "generic-note",
    "no-personal-detail",
    "sales-pitch",
    "link-in-invite",
    "assumes-job-interest",
    "no-easy-out",
    "leftover-placeholder",
    "shouting",
    "exclamation-stack",
    "emoji-overload",
)


# These sets predate two splits: their "no-personal-detail" is now no-personal-detail or
# weak-detail, and their "generic-note" is generic-note or default-text.
_OLD_NAMES = {"weak-detail": "no-personal-detail", "default-text": "generic-note"}


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


def evaluate(name: str = "labelled_notes.yaml") -> tuple[dict[str, Score], list[str]]:
    """Scores per rule on one labelled set in tests/data, and one line per wrong call."""
    notes = yaml.safe_load((DATA / name).read_text(encoding="utf-8"))
    checker = build_checker(Workspace(pack_spec="builtin", isolated=True), [])
    scores = {rule: Score() for rule in JUDGED_RULES}
    misses = []
    for note in notes:
        outcome = Outcome()
        checker.check_message(
            Message.from_note(
                note["text"], path=None, channel=note["channel"], scenario=note["scenario"]
            ),
            outcome,
        )
        # These sets predate the weak-detail rule: their "no-personal-detail" means nothing
        # beyond what a mail merge fills in, which is either rule now.
        found = {_OLD_NAMES.get(f.name, f.name) for f in outcome.findings} & set(JUDGED_RULES)
        expected = set(note["expect"])
        for rule in JUDGED_RULES:
            score = scores[rule]
            if rule in found and rule in expected:
                score.tp += 1
            elif rule in found:
                score.fp += 1
                misses.append(f"FP {rule:22} {note['id']}: {note['text'][:110]!r}")
            elif rule in expected:
                score.fn += 1
                misses.append(f"FN {rule:22} {note['id']}: {note['text'][:110]!r}")
    return scores, misses


def table(scores: dict[str, Score]) -> str:
    lines = [f"{'rule':22} {'TP':>3} {'FP':>3} {'FN':>3} {'precision':>9} {'recall':>6}"]
    for rule, s in scores.items():
        lines.append(f"{rule:22} {s.tp:3} {s.fp:3} {s.fn:3} {s.precision:9.2f} {s.recall:6.2f}")
    return "\n".join(lines)


if __name__ == "__main__":
    for set_name in ("labelled_notes.yaml", "heldout_notes.yaml", "test_notes.yaml"):
        if (DATA / set_name).exists():
            found_scores, wrong = evaluate(set_name)
            print(f"{set_name}\n{table(found_scores)}\n")
            if "-v" in sys.argv:
                print("\n".join(sorted(wrong)) + "\n")
