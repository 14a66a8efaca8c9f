"""Fit the verdict's weights to the development half of the real labelled notes.

    python scripts/fit_verdict.py            # writes invitepack/data/verdict.json
    python scripts/fit_verdict.py --check    # exit 1 if the shipped file differs from a refit
    python scripts/fit_verdict.py --cv       # the fit's accuracy on dev notes it was not fitted on

Each note is checked by the built-in rules; the warnings and infos it gets are the features,
the label ("revise" = 1) the target. The model is an L2-regularised logistic regression fitted
by Newton's method, its weights kept non-negative (a rule names a problem): deterministic, so
a refit reproduces the shipped file to the byte (a test checks). Errors are hard rules and
are left out of the fit: they decide on their own. The threshold is then chosen on the same
half to keep false alarms rare (see choose_threshold).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import random
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "invitepack" / "data" / "verdict.json"
L2 = 1.0  # penalty on every weight but the bias: keeps rare rules' weights modest
MIN_SUPPORT = 2  # a rule seen on fewer dev notes gets no weight (advice only)
MIN_WEIGHT = 0.05  # a smaller weight reads "+0.0" in a verdict's reasons: advice only
PRECISION, RECALL = 0.90, 0.85  # what the threshold must achieve on the dev half


@dataclass(frozen=True)
class Judged:
    """One dev note as the fit sees it: its label, whether a hard rule decides it, and the
    names of the other rules it got."""

    bad: bool
    hard: bool
    names: frozenset[str]


def judged(notes: list[dict]) -> list[Judged]:
    """Each note checked once by the built-in rules (the checking the evaluation uses)."""
    from verdict_quality import check_notes

    return [
        Judged(
            note["verdict"] == "revise",
            any(f.severity == "error" for f in found),
            frozenset(f.name for f in found if f.severity != "error"),
        )
        for note, found in zip(notes, check_notes(notes), strict=True)
    ]


def fit_model(notes: list[Judged]) -> tuple[float, dict[str, float]]:
    """Bias and non-negative weights from the notes no hard rule decides: a note with an
    error is to revise whatever the weights say, so it would only teach them noise."""
    rows = [n.names for n in notes if not n.hard]
    labels = [int(n.bad) for n in notes if not n.hard]
    support = Counter(name for row in rows for name in row)
    names = sorted(name for name, count in support.items() if count >= MIN_SUPPORT)
    bias, weights = fit(rows, labels, names)
    # A rule names a problem, so it may only count against a note: a rule that comes out with
    # a negative weight (it happens to go with good notes in the data) is left as advice, and so
    # is one whose weight would show as "+0.0" among a verdict's reasons.
    while weights and min(weights.values()) < MIN_WEIGHT:
        names.remove(min(weights, key=lambda n: weights[n]))
        bias, weights = fit(rows, labels, names)
    return bias, weights


def revised(note: Judged, bias: float, weights: dict[str, float], threshold: float) -> bool:
    return note.hard or bias + sum(weights.get(n, 0.0) for n in note.names) >= threshold


def fit(
    rows: list[frozenset[str]], labels: list[int], names: list[str]
) -> tuple[float, dict[str, float]]:
    """Newton's method on the penalised log-likelihood; returns the bias and the weights."""
    k = len(names) + 1
    beta = [0.0] * k
    xs = [[1.0] + [1.0 if n in row else 0.0 for n in names] for row in rows]
    for _ in range(50):
        grad = [0.0] * k
        hess = [[0.0] * k for _ in range(k)]
        for x, y in zip(xs, labels, strict=True):
            p = 1 / (1 + math.exp(-sum(b * xi for b, xi in zip(beta, x, strict=True))))
            for i in range(k):
                grad[i] += (y - p) * x[i]
                for j in range(k):
                    hess[i][j] -= p * (1 - p) * x[i] * x[j]
        for i in range(1, k):
            grad[i] -= L2 * beta[i]
            hess[i][i] -= L2
        step = _solve(hess, grad)
        beta = [b - s for b, s in zip(beta, step, strict=True)]
        if max(abs(s) for s in step) < 1e-10:
            break
    return beta[0], dict(zip(names, beta[1:], strict=True))


def choose_threshold(notes: list[Judged], bias: float, weights: dict[str, float]) -> float:
    """The lowest score at which a note is sent back that keeps false alarms rare on the dev
    half (precision at least PRECISION) without missing many bad notes (recall at least
    RECALL): a hook that cries wolf gets switched off, so precision is bought with a little
    recall. When no threshold does both, the one right on the most dev notes (falling back to
    0, the even-odds point, scored 0.828 cross-validated on the 372-note dev half where this
    scores 0.856); of several equally right, the highest, which raises the fewest false alarms
    (on the 764-note dev half five tie, and the lowest of them tells every note whose only
    problem is a weak detail to revise)."""
    thresholds = [step / 10 for step in range(31)]
    bad_total = sum(n.bad for n in notes)
    for threshold in thresholds:
        flagged = [n.bad for n in notes if revised(n, bias, weights, threshold)]
        caught = sum(flagged)
        if flagged and caught / len(flagged) >= PRECISION and caught / bad_total >= RECALL:
            return threshold
    return max(
        thresholds,
        key=lambda t: (sum(revised(n, bias, weights, t) == n.bad for n in notes), t),
    )


def cross_validate(notes: list[Judged], folds: int = 10, seeds: int = 5) -> dict[str, float]:
    """Accuracy, precision and recall of the whole fitting procedure (weights and threshold)
    on dev notes it was not fitted on, averaged over shuffled folds: what a new feature buys
    can be judged on the dev half alone, without spending a look at the test half."""
    totals = Counter[str]()
    for seed in range(seeds):
        order = list(range(len(notes)))
        random.Random(seed).shuffle(order)
        for fold in range(folds):
            held = set(order[fold::folds])
            train = [n for i, n in enumerate(notes) if i not in held]
            bias, weights = fit_model(train)
            threshold = choose_threshold(train, bias, weights)
            for i in held:
                flagged = revised(notes[i], bias, weights, threshold)
                totals[("t" if flagged == notes[i].bad else "f") + ("p" if flagged else "n")] += 1
    return {
        "accuracy": (totals["tp"] + totals["tn"]) / sum(totals.values()),
        "precision": totals["tp"] / (totals["tp"] + totals["fp"]),
        "recall": totals["tp"] / (totals["tp"] + totals["fn"]),
    }


def _solve(a: list[list[float]], b: list[float]) -> list[float]:
    """Gaussian elimination with partial pivoting (the Hessian is small and dense)."""
    n = len(b)
    m = [[*row, b[i]] for i, row in enumerate(a)]
    for c in range(n):
        p = max(range(c, n), key=lambda r: abs(m[r][c]))
        m[c], m[p] = m[p], m[c]
        for r in range(c + 1, n):
            f = m[r][c] / m[c][c]
            for j in range(c, n + 1):
                m[r][j] -= f * m[c][j]
    x = [0.0] * n
    for r in range(n - 1, -1, -1):
        x[r] = (m[r][n] - sum(m[r][j] * x[j] for j in range(r + 1, n))) / m[r][r]
    return x


def dev_notes() -> list[dict]:
    sys.path.insert(0, str(ROOT / "tests"))
    from verdict_quality import load

    return load("dev")


def model_file() -> str:
    notes = dev_notes()
    raw = json.dumps(notes, sort_keys=True, ensure_ascii=False).encode()
    checked = judged(notes)
    bias, weights = fit_model(checked)
    threshold = choose_threshold(checked, bias, weights)
    data = {
        "about": (
            "Verdict weights: logistic regression fitted by scripts/fit_verdict.py on the dev "
            "half of tests/data/real. Do not edit by hand: refit."
        ),
        "fitted_on": {
            "half": "dev",
            "sha256": hashlib.sha256(raw).hexdigest(),
            "notes": len(notes),
            "weighed": sum(not n.hard for n in checked),
            "l2": L2,
            "min_support": MIN_SUPPORT,
            "min_weight": MIN_WEIGHT,
        },
        "bias": round(bias, 4),
        "threshold": threshold,
        "weights": {
            name: round(w, 4) for name, w in sorted(weights.items(), key=lambda kv: -kv[1])
        },
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--check",
        action="store_true",
        help="compare a refit with the shipped file instead of writing it",
    )
    parser.add_argument(
        "--cv",
        action="store_true",
        help="cross-validate the fit on the dev half (10 folds, 5 shuffles) and write nothing",
    )
    args = parser.parse_args()
    if args.cv:
        scores = cross_validate(judged(dev_notes()))
        print(", ".join(f"{name} {value:.3f}" for name, value in scores.items()))
        return 0
    text = model_file()
    if args.check:
        same = OUT.read_text(encoding="utf-8") == text
        print(
            "verdict.json matches a refit"
            if same
            else "verdict.json differs from a refit: run scripts/fit_verdict.py"
        )
        return 0 if same else 1
    OUT.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
