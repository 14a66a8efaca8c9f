"""Fit the verdict's weights to the development half of the real labelled notes.

    python scripts/fit_verdict.py            # writes invitepack/data/verdict.json
    python scripts/fit_verdict.py --check    # exit 1 if the shipped file differs from a refit

Each note is checked by the built-in rules; the warnings and infos it gets are the features,
the label ("revise" = 1) the target. Weights are kept non-negative: a rule names a problem.
The model is an L2-regularised logistic regression fitted by Newton's method: deterministic,
so a refit reproduces the shipped file to the byte (a test checks). Errors are hard rules and
are left out of the fit: they decide on their own.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "invitepack" / "data" / "verdict.json"
L2 = 1.0  # penalty on every weight but the bias: keeps rare rules' weights modest
MIN_SUPPORT = 2  # a rule seen on fewer dev notes gets no weight (advice only)


def features(notes: list[dict]) -> list[tuple[dict, set[str]]]:
    """The notes no hard rule decides, each with its findings by rule name: a note with an
    error is to revise whatever the weights say, so it would only teach them noise."""
    from verdict_quality import check_notes  # the same checking the evaluation uses

    return [
        (note, {f.name for f in found})
        for note, found in zip(notes, check_notes(notes), strict=True)
        if all(f.severity != "error" for f in found)
    ]


def fit(
    rows: list[set[str]], labels: list[int], names: list[str]
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


def model_file() -> str:
    sys.path.insert(0, str(ROOT / "tests"))
    from verdict_quality import load

    notes = load("dev")
    raw = json.dumps(notes, sort_keys=True, ensure_ascii=False).encode()
    judged = features(notes)
    rows = [found for _, found in judged]
    labels = [1 if note["verdict"] == "revise" else 0 for note, _ in judged]
    support = {name: sum(name in row for row in rows) for row in rows for name in row}
    names = sorted(name for name, count in support.items() if count >= MIN_SUPPORT)
    bias, weights = fit(rows, labels, names)
    # A rule names a problem, so it may only count against a note: a rule that comes out with
    # a negative weight (it happens to go with good notes in the data) is left as advice.
    while weights and min(weights.values()) < 0:
        names.remove(min(weights, key=lambda n: weights[n]))
        bias, weights = fit(rows, labels, names)
    data = {
        "about": (
            "Verdict weights: logistic regression fitted by scripts/fit_verdict.py on the dev "
            "half of tests/data/real. Do not edit by hand: refit."
        ),
        "fitted_on": {
            "half": "dev",
            "sha256": hashlib.sha256(raw).hexdigest(),
            "notes": len(notes),
            "weighed": len(rows),
            "l2": L2,
            "min_support": MIN_SUPPORT,
        },
        "bias": round(bias, 4),
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
    args = parser.parse_args()
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
