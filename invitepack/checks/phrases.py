"""Phrase lists: the data behind the judgement rules, one regular expression a line.

The bundled lists live in invitepack/data/phrases/<name>.txt; a config's `[phrases]` table
adds entries to any list. A list means one case-insensitive pattern, its entries joined as
alternatives on word boundaries (`pattern(name)`), and every answer the book gives is that
pattern's answer. It gets there faster: each entry's required literals are read from its regex
(checks/literals.py), one multi-string pass finds which of them a text contains, and only the
entries whose literals are all there run, each from the first place a match could start. An
entry the analysis cannot read, or a list with a backreference, runs as the joined pattern.
"""

from __future__ import annotations

import marshal
import re
from collections.abc import Iterable, Iterator
from functools import cache, reduce
from operator import or_
from pathlib import Path

from invitepack.errors import LoadError, Location
from invitepack.pack.caches import cache_file, cache_key, write_whole
from invitepack.pack.resources import data_file

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

_FLAGS = re.IGNORECASE
_NEVER = r"(?!x)x"
# How many texts' literal scans a book keeps: a note's body and its masked body, and a subject.
_SCANS_KEPT = 8
_FULLMATCH_KEPT = 4096


# A named word list in a bundled file: "@praise = great|amazing|...", used as "@{praise}".
_WORDS_DEFINED = re.compile(r"@([a-z][\w-]*)\s*=\s*(.+)")
_WORDS_USED = re.compile(r"@\{([a-z][\w-]*)\}")


@cache
def bundled_list(name: str) -> tuple[str, ...]:
    """The entries of a bundled phrase list."""
    path = data_file(f"phrases/{name}.txt")
    if not path.is_file():
        raise LoadError(
            f"no phrase list named {name!r}", hint="see invitepack/data/phrases/ for the lists"
        )
    return read_list(path)


def read_list(path: Path) -> tuple[str, ...]:
    """The entries of a phrase list file: one pattern a line, '#' starts a comment line.

    A word list several entries share is written once, as a line "@name = a|b|c", and used
    after it as "@{name}", which stands for "(?:a|b|c)": a word added to the list reaches
    every entry that uses it."""
    words: dict[str, str] = {}
    entries = []
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        defined = _WORDS_DEFINED.fullmatch(line)
        if defined:
            words[defined[1]] = _expand(defined[2], words, path, number)
        else:
            entries.append(_expand(line, words, path, number))
    return tuple(entries)


def _expand(line: str, words: dict[str, str], path: Path, number: int) -> str:
    if "@{" not in line:  # most entries: a cold `check` reads every list
        return line

    def word_list(used: re.Match[str]) -> str:
        if used[1] not in words:
            raise LoadError(
                f"word list @{{{used[1]}}} is used before it is defined",
                Location(path, number),
                hint=f'define it on a line above: "@{used[1]} = word|word"',
            )
        return f"(?:{words[used[1]]})"

    return _WORDS_USED.sub(word_list, line)


@cache
def bundled_names() -> tuple[str, ...]:
    """The names of the bundled lists."""
    return tuple(sorted(p.stem for p in data_file("phrases").glob("*.txt")))


def _check_entries(name: str, entries: tuple[str, ...], where: Location | None) -> None:
    """Each entry of a config's list must compile on its own, so an error names the entry."""
    for entry in entries:
        try:
            re.compile(entry)
        except re.error as exc:
            raise LoadError(
                f"[phrases] {name}: invalid pattern {entry!r}: {exc}",
                where,
                hint="entries are Python regular expressions",
            ) from None


def _anchored(body: str) -> str:
    # Phrases are words: anchor them on word boundaries unless they start/end with a non-word.
    return rf"(?<![\w])(?:{body})(?![\w])"


def _compile(entries: tuple[str, ...]) -> re.Pattern[str]:
    body = "|".join(f"(?:{entry})" for entry in entries) or _NEVER
    return re.compile(_anchored(body), _FLAGS)


class _Entry:
    """One entry of a prepared list: its anchored pattern (compiled when first run, from its
    remembered program when there is one), the clauses of literal ids a text must meet for it
    to match, and its longest match."""

    __slots__ = (
        "clauses",
        "compiled",
        "first",
        "guard",
        "only",
        "program",
        "second",
        "source",
        "starts",
        "width",
    )

    def __init__(
        self,
        source: str,
        clauses: tuple[tuple[int, ...], ...],
        width: int | None,
        starts: tuple[tuple[int, int], ...] | None,
        guard: tuple[int, ...],
        program: bytes | None,
    ):
        self.source = source
        # literal id -> length of the strings every match begins with: tried only there, in a
        # text that holds none of the guard's literals (a match that begins otherwise holds one)
        self.starts = None if starts is None else dict(starts)
        self.guard = frozenset(guard) if guard else None
        # (literal id, length) when there is one start: a text in which the entry may match,
        # and that holds no guard literal, holds it (its starts and guard are one of the
        # tests), so no search asks which one it holds.
        self.only = starts[0] if starts is not None and len(starts) == 1 else None
        # The marshalled program: most entries never run on a given note, so it is read
        # only when one does.
        self.program = program
        self.clauses = tuple(frozenset(clause) for clause in clauses)
        self.first = self.clauses[0] if clauses else frozenset()
        self.second = self.clauses[1] if len(clauses) > 1 else None
        # Without a first clause the entry runs on every text, from where the search starts.
        self.width = width if clauses else None
        self.compiled: re.Pattern[str] | None = None

    def pattern(self) -> re.Pattern[str]:
        if self.compiled is None:
            from invitepack.checks.literals import compile_program

            made = None if self.program is None else marshal.loads(self.program)
            self.compiled = compile_program(_anchored(self.source), _FLAGS, made)
            self.program = None
        return self.compiled


class _Lists:
    """Every list of a book made ready for prefiltered search: each entry's literal clauses,
    one scanner for all their literals, and for each literal the entries it lets run. Lists
    the analysis cannot read have no slot: they run joined.

    A text's candidates are one integer, a bit per entry of every prefiltered list (a list's
    entries side by side from its `offset`): the entries whose first clause, second clause
    and starts (or their guard) the text all meets (an entry without one meets it). A
    literal's bits are three planes of `count` bits, one plane per test. Their OR over the
    literals a text contains, which `functools.reduce` computes without a Python loop
    (skipping the literals whose bits are 0: a big integer's OR costs more than the test),
    ANDed plane by plane, answers the three tests for every entry at once: a search loops
    only over entries that may match."""

    def __init__(self, lists: dict[str, tuple[str, ...]]):
        from invitepack.checks.literals import fold

        self.fold = fold  # imported once: an import in each scan would cost it about 4%
        literals, plans = _AnalysisCache.plan(lists)
        self.bits = [0] * len(literals)  # literal id -> the entries its presence lets run
        # name -> (offset, mask of its entries' bits, entries) for the prefiltered lists
        self.slots: dict[str, tuple[int, int, list[_Entry]]] = {}
        entries: list[_Entry] = []
        for name, plan in zip(lists, plans, strict=True):
            if plan is not None:
                made = [_Entry(*entry) for entry in plan]
                self.slots[name] = (len(entries), (1 << len(made)) - 1, made)
                entries += made
        self.count = count = len(entries)
        self.always = 0  # the tests every text meets: an entry without that clause or starts
        for bit, entry in enumerate(entries):
            opening: Iterable[int] | None = entry.starts  # its keys, the start literals
            if entry.starts is not None and entry.guard:
                opening = entry.starts.keys() | entry.guard
            tests = (entry.first, entry.second, opening)
            for plane, needed in enumerate(tests):
                one = 1 << (bit + plane * count)
                if not needed:
                    self.always |= one
                for literal in needed or ():
                    self.bits[literal] |= one
        self.scanner = _Scanner(literals)
        # The last few texts' scans (see scan), and their literals' bits ORed before the
        # planes are ANDed (what a masked text's scan starts from).
        self.scans: dict[str, tuple[dict[int, list[int]], int]] = {}
        self.met: dict[str, int] = {}
        self.fillers: dict[str, _Filler] = {}

    def scan(self, text: str) -> tuple[dict[int, list[int]], int]:
        """The literals a text contains (id -> ends of its occurrences), and the entries that
        may match it (bits, see the class). The last few texts are remembered: a note's body
        is searched by most lists. (A masked text's scan may hold a few more literals than
        it does, see `masked`: a search then only tries a few more places.)"""
        seen = self.scans.get(text)
        if seen is not None:
            return seen
        found = self.scanner.scan(self.fold(text))
        bits = filter(None, map(self.bits.__getitem__, found))  # a literal may gate no entry
        return self._keep(text, found, reduce(or_, bits, self.always))

    def masked(self, masked: str, text: str, filler: str) -> None:
        """Remember a scan of `masked`, `text` masked with `filler` (see PhraseBook.share_scan),
        made from text's: its literals, and those holding a filler character that occur
        around masked's runs of filler characters. Every literal masked holds is among them
        (with a few it may not hold, that masking removed): one that text does not hold
        overlaps a replaced character, which is in such a run. Before the automaton is
        built (a run of a note or two) nothing is remembered: the masked text is scanned
        literal by literal as any other, for less than what its literals' own search costs."""
        if masked in self.scans or self.scanner.automaton is None:
            return
        found, _ = self.scan(text)
        met = self.met[text]
        known = self.fillers.get(filler)
        if known is None:
            known = self.fillers[filler] = _Filler(filler, self.scanner.literals)
        held, reach = known.held, known.reach
        extra: dict[int, list[int]] = {}
        windows: list[list[int]] = []  # where a literal that overlaps a run may occur
        for run in known.runs.finditer(masked) if held else ():
            start, end = max(0, run.start() - reach), run.end() + reach
            if windows and start <= windows[-1][1]:
                windows[-1][1] = end
            else:
                windows.append([start, end])
        for start, end in windows:
            window = self.fold(masked[start:end])
            for index, ends in _occurrences(held, known.automaton, window).items():
                extra.setdefault(index, []).extend(at + start for at in ends)
        if extra:
            found = dict(found)  # text's own scan stays as it is
            for index, ends in extra.items():
                have = found.get(index)
                found[index] = ends if have is None else sorted({*have, *ends})
                met |= self.bits[index]
        self._keep(masked, found, met)

    def _keep(
        self, text: str, found: dict[int, list[int]], met: int
    ) -> tuple[dict[int, list[int]], int]:
        """Remember a text's scan: its literals, and its candidates from their bits ORed."""
        if len(self.scans) >= _SCANS_KEPT:
            self.scans.clear()
            self.met.clear()
        count = self.count
        self.met[text] = met
        seen = self.scans[text] = (found, met & met >> count & met >> 2 * count)
        return seen

    @staticmethod
    def search(
        entries: list[_Entry], mask: int, text: str, pos: int, found: dict[int, list[int]]
    ) -> re.Match[str] | None:
        """The joined pattern's leftmost match at or after pos: the earliest start among the
        entries in mask, and at equal starts the entry listed first (as alternation decides).
        Every other entry lacks a literal it needs, so cannot match."""
        best: re.Match[str] | None = None
        best_start = len(text) + 1
        keys = found.keys()
        while mask:
            low = mask & -mask
            mask ^= low
            entry = entries[low.bit_length() - 1]
            starts = entry.starts
            if starts is not None and (entry.guard is None or keys.isdisjoint(entry.guard)):
                # Every match begins with one of the entry's starts: try only where they occur
                # (the text holds one: without a guard literal, the entry is in the mask for
                # a start).
                pattern = entry.compiled or entry.pattern()
                only = entry.only
                if only is None:
                    hits = keys & starts.keys()
                    if len(hits) == 1:
                        (hit,) = hits
                        only = (hit, starts[hit])
                # A match starts at an end of a start literal less its length: one literal's
                # ends are in order already (most often); several are merged, length taken off.
                if only is not None:
                    hit, length = only
                    ends = found[hit]
                else:
                    length = 0
                    ends = sorted({end - starts[i] for i in hits for end in found[i]})
                for end in ends:
                    place = end - length
                    if place < pos:
                        continue
                    if place >= best_start:
                        break
                    match = pattern.match(text, place)
                    if match is not None:
                        best, best_start = match, place
                        break
                continue
            start = pos
            if entry.width is not None:  # a match holds a literal of the first clause
                start = max(pos, min([found[i][0] for i in keys & entry.first]) - entry.width)
            if start >= best_start:
                continue
            match = (entry.compiled or entry.pattern()).search(text, start)
            if match is not None and match.start() < best_start:
                best, best_start = match, match.start()
        return best


Analysis = tuple[list[list[str]], int | None, list[str] | None, list[str], bytes | None]
# A list made ready, as remembered: per entry its source, clauses of literal ids, longest
# match, starting literal ids with their lengths, the starts' guard, and marshalled program;
# None for a list that runs joined. A plan is the literals by id and the lists' plans in order.
EntryPlan = tuple[
    str,
    tuple[tuple[int, ...], ...],
    int | None,
    tuple[tuple[int, int], ...] | None,
    tuple[int, ...],
    bytes | None,
]
Plan = tuple[list[str], list[list[EntryPlan] | None]]


def _plan(lists: dict[str, tuple[str, ...]], memo: _AnalysisCache) -> Plan:
    """Number every entry's literals and lay its analysis out for _Lists."""
    ids: dict[str, int] = {}
    plans: list[list[EntryPlan] | None] = []
    for sources in lists.values():
        plan: list[EntryPlan] = []
        for source in sources:
            analysis = memo.analyse(source)
            if analysis is None:  # the analysis does not model it: run the list joined
                break
            literals, width, heads, guard, made = analysis
            clauses = tuple(tuple(ids.setdefault(s, len(ids)) for s in c) for c in literals)
            starts = (
                None
                if heads is None
                else tuple((ids.setdefault(s, len(ids)), len(s)) for s in heads)
            )
            guarded = tuple(ids.setdefault(s, len(ids)) for s in guard)
            plan.append((source, clauses, width, starts, guarded, made))
        else:
            plans.append(plan)
            continue
        plans.append(None)
    return list(ids), plans


class _AnalysisCache:
    """Each entry's literal clauses, longest match and compiled program, and the plan of the
    lists last prepared, remembered between runs the way Python remembers bytecode: a marshal
    file in the phrase folder's __pycache__ (or under PYTHONPYCACHEPREFIX; nothing is written
    under PYTHONDONTWRITEBYTECODE). It is keyed by the code that makes it and the Python
    version (a program is only good for the `re` that made it). The plan is used only for the
    very lists it was made from; otherwise each entry's analysis is found by the entry's own
    text, so an edited or added entry is simply analysed again: the cache can make a run
    slower, never different. Without it, a one-note `check` would parse every entry of every
    list, and compile (in pure Python, about a millisecond each) every entry its literals let
    through; with the plan, it reads only what the lists need, and each program only when its
    entry runs."""

    def __init__(self) -> None:
        self.key = ""
        self.known: dict[str, Any] = {}
        self.used: dict[str, Any] = {}

    @classmethod
    def plan(cls, lists: dict[str, tuple[str, ...]]) -> Plan:
        """The plan of these lists: remembered when the cache holds it, else made (from the
        entries' remembered analyses where it can) and remembered."""
        memo = cls()
        try:
            from invitepack.checks import literals

            memo.key = cache_key(literals.__file__, __file__)
            data = marshal.loads(cls.path().read_bytes())
            if data.get("key") == memo.key:
                if data["lists"] == tuple(lists.items()):
                    plan: Plan = data["plan"]
                    return plan
                memo.known = marshal.loads(data["entries"])
        except (OSError, ValueError, KeyError, AttributeError, TypeError, EOFError):
            pass
        made = _plan(lists, memo)
        memo.save(lists, made)
        return made

    @staticmethod
    def path() -> Path:
        return cache_file(data_file("phrases"), "literals")

    def analyse(self, source: str) -> Analysis | None:
        """(clauses of folded literals, longest match or None, folded starts or None, their
        guard, marshalled program or None), or None for an entry the analysis does not
        model."""
        known = self.known.get(source, False)
        if known is not False:
            self.used[source] = known
            return None if known is None else (known[0], known[1], known[2], known[3], known[4])
        from invitepack.checks.literals import Unsupported, analyse, common, fold, parse, program

        try:
            tree = parse(_anchored(source), _FLAGS)
            required, found = analyse(tree)
            clauses = [sorted(fold(s) for s in clause) for clause in required]
        except (Unsupported, re.error, RecursionError, OverflowError):
            self.used[source] = None
            return None
        high = tree.getwidth()[1]
        width = high if high < 1 << 16 else None
        if found is not None and clauses and width is not None and common(found[0]):
            # Starts most notes contain ("a", "in", "the") would make every scan report each
            # of their many places: an entry with a literal it needs and a bounded width is
            # searched from that literal instead.
            found = None
        heads = None if found is None else sorted(fold(s) for s in found[0])
        guard = [] if found is None else sorted(fold(s) for s in found[1])
        made = program(tree, _FLAGS)
        packed = None if made is None else marshal.dumps(made)
        self.used[source] = (clauses, width, heads, guard, packed)
        return clauses, width, heads, guard, packed

    def save(self, lists: dict[str, tuple[str, ...]], plan: Plan) -> None:
        if self.key:
            data = {
                "key": self.key,
                "lists": tuple(lists.items()),
                "plan": plan,
                "entries": marshal.dumps(self.used),
            }
            write_whole(self.path(), data)


# Building the automaton for the bundled lists costs about what the plain loop spends on
# 2,400 characters of text, counting each text as 400 more (each literal's find has a fixed
# cost): a one-note `check` never builds it, a batch builds it after a few notes.
_AUTOMATON_COST = 2400
_FIND_COST = 400


class _Scanner:
    """Finds which literals a text contains, and where each first ends, in one pass: literal
    by literal until the texts scanned would have paid for an Aho-Corasick automaton, then
    with the automaton."""

    def __init__(self, literals: list[str]):
        self.literals = literals
        self.automaton: Any = None
        self.budget: int | None = _AUTOMATON_COST  # None once the automaton is decided

    def scan(self, folded: str) -> dict[int, list[int]]:
        """Literal id -> the offsets just past each of its occurrences, in order."""
        if self.budget is not None:
            self.budget -= len(folded) + _FIND_COST
            if self.budget < 0:
                self.budget = None
                self.automaton = _automaton(enumerate(self.literals))
        return _occurrences(enumerate(self.literals), self.automaton, folded)


class _Filler:
    """What masking with a filler's characters can add to a text: the literals that hold one
    (folded) and their automaton, and a run of filler characters, which such a literal
    overlaps reaching at most `reach` characters beyond it."""

    __slots__ = ("automaton", "held", "reach", "runs")

    def __init__(self, filler: str, literals: list[str]) -> None:
        from invitepack.checks.literals import fold

        chars = set(fold(filler))
        self.held = [(i, s) for i, s in enumerate(literals) if not chars.isdisjoint(s)]
        self.automaton = _automaton(self.held)
        self.reach = max((len(s) - 1 for _, s in self.held), default=0)
        # (A repeat first gets no first-character set from `re`: it would try every place.)
        one = f"[{re.escape(filler)}]"
        self.runs = re.compile(f"{one}{one}*")


def _automaton(literals: Iterable[tuple[int, str]]) -> Any:
    """An Aho-Corasick automaton that finds literals by id; None when there are none, or
    without pyahocorasick."""
    try:
        import ahocorasick
    except ImportError:  # pragma: no cover - a dependency; the plain loop is exact too
        return None
    automaton = ahocorasick.Automaton()
    for index, literal in literals:
        automaton.add_word(literal, index)
    if not len(automaton):
        return None
    automaton.make_automaton()
    return automaton


def _occurrences(
    literals: Iterable[tuple[int, str]], automaton: Any, folded: str
) -> dict[int, list[int]]:
    """Literal id -> the offsets just past each of its occurrences in folded text, in order:
    from the literals' automaton, or without one literal by literal."""
    found: dict[int, list[int]] = {}
    if automaton is not None:
        for end, index in automaton.iter(folded):
            if index in found:
                found[index].append(end + 1)
            else:
                found[index] = [end + 1]
        return found
    for index, literal in literals:
        if literal in folded:  # most are not: `in` answers faster than find
            at = folded.find(literal)
            while at >= 0:
                found.setdefault(index, []).append(at + len(literal))
                at = folded.find(literal, at + 1)
    return found


class PhraseBook:
    """Compiled phrase lists by name, bundled entries plus a config's extras."""

    def __init__(
        self, extra: dict[str, tuple[str, ...]] | None = None, where: Location | None = None
    ):
        self._extra = extra or {}
        self._compiled: dict[str, re.Pattern[str]] = {}
        self._lists: _Lists | None = None
        self._fullmatches: dict[tuple[str, str], re.Match[str] | None] = {}
        for name, entries in self._extra.items():
            if not data_file(f"phrases/{name}.txt").is_file():
                raise LoadError(
                    f"[phrases] names an unknown list {name!r}",
                    where,
                    hint="the lists are the files in invitepack/data/phrases/",
                )
            _check_entries(name, entries, where)

    def entries(self, name: str) -> tuple[str, ...]:
        """A list's entries: the bundled ones, then the config's."""
        return bundled_list(name) + self._extra.get(name, ())

    def pattern(self, name: str) -> re.Pattern[str]:
        """The compiled pattern of a list (compiled on first use): what every answer of this
        book is the answer of."""
        if name not in self._compiled:
            self._compiled[name] = _compile(self.entries(name))
        return self._compiled[name]

    def prepare(self) -> None:
        """Make every list ready now, as the first search would. A caller that bounds each
        note's checking calls it first, so that the one-off preparation (about half a second
        when nothing is cached, e.g. under PYTHONDONTWRITEBYTECODE) is not charged to the first
        note's time limit."""
        if self._lists is None:
            self._prepare()

    def share_scan(self, masked: str, text: str, filler: str) -> None:
        """Let `masked` be searched without a scan of its own: it is `text` masked, some of
        its characters replaced by characters of `filler` (the same length, and wherever the
        two differ masked holds a filler character). A literal masked holds and text does not
        overlaps a replaced character, so holds a filler character: its literals are text's
        and those few (a note's masked body costs a few literal tests, not a second scan)."""
        if masked != text:
            (self._lists or self._prepare()).masked(masked, text, filler)

    def search(self, name: str, text: str, pos: int = 0) -> re.Match[str] | None:
        """The first match of any phrase of a list in text from `pos`:
        `pattern(name).search(text, pos)`. (The text's scan is shared by every search of it.)"""
        lists = self._lists or self._prepare()
        slot = lists.slots.get(name)
        if slot is None:
            return self.pattern(name).search(text, pos)
        offset, full, entries = slot
        found, masks = lists.scans.get(text) or lists.scan(text)
        mask = masks >> offset & full
        return lists.search(entries, mask, text, pos, found) if mask else None

    def finditer(self, name: str, text: str) -> Iterator[re.Match[str]]:
        """Every match of a list in text: `pattern(name).finditer(text)`."""
        lists = self._lists or self._prepare()
        slot = lists.slots.get(name)
        if slot is None:
            return self.pattern(name).finditer(text)
        offset, full, entries = slot
        found, masks = lists.scan(text)
        mask = masks >> offset & full
        matches = []
        pos = 0
        while mask:
            match = lists.search(entries, mask, text, pos, found)
            if match is None:
                break
            if match.end() == match.start():  # an empty match: let re apply its own rule
                return self.pattern(name).finditer(text)
            matches.append(match)
            pos = match.end()
        return iter(matches)

    def fullmatch(self, name: str, text: str) -> re.Match[str] | None:
        """`pattern(name).fullmatch(text)`, remembered per text (words recur)."""
        key = (name, text)
        try:
            return self._fullmatches[key]
        except KeyError:
            pass
        if len(self._fullmatches) >= _FULLMATCH_KEPT:
            self._fullmatches.clear()
        match = self._fullmatches[key] = self.pattern(name).fullmatch(text)
        return match

    def _prepare(self) -> _Lists:
        """Every list made ready for prefiltered search, on the first search. Books with the
        same lists in one process share the preparation (it holds nothing a search changes
        but its cache of recent scans)."""
        names = sorted({*bundled_names(), *self._extra})
        lists = {name: self.entries(name) for name in names}
        key = tuple(lists.items())
        prepared = _PREPARED.get(key)
        if prepared is None:
            if len(_PREPARED) >= 4:
                _PREPARED.clear()
            prepared = _PREPARED[key] = _Lists(lists)
        self._lists = prepared
        return prepared


_PREPARED: dict[tuple[tuple[str, tuple[str, ...]], ...], _Lists] = {}
