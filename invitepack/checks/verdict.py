"""One explained verdict per note: send or revise.

Findings are evidence, not gates. A note is to revise when a hard rule fires (an error: over
the limit, a leftover placeholder, a pitch, a link in an invitation) or when the weighted
findings add up to the model's threshold. The weights come from a logistic model fitted to labelled
real notes by `scripts/fit_verdict.py` and shipped as `invitepack/data/verdict.json`; a rule
without a weight (a team's own warning, say) is advice and moves no verdict.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from invitepack.pack.caches import bundled_json
from invitepack.records import Record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from invitepack.checks.findings import Finding

SEND, REVISE = "send", "revise"
HARD_SEVERITY = "error"


class Model(Record):
    """A fitted logistic model: score = bias + the weights of the rules that fired; a note
    whose score reaches `threshold` is to revise."""

    __slots__ = ("about", "bias", "threshold", "weights")
    bias: float
    weights: dict[str, float]
    threshold: float
    about: str

    def __init__(
        self, bias: float, weights: dict[str, float], threshold: float = 0.0, about: str = ""
    ) -> None:
        self._fill(bias, weights, threshold, about)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Model:
        return cls(
            bias=float(data["bias"]),
            weights={k: float(v) for k, v in data["weights"].items()},
            threshold=float(data.get("threshold", 0.0)),
            about=str(data.get("about", "")),
        )

    def weight(self, rule_name: str) -> float | None:
        """The rule's weight in the verdict, or None for a rule the model does not weigh."""
        return self.weights.get(rule_name)


@cache
def shipped_model() -> Model:
    """The model that ships with invitepack (fitted on real notes; see the README)."""
    return Model.from_dict(bundled_json("verdict.json"))


class Reason(Record):
    """One thing that moved the verdict: a rule, its name in words, and what it added to the
    score (None for a hard rule, which decides alone)."""

    __slots__ = ("code", "contribution", "name", "summary")
    code: str
    name: str
    summary: str
    contribution: float | None

    def __init__(self, code: str, name: str, summary: str, contribution: float | None) -> None:
        self._fill(code, name, summary, contribution)

    def describe(self) -> str:
        if self.contribution is None:
            return f"{self.summary} ({self.code}, must fix)"
        return f"{self.summary} ({self.contribution:+.1f})"

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "summary": self.summary,
            "contribution": self.contribution,
            "hard": self.contribution is None,
        }


class Verdict(Record):
    """send or revise, the score it came from, and the reasons in order of weight."""

    __slots__ = ("decision", "reasons", "score")
    decision: str
    score: float
    reasons: tuple[Reason, ...]

    def __init__(self, decision: str, score: float, reasons: tuple[Reason, ...]) -> None:
        self._fill(decision, score, reasons)

    @property
    def revise(self) -> bool:
        return self.decision == REVISE

    def describe(self) -> str:
        """'revise: no personal detail (+2.2), missing purpose (+1.2)', or 'send' with
        whatever was outweighed: 'send, though: missing purpose (+1.2)'."""
        if self.revise:
            shown = [r for r in self.reasons if r.contribution is None or r.contribution > 0]
            return "revise: " + ", ".join(r.describe() for r in shown) if shown else REVISE
        if not self.reasons:
            return SEND
        return "send, though: " + ", ".join(r.describe() for r in self.reasons)

    def as_dict(self) -> dict[str, Any]:
        return {
            "decision": self.decision,
            "score": round(self.score, 3),
            "reasons": [r.as_dict() for r in self.reasons],
        }


def weight_of(rule_severity: str, rule_name: str, model: Model | None = None) -> str:
    """How a rule moves the verdict, in words: "hard" (an error decides alone), a signed
    weight, or "advice" (reported, weighs nothing)."""
    if rule_severity == HARD_SEVERITY:
        return "hard"
    weight = (model or shipped_model()).weight(rule_name)
    return "advice" if weight is None else f"{weight:+.2f}"


def judge(findings: Iterable[Finding], model: Model | None = None) -> Verdict:
    """The verdict on one note from its reported findings (after selection: an ignored rule
    moves nothing)."""
    model = model or shipped_model()
    hard: dict[str, Reason] = {}
    weighed: dict[str, Reason] = {}
    for finding in findings:
        text = finding.name.replace("-", " ")
        if finding.severity == HARD_SEVERITY:
            hard.setdefault(finding.code, Reason(finding.code, finding.name, text, None))
            continue
        weight = model.weight(finding.name)
        if weight is not None:
            weighed.setdefault(finding.code, Reason(finding.code, finding.name, text, weight))
    score = model.bias + sum(r.contribution or 0.0 for r in weighed.values())
    decision = REVISE if hard or score >= model.threshold else SEND
    ordered = sorted(weighed.values(), key=lambda r: -(r.contribution or 0.0))
    return Verdict(decision, score, (*hard.values(), *ordered))
