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

import os
import re
import sys
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from invitepack.errors import LoadError, Location
from invitepack.pack.resources import data_file

if TYPE_CHECKING:
    from invitepack.checks.literals import Program

_FLAGS = re.IGNORECASE
_NEVER = r"(?!x)x"
# How many texts' literal scans a book keeps: a note's body and its masked body, and a subject.
_SCANS_KEPT = 8
_FULLMATCH_KEPT = 4096


@cache
def bundled_list(name: str) -> tuple[str, ...]:
    """The entries of a bundled phrase list ('#' starts a comment line)."""
    path = data_file(f"phrases/{name}.txt")
    if not path.is_file():
        raise LoadError(
            f"no phrase list named {name!r}", hint="see invitepack/data/phrases/ for the lists"
        )
    lines = path.read_text(encoding="utf-8").splitlines()
    return tuple(
        line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")
    )


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

    __slots__ = ("clauses", "compiled", "first", "program", "second", "source", "starts", "width")

    def __init__(
        self,
        source: str,
        made: Program | None,
        clauses: tuple[frozenset[int], ...],
        width: int | None,
        starts: tuple[tuple[int, int], ...] | None = None,
    ):
        self.source = source
        # literal id -> length of the strings every match begins with: tried only there
        self.starts = None if starts is None else dict(starts)
        self.program = made
        self.clauses = clauses
        self.first = clauses[0] if clauses else frozenset()
        self.second = clauses[1] if len(clauses) > 1 else None
        # Without a first clause the entry runs on every text, from where the search starts.
        self.width = width if clauses else None
        self.compiled: re.Pattern[str] | None = None

    def pattern(self) -> re.Pattern[str]:
        if self.compiled is None:
            from invitepack.checks.literals import compile_program

            self.compiled = compile_program(_anchored(self.source), _FLAGS, self.program)
            self.program = None
        return self.compiled


class _Lists:
    """Every list of a book made ready for prefiltered search: each entry's literal clauses,
    one scanner for all their literals, and for each literal the entries (a bit mask per
    list) whose first clause it meets. Lists the analysis cannot read run joined (None)."""

    def __init__(self, lists: dict[str, tuple[str, ...]]):
        ids: dict[str, int] = {}
        self.index: dict[str, int] = {}
        self.entries: list[list[_Entry] | None] = []
        self.always: list[int] = []
        postings: dict[int, dict[int, int]] = {}  # literal -> {list index: entry mask}
        memo = _AnalysisCache()
        for number, (name, sources) in enumerate(lists.items()):
            self.index[name] = number
            entries: list[_Entry] = []
            always = 0
            mine: dict[int, int] = {}
            for bit, source in enumerate(sources):
                analysis = memo.analyse(source)
                if analysis is None:  # the analysis does not model it: run the list joined
                    break
                literals, width, heads, made = analysis
                clauses = tuple(
                    frozenset(ids.setdefault(s, len(ids)) for s in clause) for clause in literals
                )
                starts = (
                    None
                    if heads is None
                    else tuple((ids.setdefault(s, len(ids)), len(s)) for s in heads)
                )
                entries.append(_Entry(source, made, clauses, width, starts))
                if not clauses:
                    always |= 1 << bit
                for literal in clauses[0] if clauses else ():
                    mine[literal] = mine.get(literal, 0) | 1 << bit
            else:
                self.entries.append(entries)
                self.always.append(always)
                for literal, mask in mine.items():
                    postings.setdefault(literal, {})[number] = mask
                continue
            self.entries.append(None)
            self.always.append(0)
        memo.save()
        # name -> (list index, entries) for the lists that are prefiltered
        self.slots: dict[str, tuple[int, list[_Entry]]] = {}
        for name, number in self.index.items():
            prepared = self.entries[number]
            if prepared is not None:
                self.slots[name] = (number, prepared)
        self.postings = {literal: tuple(lists.items()) for literal, lists in postings.items()}
        self.scanner = _Scanner(list(ids))
        self.scans: dict[str, tuple[dict[int, list[int]], list[int]]] = {}

    def scan(self, text: str) -> tuple[dict[int, list[int]], list[int]]:
        """The literals a text contains (id -> end of the first occurrence), and per list the
        mask of entries that may match it. The last few texts are remembered: a note's body
        is searched by most lists."""
        seen = self.scans.get(text)
        if seen is not None:
            return seen
        from invitepack.checks.literals import fold

        found = self.scanner.scan(fold(text))
        masks = list(self.always)
        postings = self.postings
        for literal in found:
            for number, mask in postings.get(literal, ()):
                masks[number] |= mask
        if len(self.scans) >= _SCANS_KEPT:
            self.scans.clear()
        seen = self.scans[text] = (found, masks)
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
            if entry.second is not None and keys.isdisjoint(entry.second):
                continue
            starts = entry.starts
            if starts is not None:
                # Every match begins with one of the entry's starts: try only where they occur.
                hits = keys & starts.keys()
                if not hits:
                    continue
                pattern = entry.compiled or entry.pattern()
                for place in sorted({end - starts[i] for i in hits for end in found[i]}):
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


Analysis = tuple[list[list[str]], int | None, list[str] | None, "Program | None"]


class _AnalysisCache:
    """Each entry's literal clauses, longest match and compiled program, remembered between
    runs the way Python remembers bytecode: a marshal file in the phrase folder's __pycache__
    (or under PYTHONPYCACHEPREFIX; nothing is written under PYTHONDONTWRITEBYTECODE). It is
    keyed by the analysis code and the Python version (a program is only good for the `re`
    that made it), and holds results by the entry's own text, so an edited or added entry is
    simply analysed again: the cache can make a run slower, never different. Without it, a
    one-note `check` would parse every entry of every list, and compile (in pure Python, about
    a millisecond each) every entry its literals let through."""

    def __init__(self) -> None:
        self.key = ""
        self.known: dict[str, Any] = {}
        self.used: dict[str, Any] = {}
        self.changed = False
        try:
            import marshal
            import zlib

            from invitepack.checks import literals

            code = Path(literals.__file__).read_bytes()
            self.key = f"{zlib.crc32(code):08x}-{len(code)}-{sys.version}"
            data = marshal.loads(self.path().read_bytes())
            if data.get("key") == self.key:
                self.known = data["entries"]
        except (OSError, ValueError, KeyError, AttributeError, TypeError, EOFError):
            pass

    @staticmethod
    def path() -> Path:
        folder = data_file("phrases")
        if sys.pycache_prefix:
            base = Path(sys.pycache_prefix) / folder.resolve().relative_to(folder.anchor)
        else:
            base = folder / "__pycache__"
        return base / f"literals.{sys.implementation.cache_tag}.marshal"

    def analyse(self, source: str) -> Analysis | None:
        """(clauses of folded literals, longest match or None, compiled program or None),
        or None for an entry the analysis does not model."""
        known = self.known.get(source, False)
        if known is not False:
            self.used[source] = known
            return None if known is None else (known[0], known[1], known[2], known[3])
        from invitepack.checks.literals import Unsupported, analyse, fold, parse, program

        self.changed = True
        try:
            tree = parse(_anchored(source), _FLAGS)
            required, found = analyse(tree)
            clauses = [sorted(fold(s) for s in clause) for clause in required]
        except (Unsupported, re.error, RecursionError, OverflowError):
            self.used[source] = None
            return None
        heads = None if found is None else sorted(fold(s) for s in found)
        high = tree.getwidth()[1]
        width = high if high < 1 << 16 else None
        made = program(tree, _FLAGS)
        self.used[source] = (clauses, width, heads, made)
        return clauses, width, heads, made

    def save(self) -> None:
        if not self.changed or not self.key or sys.dont_write_bytecode:
            return
        import marshal

        path = self.path()
        temporary = path.with_name(f".{path.name}.{os.getpid()}")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary.write_bytes(marshal.dumps({"key": self.key, "entries": self.used}))
            os.replace(temporary, path)  # whole, or not at all
        except OSError:
            temporary.unlink(missing_ok=True)


class _Scanner:
    """Finds which literals a text contains, and where each first ends, in one pass."""

    def __init__(self, literals: list[str]):
        self.literals = literals
        self.automaton: Any = None
        try:
            import ahocorasick
        except ImportError:  # pragma: no cover - a dependency; the plain loop below is exact too
            return
        automaton = ahocorasick.Automaton()
        for index, literal in enumerate(literals):
            automaton.add_word(literal, index)
        if literals:
            automaton.make_automaton()
            self.automaton = automaton

    def scan(self, folded: str) -> dict[int, list[int]]:
        """Literal id -> the offsets just past each of its occurrences, in order."""
        found: dict[int, list[int]] = {}
        if self.automaton is not None:
            for end, index in self.automaton.iter(folded):
                if index in found:
                    found[index].append(end + 1)
                else:
                    found[index] = [end + 1]
            return found
        for index, literal in enumerate(self.literals):
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

    def search(self, name: str, text: str) -> re.Match[str] | None:
        """The first match of any phrase of a list in text: `pattern(name).search(text)`."""
        lists = self._lists or self._prepare()
        slot = lists.slots.get(name)
        if slot is None:
            return self.pattern(name).search(text)
        number, entries = slot
        found, masks = lists.scans.get(text) or lists.scan(text)
        mask = masks[number]
        return lists.search(entries, mask, text, 0, found) if mask else None

    def finditer(self, name: str, text: str) -> Iterator[re.Match[str]]:
        """Every match of a list in text: `pattern(name).finditer(text)`."""
        lists = self._lists or self._prepare()
        slot = lists.slots.get(name)
        if slot is None:
            return self.pattern(name).finditer(text)
        number, entries = slot
        found, masks = lists.scan(text)
        mask = masks[number]
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

    def prepare(self) -> None:
        """Make every list ready for search now instead of on the first search (a batch does
        this before its rows, whose time bounds are for checking them)."""
        if self._lists is None:
            self._prepare()

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
