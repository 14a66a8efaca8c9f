"""Required literals of a regular expression: the prefilter behind the phrase lists.

`required(tree)` reads a pattern parsed by Python's own `re` parser and returns clauses that
every match satisfies: each clause is a set of strings, at least one of which occurs in any
text the pattern matches (an AND of ORs). A phrase entry whose clauses are not all met by a
text cannot match anywhere in it, so the phrase book runs only the entries whose literals a
note contains. Nothing here is tuned to a list: the literals come from the regexes alone, so
an edited list stays correct and fast.

Strings are compared after `fold`, which maps every character to one representative of the
characters Python's `re` treats as equal under IGNORECASE (`_sre.unicode_tolower` plus the
extra cases of `re._casefix`: long s and 's', dotless i and 'i', the Kelvin sign and 'k').
Folding is one character for one character, so offsets in folded text are offsets in the
text. Case-sensitive parts of a pattern are folded too: that can only keep an entry that could
not match, never drop one that could.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterable, Sequence
from functools import cache

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def _private(name: str) -> Any:
    """One of CPython's own modules behind `re` (None where the interpreter has none)."""
    try:
        return importlib.import_module(name)
    except ImportError:  # pragma: no cover - another interpreter
        return None


_SRE = _private("_sre")
_CASEFIX = _private("re._casefix")
# Extra IGNORECASE equivalences beyond lower case ('s' and long s, ...), by lower-case code.
_FIXES: dict[int, tuple[int, ...]] = getattr(_CASEFIX, "_EXTRA_CASES", {})


def _tolower(code: int) -> int:
    """The lower case `re` compares with under IGNORECASE: one code point for one."""
    if _SRE is not None:
        return int(_SRE.unicode_tolower(code))
    lowered = chr(code).lower()  # pragma: no cover - another interpreter
    return ord(lowered) if len(lowered) == 1 else code


# Limits that keep the analysis small: how many strings an exact set may hold, and how many
# characters a class may have to be spelled out.
_MAX_EXACT = 16
_MAX_BRANCH_EXACT = 64
_MAX_CLASS = 8
_MAX_CLAUSES = 2
_MAX_STARTS = 32  # more starting strings cost the scanner more than trying them saves
_KEPT_CLAUSES = 4
_MAX_COST = 0.5
_REPEAT_UNBOUNDED = 1 << 30


class Unsupported(Exception):
    """The pattern uses something the analysis does not model (a backreference, a
    conditional): the caller must not prefilter it."""


@cache
def _canonical(code: int) -> str:
    low = _tolower(code)
    return chr(min((low, *_FIXES.get(low, ()))))


class _FoldTable(dict[int, str]):
    """str.translate table for non-ASCII text, filled as characters are met."""

    def __missing__(self, code: int) -> str:
        char = _canonical(code)
        self[code] = char
        return char


_FOLD = _FoldTable()


# Characters whose str.lower() is their fold, as met: lower() is per character (but for a
# capital sigma, which is never one of these) and runs far faster than translate.
_LOWERS_TO_FOLD: set[str] = set()


def fold(text: str) -> str:
    """Text with each character replaced by its IGNORECASE representative (same length)."""
    if text.isascii():
        return text.lower()
    new = set(text) - _LOWERS_TO_FOLD
    if new:
        alike = {c for c in new if c != "\u03a3" and c.lower() == _canonical(ord(c))}
        _LOWERS_TO_FOLD.update(alike)
        if len(alike) < len(new):  # a few dozen characters (long s, Greek, ...) fold otherwise
            return text.translate(_FOLD)
    return text.lower()


class Info:
    """What a piece of pattern can match: `exact`, every string it can match (None when
    unknown or too many), and `clauses`, sets of strings one of which any match contains."""

    __slots__ = ("clauses", "exact")

    def __init__(
        self, exact: frozenset[str] | None, clauses: tuple[frozenset[str], ...] = ()
    ) -> None:
        self.exact = exact
        self.clauses = clauses

    def all_clauses(self) -> tuple[frozenset[str], ...]:
        """Clauses including the exact set itself (when it cannot be empty)."""
        if self.exact is not None and "" not in self.exact:
            return (*self.clauses, self.exact)
        return self.clauses


_EMPTY = Info(frozenset({""}))
_ANY = Info(None)


# About how often each character occurs in English notes; anything else is taken as rare.
_FREQUENCY = {
    **dict.fromkeys("etaoinsrhdlucmwfgypb", 0.04),
    **dict.fromkeys("etaoin", 0.075),
    "e": 0.11,
    " ": 0.17,
    **dict.fromkeys("vkjxqz", 0.006),
    **dict.fromkeys("'\u2019,.", 0.01),
    **dict.fromkeys("0123456789-!?", 0.004),
}
_TEXT_LENGTH = 300  # a typical note, in characters


@cache
def _chance(literal: str) -> float:
    """Roughly how likely a note is to contain a literal."""
    chance = float(_TEXT_LENGTH)
    for char in literal:
        chance *= _FREQUENCY.get(char, 0.001)
        if chance < 1e-9:
            break
    return min(1.0, chance)


def cost(clause: frozenset[str]) -> float:
    """How likely a clause is to be met by a note (at most 1): the sum of its literals'
    chances. Lower is more selective."""
    return min(1.0, sum(_chance(s) for s in clause))


def common(strings: frozenset[str]) -> bool:
    """Would most notes contain one of these strings (a space, a letter, "a" or "in")?"""
    return cost(strings) > _MAX_COST


def _useful(clause: frozenset[str]) -> bool:
    """A clause worth checking: not one that most notes meet anyway."""
    return bool(clause) and not common(clause)


@cache
def _reduce(clause: frozenset[str]) -> frozenset[str]:
    """The clause without strings that contain another of its strings: where the longer one
    occurs, so does the shorter, so the clause is met by exactly the same texts."""
    kept: list[str] = []
    for literal in sorted(clause, key=len):
        if not any(shorter in literal for shorter in kept):
            kept.append(literal)
    return frozenset(kept)


def _best(clauses: Iterable[frozenset[str]]) -> tuple[frozenset[str], ...]:
    unique = {_reduce(c) for c in clauses if c and "" not in c}
    unique = {c for c in unique if _useful(c)}
    # Drop a clause that another, stricter one implies (a subset is a stronger requirement).
    kept = [c for c in unique if not any(o < c for o in unique)]
    kept.sort(key=lambda c: (cost(c), sorted(c)))
    return tuple(kept[:_KEPT_CLAUSES])


def _concat(a: Info, b: Info) -> Info:
    if a.exact is not None and b.exact is not None and len(a.exact) * len(b.exact) <= _MAX_EXACT:
        return Info(frozenset(x + y for x in a.exact for y in b.exact), a.clauses + b.clauses)
    return Info(None, _best(a.all_clauses() + b.all_clauses()))


def _branch(infos: Sequence[Info]) -> Info:
    exact: frozenset[str] | None = None
    if all(i.exact is not None for i in infos):
        union = frozenset().union(*(i.exact for i in infos if i.exact is not None))
        if len(union) <= _MAX_BRANCH_EXACT:
            exact = union
    # One clause for the whole alternation: each branch's most selective clause, joined.
    parts = []
    for info in infos:
        best = _best(info.all_clauses())
        if not best:
            return Info(exact)
        parts.append(best[0])
    return Info(exact, (frozenset().union(*parts),))


def _repeat(info: Info, low: int, high: int) -> Info:
    if low == 0:
        if high == 1 and info.exact is not None:
            return Info(info.exact | {""})
        return _EMPTY if info.exact == frozenset({""}) else Info(None)
    result = info
    if info.exact is not None and low == high:
        for _ in range(low - 1):
            result = _concat(result, info)
            if result.exact is None:
                break
        if result.exact is not None:
            return result
    return Info(None, _best(info.all_clauses()))


def _class(items: list[tuple[Any, Any]]) -> Info:
    chars: set[str] = set()
    for op, av in items:
        name = str(op)
        if name == "LITERAL":
            chars.add(_canonical(av))
        elif name == "RANGE" and av[1] - av[0] < _MAX_CLASS:
            chars.update(_canonical(c) for c in range(av[0], av[1] + 1))
        else:  # NEGATE, CATEGORY (\w, \s, ...), a wide range
            return _ANY
        if len(chars) > _MAX_CLASS:
            return _ANY
    return Info(frozenset(chars))


def _sequence(items: Iterable[tuple[Any, Any]]) -> Info:
    """A concatenation: runs of exact pieces are joined into longer literals (a run ends
    where a piece is not exact, or where joining would spell out too many strings)."""
    key = id(items)
    known = _MEMO.get(key)
    if known is not None:
        return known[1]
    run: frozenset[str] = frozenset({""})
    clauses: list[frozenset[str]] = []
    broken = False
    for op, av in _joined_literals(items):
        info = Info(frozenset({av})) if op is None else _node(op, av)
        if info.exact is not None and len(run) * len(info.exact) <= _MAX_EXACT:
            run = frozenset(x + y for x in run for y in info.exact)
            clauses += info.clauses
            continue
        broken = True
        clauses += Info(run).all_clauses()
        if info.exact is not None:
            run = info.exact
            clauses += info.clauses
        else:
            run = frozenset({""})
            clauses += info.all_clauses()
    result = (
        Info(run, _best(clauses))
        if not broken
        else Info(None, _best([*clauses, *Info(run).all_clauses()]))
    )
    _MEMO[key] = (items, result)  # the items are kept so that their id is not reused
    return result


# Analyses of the subpatterns of the entry being read (required() and starts() both walk it).
_MEMO: dict[int, tuple[Any, Info]] = {}


def _joined_literals(items: Iterable[tuple[Any, Any]]) -> Iterable[tuple[Any, Any]]:
    """The items with each run of single characters joined into one string (op None)."""
    text: list[str] = []
    for op, av in items:
        if str(op) == "LITERAL":
            text.append(_canonical(av))
            continue
        if text:
            yield None, "".join(text)
            text = []
        yield op, av
    if text:
        yield None, "".join(text)


def _node(op: Any, av: Any) -> Info:
    name = str(op)
    if name == "LITERAL":
        return Info(frozenset({_canonical(av)}))
    if name == "IN":
        return _class(av)
    if name == "SUBPATTERN":
        return _sequence(av[-1])
    if name == "ATOMIC_GROUP":
        return _sequence(av)
    if name == "BRANCH":
        return _branch([_sequence(branch) for branch in av[1]])
    if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
        low, high, item = av
        return _repeat(_sequence(item), low, min(high, _REPEAT_UNBOUNDED))
    if name in ("AT", "ASSERT", "ASSERT_NOT"):
        return _EMPTY  # zero-width: it adds nothing to what the match contains
    if name in ("ANY", "NOT_LITERAL", "CATEGORY"):
        return _ANY
    raise Unsupported(name)  # GROUPREF, GROUPREF_EXISTS, FAILURE, ... : no prefilter


def analyse(
    tree: Iterable[tuple[Any, Any]],
) -> tuple[tuple[frozenset[str], ...], Starts | None]:
    """required(tree) and starts(tree), reading each subpattern once."""
    _MEMO.clear()
    try:
        return required(tree), starts(tree)
    finally:
        _MEMO.clear()


def required(tree: Iterable[tuple[Any, Any]]) -> tuple[frozenset[str], ...]:
    """The clauses every match of a parsed pattern meets, most selective first (empty: no
    requirement worth checking). A clause with a one-character string, or one that most
    texts would meet anyway, is left out (see _useful).
    Raises Unsupported for patterns the analysis does not model."""
    return _best(_sequence(tree).all_clauses())[:_MAX_CLAUSES]


# What starts(tree) knows: strings one of which every match begins with, unless the match
# holds one of the guard's strings (a branch whose start is not known needs one of them).
Starts = tuple[frozenset[str], frozenset[str]]


def starts(tree: Iterable[tuple[Any, Any]]) -> Starts | None:
    """Strings one of which every match of a parsed pattern begins with (folded), and its
    guard, or None when no such set is known. A pattern with them need only be tried where
    they occur, in a text that holds no string of the guard (most often the guard is empty).

    The guard lets a pattern that opens with an alternation, some of whose branches start
    with no known string ("(your|[A-Z]\\w+'s) post"), be tried at its other branches' starts
    in a text without the strings those branches need ("'s")."""
    head, guard = _prefix(tree)
    if not head or "" in head or len(head) > _MAX_STARTS:
        return None
    # Where a longer start occurs, a shorter one that begins it occurs at the same place.
    kept: list[str] = []
    for literal in sorted(head, key=len):
        if not any(literal.startswith(shorter) for shorter in kept):
            kept.append(literal)
    return frozenset(kept), guard


_ZERO_WIDTH = ("AT", "ASSERT", "ASSERT_NOT")
_UNKNOWN: Starts = (frozenset({""}), frozenset())


def _prefix(items: Iterable[tuple[Any, Any]]) -> Starts:
    """What every match of a sequence starts with, and the guard (see Starts): the strings
    one of which a match that starts otherwise holds; {""} when nothing is known."""
    run: frozenset[str] = frozenset({""})
    for op, av in items:
        name = str(op)
        if name in _ZERO_WIDTH:
            continue  # consumes nothing: what follows still starts the match
        info = _node(op, av)
        if info.exact is not None and len(run) * len(info.exact) <= _MAX_EXACT:
            run = frozenset(x + y for x in run for y in info.exact)
            continue
        head, guard = _UNKNOWN
        if name == "SUBPATTERN":
            head, guard = _prefix(av[-1])
        elif name == "ATOMIC_GROUP":
            head, guard = _prefix(av)
        elif name == "BRANCH":
            head, guard = _branch_prefix(av[1])
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT") and av[0] >= 1:
            head, guard = _prefix(av[2])
        if "" not in head:
            if run == {""}:
                return head, guard
            if not guard and len(run) * len(head) <= _MAX_BRANCH_EXACT:
                run = frozenset(x + y for x in run for y in head)
        # else what is known so far (if anything) still starts every match
        return run, frozenset()
    return run, frozenset()


def _branch_prefix(branches: list[Any]) -> Starts:
    """An alternation's starts: its branches' together. A branch whose start is not known
    adds its most selective required clause to the guard instead (none: nothing is known)."""
    heads: list[frozenset[str]] = []
    guards: list[frozenset[str]] = []
    for branch in branches:
        head, guard = _prefix(branch)
        if "" not in head:
            heads.append(head)
            guards.append(guard)
            continue
        best = _best(_sequence(branch).all_clauses())
        if not best:
            return _UNKNOWN
        guards.append(best[0])
    if not heads:
        return _UNKNOWN
    return frozenset().union(*heads), frozenset().union(*guards)


def parse(pattern: str, flags: int = 0) -> Any:
    """Python's own parse of a pattern (re._parser), as `re.compile` would parse it."""
    return _private("re._parser").parse(pattern, flags)


# A compiled pattern's program, as `_sre.compile` takes it after the pattern: flags, code,
# the number of groups, and the group names both ways. Plain ints, dicts and tuples, so that
# it can be remembered between runs like bytecode (marshal).
Program = tuple[int, list[int], int, dict[str, int], tuple[str | None, ...]]


def program(tree: Any, flags: int) -> Program | None:
    """The program `re.compile` would build from a tree from `parse`, with its alternations
    grouped by first character (_grouped) and told the characters a match can start with
    where `re` finds none (_with_first_chars): it answers alike, faster; None where this
    interpreter's `re` is not laid out as CPython 3.11-3.13's."""
    compiler = _private("re._compiler")
    state = getattr(tree, "state", None)
    if compiler is None or state is None or not hasattr(compiler, "_code"):
        return None  # pragma: no cover - another interpreter
    flags |= state.flags
    grouped = tree if flags & re.LOCALE else _grouped(tree, bool(flags & re.IGNORECASE))
    code = _with_first_chars(
        [int(op) for op in compiler._code(grouped, flags)], tree, flags, compiler
    )
    names: list[str | None] = [None] * state.groups
    for name, index in state.groupdict.items():
        names[index] = name
    return int(flags), code, state.groups - 1, dict(state.groupdict), tuple(names)


def _grouped(tree: Any, nocase: bool) -> Any:
    """The tree with each alternation whose branches all start with a character regrouped by
    that character: "post|poll|blog" as "p(?:ost|oll)|blog". `_sre` tries an alternation's
    branches one by one, each a jump, and a phrase list's entry may have a hundred words in
    one; grouped, it tries one branch per first character. The answers are the same: two
    branches whose first characters differ (as `re` compares them) never match at the same
    place, so only the order of branches within a group matters, and it is kept."""
    items = []
    for op, av in tree:
        name = str(op)
        if name == "BRANCH":
            branches = [_grouped(branch, nocase) for branch in av[1]]
            grouped = _by_first_char(tree.state, branches, nocase)
            op, av = grouped or _alternation(tree.state, branches, nocase)
        elif name == "SUBPATTERN":
            group, add, remove, sub = av
            av = group, add, remove, _grouped(sub, _nocase_inside(av, nocase))
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            av = av[0], av[1], _grouped(av[2], nocase)
        elif name in ("ASSERT", "ASSERT_NOT"):
            av = av[0], _grouped(av[1], nocase)
        elif name == "ATOMIC_GROUP":
            av = _grouped(av, nocase)
        items.append((op, av))
    return _private("re._parser").SubPattern(tree.state, items)


def _nocase_inside(group: tuple[Any, int, int, Any], nocase: bool) -> bool:
    """Whether a group's pattern is case-insensitive: its own (?i:...) or (?-i:...), else
    the case of where it stands."""
    _, add, remove, _ = group
    return bool(add & re.I or (nocase and not remove & re.I))


def _by_first_char(state: Any, branches: list[Any], nocase: bool) -> tuple[Any, Any] | None:
    """A node for the branches grouped by first character (an alternation, or one group
    when all share it), or None when a branch does not start with a character, or no two
    branches share one."""
    groups: dict[str, list[Any]] = {}
    for branch in branches:
        if not len(branch) or str(branch[0][0]) != "LITERAL":
            return None
        code = branch[0][1]
        groups.setdefault(_canonical(code) if nocase else chr(code), []).append(branch)
    if len(groups) == len(branches):
        return None
    parser = _private("re._parser")
    grouped = []
    for members in groups.values():
        if len(members) == 1:
            grouped.append(members[0])
            continue
        rests = [parser.SubPattern(state, list(branch)[1:]) for branch in members]
        inner = _by_first_char(state, rests, nocase) or _alternation(state, rests, nocase)
        rest = (parser.SUBPATTERN, (None, 0, 0, parser.SubPattern(state, [inner])))
        grouped.append(parser.SubPattern(state, [members[0][0], rest]))
    if len(grouped) == 1:  # one first character: no alternation left at this level
        return parser.SUBPATTERN, (None, 0, 0, grouped[0])
    return _alternation(state, grouped, nocase)


# Telling a branch's first letter costs it about 17 code words, which a cold run reads from
# the caches; an alternation of fewer branches saves too few jumps to pay for them.
_TOLD = 6


def _alternation(state: Any, branches: list[Any], nocase: bool) -> tuple[Any, Any]:
    """An alternation of the branches, each that starts with a letter told to `_sre` as a
    class it tests before entering the branch (of _TOLD branches or more). `_sre` enters a
    branch (a jump) only when its first literal or class can match, but a case-insensitive
    letter is neither: an alternation of words was entered word by word. So the letter is
    read as the case-sensitive class of every character but the other ASCII ones (its two
    cases, and those beyond ASCII, where folding may also match it), then checked as itself
    by a one-character lookbehind: the same characters, tested first."""
    parser = _private("re._parser")
    checked = []
    for branch in branches:
        first = branch[0] if nocase and len(branch) and len(branches) >= _TOLD else None
        if first is None or str(first[0]) != "LITERAL" or not chr(first[1]).isascii():
            checked.append(branch)
            continue
        char = chr(first[1])
        if not char.isalpha():  # not cased: `_sre` tests it before entering already
            checked.append(branch)
            continue
        upper, lower = ord(char.upper()), ord(char.lower())
        others = [(0, upper - 1), (upper + 1, lower - 1), (lower + 1, 0x7F)]
        negated = [(parser.NEGATE, None), *((parser.RANGE, pair) for pair in others)]
        tested = parser.SubPattern(state, [(parser.IN, negated)])
        as_itself = (parser.ASSERT, (-1, parser.SubPattern(state, [first])))
        rest = list(branch)[1:]
        checked.append(
            parser.SubPattern(
                state, [(parser.SUBPATTERN, (None, 0, re.IGNORECASE, tested)), as_itself, *rest]
            )
        )
    return parser.BRANCH, (None, checked)


def _with_first_chars(code: list[int], tree: Any, flags: int, compiler: Any) -> list[int]:
    """The code with a character set in its info block when `re` put none there and
    first_chars knows one. `re` looks for a set only in a pattern that starts with a literal
    or a class and is not case-insensitive, so a phrase (which starts with a lookbehind) was
    tried from every place of a text; with the set, `_sre` skips the places a match cannot
    start from in a fast loop of its own."""
    info = compiler.INFO, compiler.SRE_INFO_PREFIX | compiler.SRE_INFO_CHARSET
    if code[0] != info[0] or code[2] & info[1] or not code[3]:
        return code  # a literal prefix or a set already, or a match may be empty
    chars = first_chars(tree, flags)
    if chars is None:
        return code
    ascii_part, _ = compiler._optimize_charset([(compiler.LITERAL, c) for c in sorted(chars)])
    charset: list[int] = []
    compiler._compile_charset([*ascii_part, (compiler.RANGE, (0x80, _MAX_CODE))], flags, charset)
    head = [int(c) for c in (compiler.INFO, 4 + len(charset), compiler.SRE_INFO_CHARSET)]
    return [*head, code[3], code[4], *map(int, charset), *code[code[1] + 1 :]]


_MAX_CODE = 0x10FFFF


def first_chars(tree: Any, flags: int) -> frozenset[int] | None:
    """The ASCII characters a match of a parsed pattern can start with, or None when not
    known (or a match may be empty). Beyond ASCII nothing is modelled: every such character
    may start a match (folding makes their cases many, and notes hold few of them)."""
    if flags & re.LOCALE:
        return None  # cases as the locale has them
    found = _first(tree, bool(flags & re.IGNORECASE))
    return None if found is None or found[1] else found[0]


def _first(items: Iterable[tuple[Any, Any]], nocase: bool) -> tuple[frozenset[int], bool] | None:
    """(the ASCII characters a sequence's first consumed character can be, whether it can
    consume none), or None when not known."""
    chars: frozenset[int] = frozenset()
    for op, av in items:
        name = str(op)
        found: tuple[frozenset[int], bool] | None
        if name in _ZERO_WIDTH:
            continue  # consumes nothing: what follows is read from the same place
        if name == "LITERAL":
            found = _ascii_alike([av], nocase), False
        elif name == "CATEGORY":
            category = _category(av)
            found = None if category is None else (category, False)
        elif name == "IN":
            members = _members(av, nocase)
            found = None if members is None else (_ascii_alike(members, nocase), False)
        elif name == "SUBPATTERN":
            found = _first(av[3], _nocase_inside(av, nocase))
        elif name == "ATOMIC_GROUP":
            found = _first(av, nocase)
        elif name == "BRANCH":
            branches = [_first(branch, nocase) for branch in av[1]]
            known = [b for b in branches if b is not None]
            found = None
            if len(known) == len(branches):
                found = frozenset().union(*(k[0] for k in known)), any(k[1] for k in known)
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            found = _first(av[2], nocase)
            if found is not None:
                found = found[0], found[1] or av[0] == 0
        else:  # any character, a backreference...
            return None
        if found is None:
            return None
        chars |= found[0]
        if not found[1]:
            return chars, False
    return chars, True


def _members(items: list[tuple[Any, Any]], nocase: bool) -> list[int] | None:
    """The code points a class lists that may count among its ASCII alikes, or None for one
    that is negated, has a category not known (see _category) or, case-insensitive, a range
    too wide to spell out. A case-sensitive range counts with its ASCII part alone, however
    wide (an emoji class, [\\U0001f300-\\U0001faff], has none), and so does a category."""
    codes: list[int] = []
    for op, av in items:
        name = str(op)
        category = _category(av) if name == "CATEGORY" else None
        if name == "LITERAL":
            codes.append(av)
        elif category is not None:
            codes.extend(category)
        elif name == "RANGE" and not nocase:
            codes.extend(range(av[0], min(av[1], 0x7F) + 1))
        elif name == "RANGE" and av[1] - av[0] < 0x100:
            codes.extend(range(av[0], av[1] + 1))
        else:
            return None
    return codes


_CATEGORIES = {
    "CATEGORY_DIGIT": r"\d",
    "CATEGORY_NOT_DIGIT": r"\D",
    "CATEGORY_SPACE": r"\s",
    "CATEGORY_NOT_SPACE": r"\S",
    "CATEGORY_WORD": r"\w",
    "CATEGORY_NOT_WORD": r"\W",
}


@cache
def _category(category: Any) -> frozenset[int] | None:
    """The ASCII characters a category (\\d, \\s, \\w or their negations) may match, in any of
    the readings `re` has of it (Unicode or ASCII, case-sensitive or not: \\s differs), as
    `re` itself answers; None for another category."""
    escape = _CATEGORIES.get(str(category))
    if escape is None:
        return None
    readings = (0, re.ASCII, re.IGNORECASE, re.ASCII | re.IGNORECASE)
    return frozenset(
        code for code in range(0x80) for flags in readings if re.match(escape, chr(code), flags)
    )


def _ascii_alike(codes: list[int], nocase: bool) -> frozenset[int]:
    """The ASCII characters `re` takes as equal to any of these code points."""
    if not nocase:
        return frozenset(c for c in codes if c < 0x80)
    folded = {_canonical(c) for c in codes}
    return frozenset(c for c in range(0x80) if _canonical(c) in folded)


def compile_program(pattern: str, flags: int, made: Program | None) -> re.Pattern[str]:
    """The pattern compiled from its remembered program without parsing it again: what
    `re.compile(pattern, flags)` returns. A program `_sre` refuses (a damaged cache, another
    interpreter) is ignored and the pattern compiled afresh."""
    if made is not None and _SRE is not None:
        try:
            compiled: re.Pattern[str] = _SRE.compile(pattern, *made)
            return compiled
        except (TypeError, ValueError, RuntimeError, OverflowError):
            pass
    return re.compile(pattern, flags)
