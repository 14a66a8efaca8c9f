"""One explained verdict per note: send or revise.

Findings are evidence, not gates. A note is to revise when a hard rule fires (an error: over
the limit, a leftover placeholder, a pitch, a link in an invitation) or when the weighted
findings and the note's wording (checks/wording.py) add up to the model's threshold. The weights
come from a logistic model fitted to labelled real notes by `scripts/fit_verdict.py` and shipped
as `invitepack/data/verdict.json`; a rule without a weight (a team's own warning, say) is advice
and moves no verdict.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from invitepack.checks.wording import WORDING_CODE, WORDING_NAME, Wording
from invitepack.pack.caches import bundled_json
from invitepack.records import Record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from invitepack.checks.findings import Finding

SEND, REVISE = "send", "revise"
HARD_SEVERITY = "error"
SHOWN = 0.05  # a wording that adds less, either way, is not worth a reason
# A verdict this near the threshold is a close call, and says so. Chosen on the development
# half as the band where the verdicts are right less than seven times in ten (0.63 on its 270
# notes there, 0.86 on the 732 beyond it that no hard rule decides; README, Judgement quality).
CLOSE = 0.5


class Model(Record):
    """A fitted logistic model: score = bias + the weights of the rules that fired + what the
    note's wording adds; a note whose score reaches `threshold` is to revise."""

    __slots__ = ("about", "bias", "threshold", "weights", "wording")
    bias: float
    weights: dict[str, float]
    threshold: float
    about: str
    wording: Wording | None

    def __init__(
        self,
        bias: float,
        weights: dict[str, float],
        threshold: float = 0.0,
        about: str = "",
        wording: Wording | None = None,
    ) -> None:
        self._fill(bias, weights, threshold, about, wording)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Model:
        return cls(
            bias=float(data["bias"]),
            weights={k: float(v) for k, v in data["weights"].items()},
            threshold=float(data.get("threshold", 0.0)),
            about=str(data.get("about", "")),
            wording=Wording.from_dict(data["wording"]) if "wording" in data else None,
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

    @classmethod
    def of_wording(cls, added: float, moved_by: tuple[str, ...]) -> Reason:
        """The wording as a reason: "wording like 'synergy', 'opportunity' (+0.4)"."""
        like = " like " + ", ".join(f"'{w}'" for w in moved_by) if moved_by else ""
        return cls(WORDING_CODE, WORDING_NAME, WORDING_NAME + like, added)

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "summary": self.summary,
            "contribution": None if self.contribution is None else round(self.contribution, 4),
            "hard": self.contribution is None,
        }


class Verdict(Record):
    """send or revise, the score it came from, the reasons in order of weight, and whether it
    is a close call (a score near the threshold, no hard rule): the verdicts to weigh yourself."""

    __slots__ = ("close", "decision", "reasons", "score")
    decision: str
    score: float
    reasons: tuple[Reason, ...]
    close: bool

    def __init__(
        self, decision: str, score: float, reasons: tuple[Reason, ...], close: bool = False
    ) -> None:
        self._fill(decision, score, reasons, close)

    @property
    def revise(self) -> bool:
        return self.decision == REVISE

    def describe(self) -> str:
        """'revise: no personal detail (+2.2), missing purpose (+1.2)', or 'send' with
        whatever was outweighed: 'send, though: missing purpose (+1.2); in its favour: wording
        like 'thanks' (-0.3)'. A close call says so: 'revise (close call): ...'."""
        against = [r for r in self.reasons if r.contribution is None or r.contribution > 0]
        said = self.decision + (" (close call)" if self.close else "")
        if self.revise:
            return f"{said}: " + ", ".join(r.describe() for r in against) if against else said
        if not against:
            return said
        told = f"{said}, though: " + ", ".join(r.describe() for r in against)
        favour = [r for r in self.reasons if r not in against]
        if favour:
            told += "; in its favour: " + ", ".join(r.describe() for r in favour)
        return told

    def as_dict(self) -> dict[str, Any]:
        return {
            "decision": self.decision,
            "score": round(self.score, 3),
            "close": self.close,
            "reasons": [r.as_dict() for r in self.reasons],
        }


def weight_of(rule_severity: str, rule_name: str, model: Model | None = None) -> str:
    """How a rule moves the verdict, in words: "hard" (an error decides alone), a signed
    weight, "per-word" (the wording: what it adds depends on the note's words) or "advice"
    (reported, weighs nothing)."""
    if rule_severity == HARD_SEVERITY:
        return "hard"
    model = model or shipped_model()
    if rule_name == WORDING_NAME and model.wording is not None:
        return "per-word"
    weight = model.weight(rule_name)
    return "advice" if weight is None else f"{weight:+.2f}"


_REASONS: dict[tuple[str, str, float | None], Reason] = {}


def _reason(code: str, name: str, contribution: float | None) -> Reason:
    """A rule's reason, made once: a note's few findings are the same few rules again."""
    key = (code, name, contribution)
    reason = _REASONS.get(key)
    if reason is None:
        reason = _REASONS[key] = Reason(code, name, name.replace("-", " "), contribution)
    return reason


def judge(findings: Iterable[Finding], text: str = "", model: Model | None = None) -> Verdict:
    """The verdict on one note from its reported findings (after selection: an ignored rule
    moves nothing) and the words of `text` (the note as the rules read it, `Evidence.wording`;
    empty: the rules alone)."""
    model = model or shipped_model()
    weights = model.weights
    hard: dict[str, Reason] = {}
    weighed: dict[str, Reason] = {}
    for finding in findings:
        code = finding.code
        if finding.severity == HARD_SEVERITY:
            if code not in hard:
                hard[code] = _reason(code, finding.name, None)
            continue
        weight = weights.get(finding.name)
        if weight is not None and code not in weighed:
            weighed[code] = _reason(code, finding.name, weight)
    score = model.bias + sum(r.contribution or 0.0 for r in weighed.values())
    wording = model.wording
    added, known = wording.weigh(text) if wording and text else (0.0, [])
    score += added
    decision = REVISE if hard or score >= model.threshold else SEND
    # The wording is a reason beside rules it added to or held back, or when it alone sends
    # a note back; a note the rules pass and its wording does not move needs no word of it.
    if wording and abs(added) >= SHOWN and (weighed or (added > 0 and decision == REVISE)):
        weighed[WORDING_CODE] = Reason.of_wording(added, wording.moved_by(known, added))
    ordered = sorted(weighed.values(), key=lambda r: -(r.contribution or 0.0))
    close = not hard and abs(score - model.threshold) < CLOSE
    return Verdict(decision, score, (*hard.values(), *ordered), close)
