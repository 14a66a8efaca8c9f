"""The judgement rules against labelled notes: precision and recall per rule.

labelled_notes.yaml and heldout_notes.yaml are the sets the phrase lists were tuned on (the
second was first measured untouched); test_notes.yaml was written apart, without sight of the
rules or the other sets, and measured untouched before a last round of general changes. Run
`python tests/rule_quality.py -v` for the tables and every wrong call.
"""

from __future__ import annotations

import pytest
from rule_quality import evaluate, table

# Bars per set: the tuning set must stay near perfect (a change that breaks a labelled case
# shows here); the held-out set keeps false alarms rare, which matters most to users.
BARS = {
    "labelled_notes.yaml": {"precision": 0.85, "recall": 0.85},
    # Written apart, measured once untouched (README, Judgement quality), then used to tune.
    "heldout_notes.yaml": {"precision": 0.80, "recall": 0.80},
    # Written apart from the rules and both sets above; its untouched figures are in the
    # README. A few general phrasings were added after seeing its misses, so it is no
    # longer blind: the bar guards against regressions.
    "test_notes.yaml": {"precision": 0.70, "recall": 0.85},
}


@pytest.mark.parametrize("name", sorted(BARS))
def test_rule_quality(name):
    scores, _ = evaluate(name)
    print(f"\n{name}\n{table(scores)}")
    bar = BARS[name]
    weak = {
        rule: (round(s.precision, 2), round(s.recall, 2))
        for rule, s in scores.items()
        if s.precision < bar["precision"] or s.recall < bar["recall"]
    }
    assert not weak, f"rules below the bar {bar} on {name}: {weak}"
