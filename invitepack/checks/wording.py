"""How a note is worded, weighed: the verdict's one learned reading beside the rules.

The rules find what a note says (a detail, an ask, a pitch) through phrase lists read from the
development notes, and on notes from new ground they miss what those lists lack. The wording
weighs every word instead: each word of the development notes carries a weight, and a note's
wording is the mean weight of its known words, less that of a typical note, as if ten typical
words stood beside them (a short note's few words say less). The weights are fitted with the
rules' weights by `scripts/fit_verdict.py`, through word vectors distilled from a sentence
model (similar words get similar weights), then shipped as one number a word in
`verdict.json`: no model, no dependency, a dictionary lookup a word at run time. A word the
development notes never held weighs nothing, so no weight comes from outside the labels; nor
does one they only ever capitalise (a name).
"""

from __future__ import annotations

import unicodedata
from operator import itemgetter

from invitepack.checks.regexes import compiled

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

# A word: letters and digits; every other character but a space is a word of its own (so
# "!!!" weighs three times "!", and "don't" reads as "don", "'", "t", as the word vectors do).
_WORD = compiled(r"[^\W_]+|[^\w\s]|_")
_ACCENTS = compiled(r"[\u0300-\u036f]+")  # what NFD splits off Latin letters
WORDING_CODE, WORDING_NAME = "IP209", "wording"  # its rule, for `rules`, select and ignore
SHOWN_WORDS = 3  # the words a reason names: the ones of three letters or more that moved it most
# Words that carry grammar, not content. They weigh in the score like any word, but a reason
# naming "the" or "you" gives the writer nothing to change, so a reason names content words.
_GRAMMAR = """about above after again against all also although among and another any are aren
    because been before being below between both but can cannot could couldn did didn does
    doesn doing don done down during each either else ever every few for from further had
    hadn has hasn have haven having her here hers herself him himself his how its itself
    just like may might mine more most much must myself neither nor not now off once one only
    onto other ought our ours ourselves out over own per same shall she should shouldn since
    some such than that the their theirs them themselves then there these they this those
    though through thus too toward towards under until upon very via was wasn were weren
    what when where whether which while who whom whose why will with within without won
    would wouldn yet you your yours yourself yourselves"""
GRAMMAR_WORDS = frozenset(_GRAMMAR.split())


_WORD_OF = itemgetter(0)  # a known word's (word, weight)


def words(text: str) -> list[str]:
    """The note's words as the wording table spells them: lower case, accents dropped."""
    return [word for chunk in _folded(text).split() for word in _split(chunk)]


def _folded(text: str) -> str:
    text = text.lower()
    # Most text beyond ASCII is curly quotes and emoji, with no accent to drop.
    if text.isascii() or (unicodedata.is_normalized("NFD", text) and not _ACCENTS.search(text)):
        return text
    return _ACCENTS.sub("", unicodedata.normalize("NFD", text))


def _split(chunk: str) -> list[str]:
    """The words of a run of non-space: most are a word, or a word and a mark; the regex
    splits the rest."""
    if chunk.isalnum():
        return [chunk]
    if chunk[:-1].isalnum() and not chunk[-1].isalnum():
        return [chunk[:-1], chunk[-1]]
    return _WORD.findall(chunk)


class Wording:
    """A weight for every word the development notes held; the mean weight of a typical
    development note's words (`centre`), so a typical note's wording adds nothing; and
    `prior`, the typical words a note's own are weighed beside, so a short note's few words
    count for less than a long note's many."""

    __slots__ = ("_down", "_read", "_sided", "_up", "centre", "prior", "weights")
    # Runs of non-space repeat from note to note ("your", "Hi", "thanks,"): each is split and
    # looked up once, up to this many, then read afresh.
    REMEMBERED = 50_000

    def __init__(self, centre: float, prior: float, weights: dict[str, float]) -> None:
        self.centre, self.prior, self.weights = centre, prior, weights
        # A run of non-space: its known words with their weights, and their sum.
        self._read: dict[str, tuple[tuple[tuple[str, float], ...], float]] = {}
        # The known words `moved_by` has sided (at most every word weighed), and the weight
        # less the centre of those that lean up or down.
        self._sided: set[str] = set()
        self._up: dict[str, float] = {}
        self._down: dict[str, float] = {}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Wording:
        # The fit writes every weight as a JSON float; 4,462 of them are not converted again on
        # every start.
        return cls(float(data["centre"]), float(data["prior"]), data["weights"])

    def weigh(self, text: str) -> tuple[float, list[tuple[str, float]]]:
        """What the text's words add to the verdict's score (0 when no word is known), and
        the known words with their weights, for `moved_by`."""
        read = self._read
        known: list[tuple[str, float]] = []
        total = 0.0
        for chunk in _folded(text).split():
            found = read.get(chunk)
            if found is None:
                if len(read) >= self.REMEMBERED:
                    read.clear()
                weights = self.weights
                pairs = tuple((w, weights[w]) for w in _split(chunk) if w in weights)
                found = read[chunk] = (pairs, sum(weight for _, weight in pairs))
            if found[0]:
                known += found[0]
                total += found[1]
        if not known:
            return 0.0, known
        return (total - len(known) * self.centre) / (len(known) + self.prior), known

    def moved_by(self, known: list[tuple[str, float]], added: float) -> tuple[str, ...]:
        """The content words of three letters or more that moved the wording most in the
        direction of `added`, most first (a word's pull: its weight's distance from the centre,
        counted once a use). Asked only of a wording shown as a reason."""
        words = list(map(_WORD_OF, known))
        if not self._sided.issuperset(words):
            self._side(known)
        # Only the words that lean the way the wording went, picked in C. Leaning the other
        # way, a word's pull is its (weight - centre) negated, exactly: summed unnegated, the
        # pulls are the same negated, and sorted the other way round they fall in the same order.
        side = self._up if added >= 0 else self._down
        pull: dict[str, float] = {}
        for word in filter(side.__contains__, words):
            pull[word] = pull.get(word, 0.0) + side[word]
        shown = sorted(pull, key=pull.__getitem__, reverse=added >= 0)
        return tuple(shown[:SHOWN_WORDS])

    def _side(self, known: list[tuple[str, float]]) -> None:
        """Sort known words not yet sided by the way they lean: their weight less the centre,
        in `_up` or `_down`, or in neither for a word `moved_by` never names (one of fewer
        than three letters, or not all letters, or one at the centre)."""
        for word, weight in known:
            if word not in self._sided:
                self._sided.add(word)
                lean = weight - self.centre
                if len(word) > 2 and word.isalpha() and word not in GRAMMAR_WORDS and lean:
                    (self._up if lean > 0 else self._down)[word] = lean
