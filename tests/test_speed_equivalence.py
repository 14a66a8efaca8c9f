"""The fast paths of issue 12 give exactly the answers of the plain ones.

The oracle is the plain code kept here: a phrase book whose every answer is the list's joined
pattern (what `PhraseBook` did before the literal prefilter), and the checker run through the
generic plugin loop with it. Against it: every labelled note (tests/data/*.yaml and
tests/data/real/raw-*.yaml, with and without their scenario), the built-in pack's `validate`,
a 10,000-row batch, and generated texts built from the lists' own words. The lists are read as
they are, so an edited list is compared as edited.
"""

from __future__ import annotations

import csv
import dataclasses
import random
import re
import sys
import unicodedata
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import DATA
from hypothesis import given, settings
from hypothesis import strategies as st

from invitepack.checks import evidence, literals
from invitepack.checks import phrases as phrases_module
from invitepack.checks.checker import Checker, build_checker
from invitepack.checks.phrases import PhraseBook, bundled_list, bundled_names
from invitepack.checks.results import Outcome
from invitepack.checks.verdict import judge
from invitepack.pack.workspace import Workspace
from invitepack.render.message import Message


class PlainPhraseBook(PhraseBook):
    """The oracle: every answer straight from the list's joined pattern."""

    def search(self, name: str, text: str, pos: int = 0) -> re.Match[str] | None:
        return self.pattern(name).search(text, pos)

    def finditer(self, name: str, text: str):  # type: ignore[no-untyped-def]
        return self.pattern(name).finditer(text)

    def fullmatch(self, name: str, text: str) -> re.Match[str] | None:
        return self.pattern(name).fullmatch(text)


def _labelled() -> list[dict[str, Any]]:
    notes = []
    for path in [*sorted(DATA.glob("*.yaml")), *sorted((DATA / "real").glob("raw-*.yaml"))]:
        loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
        if isinstance(loaded, list):
            notes += [n for n in loaded if isinstance(n, dict) and "text" in n]
    return notes


NOTES = _labelled()
TEXTS = [n["text"] for n in NOTES]


def _oracle(checker: Checker) -> Checker:
    """The same checker with the plain phrase book."""
    plain = PlainPhraseBook(checker.context.phrases._extra)
    context = dataclasses.replace(checker.context, phrases=plain)
    return Checker(checker.plugins, context, checker.selection, checker.policy)


def _key(match: re.Match[str] | None) -> tuple[tuple[int, int], str] | None:
    return None if match is None else (match.span(), match.group(0))


def _same_answers(book: PhraseBook, plain: PhraseBook, names: list[str], text: str) -> None:
    for name in names:
        for pos in (0, len(text) // 3):  # a search from inside the text (evidence asks one)
            found, expected = book.search(name, text, pos), plain.search(name, text, pos)
            assert _key(found) == _key(expected), (name, text, pos)
        assert [_key(m) for m in book.finditer(name, text)] == [
            _key(m) for m in plain.finditer(name, text)
        ], (name, text)


def _outcome(checker: Checker, message: Message) -> list[Any]:
    outcome = checker.outcome()
    checker.check_message(message, outcome)
    return _serial(outcome)


def _serial(outcome: Outcome) -> list[Any]:
    findings = [(*dataclasses.astuple(f), f.plugin) for f in outcome.findings]
    verdicts = [(v.location, v.label, v.verdict) for v in outcome.verdicts]
    return [findings, verdicts, [str(f) for f in outcome.failures], outcome.checked]


def test_labelled_set_is_there():
    assert len(NOTES) > 700  # three labelled sets and six real ones


def test_phrase_answers_equal_the_joined_pattern_on_every_labelled_note():
    book, plain = PhraseBook(), PlainPhraseBook()
    names = list(bundled_names())
    for text in TEXTS:
        for variant in (text, text.upper(), text.replace("'", "\u2019"), text.lower()):
            _same_answers(book, plain, names, variant)
    for word in ("AWS", "SO", "NAME", "FREE", "Hello", "TL;DR", "COMPANY", "XYZ", "x"):
        for name in names:
            assert _key(book.fullmatch(name, word)) == _key(plain.fullmatch(name, word))


def _fragments() -> list[str]:
    """Words and pieces of the lists' own entries, so generated texts hit many entries."""
    words: set[str] = set()
    for name in bundled_names():
        for entry in bundled_list(name):
            words.update(w for w in re.findall(r"[A-Za-z\u2019']+", entry) if len(w) > 1)
    return sorted(words)


FRAGMENTS = _fragments()
PUNCTUATION = [" ", " ", " ", ", ", ". ", "? ", "! ", "\n", "\u2019", "'", "{{", "}}", "[", "]"]
PIECES = st.one_of(
    st.sampled_from(FRAGMENTS),
    st.sampled_from(PUNCTUATION),
    st.sampled_from(FRAGMENTS).map(str.upper),
    st.sampled_from(FRAGMENTS).map(str.title),
    st.text(alphabet="aeiouKkSs\u017f\u0131\u0130\u212a\u00e9\u00df\u03a3\u03c3 ", max_size=4),
)


@settings(max_examples=400, deadline=None)
@given(st.lists(PIECES, max_size=60).map("".join))
def test_phrase_answers_equal_the_joined_pattern_on_generated_texts(text):
    _same_answers(_BOOK, _PLAIN, _NAMES, text)


_BOOK, _PLAIN, _NAMES = PhraseBook(), PlainPhraseBook(), list(bundled_names())


def _meets_every_test(entry: Any, keys: set[int]) -> bool:
    """The plain reading of an entry's tests: its first clause, its second and its starts
    (or their guard) each met by a literal the text holds (a test the entry does not have is
    met)."""
    opening = entry.starts and {*entry.starts, *(entry.guard or ())}
    tests = (entry.first, entry.second, opening)
    return all(not needed or not keys.isdisjoint(needed) for needed in tests)


@settings(max_examples=200, deadline=None)
@given(st.lists(PIECES, max_size=60).map("".join))
def test_a_texts_candidates_are_the_entries_whose_every_test_it_meets(text):
    """The candidate bits (three planes ORed over the text's literals, then ANDed) let an
    entry run exactly when the text meets its first clause, its second and its starts."""
    lists = _BOOK._lists or _BOOK._prepare()
    for variant in (text, *TEXTS[: len(text) % 7]):
        found, candidates = lists.scan(variant)
        keys = set(found)
        for offset, _, entries in lists.slots.values():
            for bit, entry in enumerate(entries, start=offset):
                assert bool(candidates >> bit & 1) == _meets_every_test(entry, keys), (
                    entry.source,
                    variant,
                )


def _masked(text: str, spans: list[tuple[int, int]]) -> str:
    """The text with each span replaced as evidence.masked replaces a name ("Zzz")."""
    for start, length in spans:
        end = min(len(text), start + length)
        text = text[:start] + evidence._token(text[start:end]) + text[end:]
    return text


def _same_answers_masked(masked: str, text: str) -> None:
    """A masked text searched from its text's scan answers as the joined patterns do."""
    lists = _BOOK._lists or _BOOK._prepare()  # type: ignore[attr-defined]
    while lists.scanner.automaton is None:  # as after a few notes: the scan is shared
        lists.scanner.scan("x" * 1000)
    lists.scans.clear()  # no scan of the masked text of its own
    _BOOK.share_scan(masked, text, evidence._FILLER)
    assert masked == text or masked in lists.scans
    _same_answers(_BOOK, _PLAIN, _NAMES, masked)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(PIECES, max_size=60).map("".join),
    st.lists(st.tuples(st.integers(0, 300), st.integers(1, 12)), max_size=4),
)
def test_a_masked_text_searched_from_its_texts_scan_answers_as_the_joined_pattern(text, spans):
    spans = [(start % (len(text) + 1), length) for start, length in spans]
    _same_answers_masked(_masked(text, spans), text)


def test_masking_that_makes_a_literal_is_searched_for_it():
    """'Hi B,' masked is 'Hi Z,': a literal ("hi z") the text did not hold, found."""
    for text, spans in [
        ("Hi B, loved your post", [(3, 1)]),
        ("Thanks for organiXing the meetup at Acme", [(11, 1), (36, 4)]),
        ("Saw your talk at Big Co, amaXing work.", [(17, 6), (28, 1)]),
        *((t, [(len(t) // 3, 5)]) for t in TEXTS[:100]),
    ]:
        _same_answers_masked(_masked(text, spans), text)


def test_config_extras_are_prefiltered_exactly():
    extra = {"pitch": ("our widget", r"(buy|order) (it|one) now"), "purpose": ("quick question",)}
    book, plain = PhraseBook(extra), PlainPhraseBook(extra)
    for text in [*TEXTS[:200], "Try our widget today", "Order one now!", "A quick question"]:
        _same_answers(book, plain, ["pitch", "purpose"], text)


def test_a_guarded_entry_is_tried_at_its_starts_only_where_the_guard_is_absent():
    """An alternation with a branch of no known start ("[A-Z]\\w+'s") starts at the other
    branches' strings, guarded by what that branch needs ("'s"): with the guard in the text
    the entry is searched everywhere, without it only where its starts occur."""
    entry = r"(your|(?-i:[A-Z]\w+)[\u2019']s) (talk|post)"
    assert literals.starts(literals.parse(entry, re.IGNORECASE)) == (
        frozenset({"your"}),
        frozenset({"'s", "\u2019s"}),
    )
    extra = {"detail-strong": (entry,)}
    book, plain = PhraseBook(extra), PlainPhraseBook(extra)
    texts = ["Loved your talk", "Loved Ada's talk", "Ada\u2019s post and your post", "YOUR POST"]
    for text in [*texts, *(t.replace("your", "the") for t in texts), *TEXTS[:100]]:
        _same_answers(book, plain, ["detail-strong"], text)


def test_an_entry_the_analysis_does_not_model_runs_as_the_joined_pattern():
    extra = {"generic": (r"(\w+) \1",)}  # a backreference: the list runs joined
    book, plain = PhraseBook(extra), PlainPhraseBook(extra)
    for text in ["the the thing", "no repeat here", *TEXTS[:50]]:
        _same_answers(book, plain, ["generic"], text)


def test_the_plain_scanner_finds_what_aho_corasick_finds(monkeypatch):
    monkeypatch.setattr(phrases_module, "_AUTOMATON_COST", 0)  # the automaton from the first text
    monkeypatch.setattr(phrases_module, "_PREPARED", {})
    fast = PhraseBook()
    fast._prepare().scanner.scan("")  # type: ignore[attr-defined]  # builds its automaton
    monkeypatch.setitem(sys.modules, "ahocorasick", None)  # import fails: the plain loop
    monkeypatch.setattr(phrases_module, "_PREPARED", {})  # prepared afresh, not shared
    slow = PhraseBook()
    for text in TEXTS[:300]:
        _same_answers(fast, slow, list(bundled_names()), text)
    assert fast._lists.scanner.automaton is not None  # type: ignore[attr-defined]
    assert slow._lists.scanner.automaton is None  # type: ignore[attr-defined]


def test_a_book_scans_literal_by_literal_until_the_automaton_would_pay(monkeypatch):
    monkeypatch.setattr(phrases_module, "_PREPARED", {})
    book = PhraseBook()
    scanner = book._prepare().scanner  # type: ignore[attr-defined]
    short = next(text for text in TEXTS if len(text) < 300)
    _same_answers(book, PlainPhraseBook(), list(bundled_names()), short)
    assert scanner.automaton is None  # a one-note check never builds it
    for text in TEXTS[:20]:
        _same_answers(book, PlainPhraseBook(), list(bundled_names()), text)
    assert scanner.automaton is not None


def test_the_analysis_cache_changes_nothing(monkeypatch, tmp_path):
    import marshal

    monkeypatch.setattr(sys, "pycache_prefix", str(tmp_path))
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    monkeypatch.setattr(phrases_module, "_PREPARED", {})
    first = PhraseBook()
    first._prepare()  # analyses every entry and writes the cache
    written = list(tmp_path.rglob("literals.*.marshal"))
    assert written
    phrases_module._PREPARED.clear()

    def no_parsing(*args: object) -> None:
        raise AssertionError("an entry was parsed although the cache holds it")

    with monkeypatch.context() as patched:
        patched.setattr(literals, "parse", no_parsing)
        patched.setattr(re, "compile", no_parsing)  # every entry from its remembered program
        second = PhraseBook()  # reads it: no entry parsed or compiled afresh
        prepared = second._prepare()  # type: ignore[attr-defined]
        for _offset, _bits, entries in prepared.slots.values():
            for entry in entries:
                entry.pattern()
    written[0].write_bytes(marshal.dumps({"key": "stale", "entries": {}}))
    phrases_module._PREPARED.clear()
    third = PhraseBook()  # a stale cache is ignored
    for text in TEXTS[:200]:
        _same_answers(second, PlainPhraseBook(), list(bundled_names()), text)
        _same_answers(third, PlainPhraseBook(), list(bundled_names()), text)


def test_a_remembered_program_compiles_to_what_re_compiles():
    for name in bundled_names():
        for entry in bundled_list(name):
            source = phrases_module._anchored(entry)
            made = literals.program(literals.parse(source, re.IGNORECASE), re.IGNORECASE)
            compiled = literals.compile_program(source, re.IGNORECASE, made)
            fresh = re.compile(source, re.IGNORECASE)
            assert (compiled.pattern, compiled.flags, compiled.groups, compiled.groupindex) == (
                fresh.pattern,
                fresh.flags,
                fresh.groups,
                fresh.groupindex,
            )
    # A damaged program (a cache from elsewhere) is ignored, not run.
    damaged = (int(re.IGNORECASE), [999, 1, 2], 0, {}, (None,))
    assert literals.compile_program("(?:ab)", re.IGNORECASE, damaged).search("xAB") is not None


# Characters `re` folds in more than one way, capitals, and characters beyond ASCII.
_ODD_CHARS = "\u212a\u017f\u0130\u0131\u00c9\u00e9\u03a3\u03c2\u2019\u201c KSIY"


def _odd_texts(count: int) -> list[str]:
    """Labelled notes with a few characters swapped for odd ones, in upper and swapped case."""
    rng = random.Random(12)
    texts = []
    for text in [t for t in TEXTS if t][:count]:
        chars = list(text)
        for _ in range(4):
            chars[rng.randrange(len(chars))] = rng.choice(_ODD_CHARS)
        texts += ["".join(chars), text.upper(), text.swapcase()]
    return texts


def test_a_program_regrouped_and_told_its_first_characters_answers_what_re_answers():
    """A program's alternations regrouped by first character try the same branches in an
    order that changes no answer, and the character set put in its info block lets `_sre`
    skip only places where no match starts: every entry searches as `re.compile` does, from
    the start and from inside."""
    texts = TEXTS[:600] + _odd_texts(200)
    told = 0
    for name in bundled_names():
        for entry in bundled_list(name):
            source = phrases_module._anchored(entry)
            tree = literals.parse(source, re.IGNORECASE)
            told += literals.first_chars(tree, re.IGNORECASE) is not None
            made = literals.program(tree, re.IGNORECASE)
            compiled = literals.compile_program(source, re.IGNORECASE, made)
            fresh = re.compile(source, re.IGNORECASE)
            for text in texts:
                for pos in (0, len(text) // 3):
                    found, expected = compiled.search(text, pos), fresh.search(text, pos)
                    assert _key(found) == _key(expected), (entry, text, pos)
    assert told > 300  # nearly every entry: a phrase starts with a word


@pytest.mark.parametrize(
    ("pattern", "flags", "chars"),
    [
        (r"(?<!\w)(?:your|(?-i:[A-Z]\w+)'s)", re.IGNORECASE, "YyABCDEFGHIJKLMNOPQRSTUVWXZ"),
        (r"\b(?:k|s)i", re.IGNORECASE, "KkSs"),  # and the Kelvin sign, long s: beyond ASCII
        (r"(?i:a)b|c", 0, "Aac"),
        (r"x?y+z", 0, "xy"),
        # A category's ASCII characters, in every reading re has of it: \s holds \x1c-\x1f
        # in Unicode, not under re.ASCII.
        (r"\w+", 0, "0123456789_ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"),
        (r"\s[-~]|[\d@]", re.IGNORECASE, "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f 0123456789@"),
        (r"[^a]b", 0, None),
        (r"a?", 0, None),  # may be empty
        # Case-sensitive, a wide range counts with its ASCII part: none of an emoji class's.
        (r"[\U0001f300-\U0001faff]+|[\U0001f1e6-\U0001f1ff]{2}", 0, ""),
        (r"[x-\u0400]", 0, "xyz{|}~\x7f"),
        (r"[\u0100-\u0400]", re.IGNORECASE, None),  # folding beyond ASCII: not spelled out
    ],
)
def test_first_characters(pattern, flags, chars):
    found = literals.first_chars(literals.parse(pattern, flags), flags)
    assert found == (None if chars is None else frozenset(map(ord, chars)))


@pytest.mark.parametrize(
    ("pattern", "flags", "grouped"),
    [
        ("post|Poll|blog|pad", re.IGNORECASE, "p(?:o(?:st|ll)|ad)|blog"),
        ("post|Poll|blog", 0, "post|Poll|blog"),  # P and p differ: nothing shared
        ("saw|seen|see|met", re.IGNORECASE, "s(?:aw|ee(?:n|))|met"),
        ("ab|a|b", 0, "a(?:b|)|b"),
        ("x(?:ab|ac)", 0, "xa(?:b|c)"),  # re itself takes out a prefix all branches share
    ],
)
def test_alternations_are_grouped_by_first_character(pattern, flags, grouped, monkeypatch):
    from re import _compiler, _parser  # type: ignore[attr-defined]

    def code(tree: Any) -> list[int]:  # after the info block
        made = _compiler._code(tree, flags)
        return made[made[1] + 1 :]

    # The grouping alone: each alternation's branches as they are, their letters untold.
    monkeypatch.setattr(
        literals, "_alternation", lambda state, branches, nocase: (_parser.BRANCH, (None, branches))
    )
    regrouped = literals._grouped(literals.parse(pattern, flags), bool(flags & re.IGNORECASE))
    assert code(regrouped) == code(literals.parse(grouped, flags))


def _told(tree: Any) -> int:
    """How many branches of a tree's alternations start with a class `_sre` tests first."""
    count = 0
    for op, av in tree:
        if str(op) == "BRANCH":
            for branch in av[1]:
                first = branch[0] if len(branch) else None
                if first is not None and str(first[0]) == "SUBPATTERN" and first[1][2]:
                    count += 1
                count += _told(branch)
        elif str(op) == "SUBPATTERN":
            count += _told(av[3])
    return count


@pytest.mark.parametrize(
    ("pattern", "told"),
    [
        # k, s and i: the letters the Kelvin sign, long s and dotted I fold into (not 8)
        ("kin|sun|ice|pad|oak|mud|8", 6),
        ("post|Poll|plan|pick|blog|bug|cat|dog|egg|fig", 6),  # p b c d e f; p's three, untold
        ("kin|sun|ice", 0),  # too few branches to pay
        ("\u00e9t\u00e9|\u00e0 la|\u00e8re|\u00e7a|\u00f4te|\u00fbre|\u00eele", 0),  # beyond ASCII
    ],
)
def test_a_case_insensitive_alternation_tells_re_each_branchs_first_letter(pattern, told):
    """Each branch that starts with a letter starts with a case-sensitive class `_sre` tests
    before entering it (the letter's two cases and everything beyond ASCII), then the letter
    itself looked back at: the same answers, on every character that folds into one."""
    source = f"(?:{pattern})x"
    tree = literals.parse(source, re.IGNORECASE)
    assert _told(literals._grouped(tree, True)) == told
    compiled = literals.compile_program(source, re.IGNORECASE, literals.program(tree, re.I))
    fresh = re.compile(source, re.IGNORECASE)
    words = [w + "x" for w in pattern.split("|")]
    odd = ["\u212ainx", "\u212aINX", "\u017funx", "\u0130cex", "\u0131CEx", "kINx", "SUNX"]
    odd += ["\u00e9inx", "\u00fcunx", "\U0001f600cex"]  # beyond ASCII, folding into none
    for text in [*words, *(w.upper() for w in words), *odd, *(t[1:] for t in words)]:
        assert _key(compiled.match(text)) == _key(fresh.match(text)), text


RULE_MODULES = [
    "invitepack.checks.evidence",
    "invitepack.checks.findings",
    "invitepack.checks.selection",
    "invitepack.checks.rules.content",
    "invitepack.checks.rules.hidden",
    "invitepack.checks.rules.pitch",
    "invitepack.checks.rules.tone",
    "invitepack.checks.rules.versions",
]


def test_the_rule_modules_regexes_match_what_re_compiles():
    import importlib

    patterns = [
        value
        for module in RULE_MODULES
        for value in vars(importlib.import_module(module)).values()
        if isinstance(value, re.Pattern)
    ]
    assert len(patterns) >= 18
    for pattern in patterns:
        fresh = re.compile(pattern.pattern, pattern.flags)
        assert (pattern.flags, pattern.groups, pattern.groupindex) == (
            fresh.flags,
            fresh.groups,
            fresh.groupindex,
        )
        odd = "HEY!! visit www.example.com/x or a.io/b, 1.2.3-rc1 IP101 \U0001f600"
        for text in [*TEXTS, *_odd_texts(200), odd]:
            assert [m.span() for m in pattern.finditer(text)] == [
                m.span() for m in fresh.finditer(text)
            ], (pattern.pattern, text)


def test_the_regex_cache_replays_programs_without_parsing(monkeypatch, tmp_path):
    from invitepack.checks import regexes

    monkeypatch.setattr(sys, "pycache_prefix", str(tmp_path))
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    regexes._remembered.cache_clear()
    first = regexes.compiled(r"(?:an?|the) (\w+)", re.IGNORECASE)  # met first: written
    assert list(tmp_path.rglob("regexes.*.marshal"))
    regexes._remembered.cache_clear()

    def no_parsing(*args: object) -> None:
        raise AssertionError("a remembered pattern was parsed again")

    with monkeypatch.context() as patched:
        patched.setattr(literals, "parse", no_parsing)
        again = regexes.compiled(r"(?:an?|the) (\w+)", re.IGNORECASE)
    assert (
        again.findall("The cat saw a dog") == first.findall("The cat saw a dog") == ["cat", "dog"]
    )
    regexes._remembered.cache_clear()  # the next test reads the real cache again


def test_folding_is_what_ignorecase_compares():
    """Each character folds to one that `re` under IGNORECASE takes as equal to it, and
    folding twice changes nothing (so literals and texts fold alike)."""
    for code in range(0x3000):
        char = chr(code)
        folded = literals.fold(char)
        assert len(folded) == 1
        assert literals.fold(folded) == folded, hex(code)
        assert re.fullmatch(re.escape(char), folded, re.IGNORECASE), hex(code)
    assert literals.fold("\u212a\u017f\u0130\u0131") == "ksii"


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from("aéÉe\u0301 \u2019\u201c\u201d😀_-!?.,\n\tZß0İ\u0131"), max_size=40
    )
)
def test_a_notes_words_skip_the_accent_folding_only_where_it_changes_nothing(text):
    """`wording.words` folds accents only in text that has some to fold (most text beyond
    ASCII is curly quotes and emoji); its words are those of the plain reading."""
    from invitepack.checks import wording

    def plain(text: str) -> list[str]:
        folded = unicodedata.normalize("NFD", text.lower())
        return wording._WORD.findall(re.sub("[\u0300-\u036f]+", "", folded))

    assert wording.words(text) == plain(text)


@pytest.mark.parametrize("with_scenario", [True, False])
def test_findings_and_verdicts_are_identical_on_every_labelled_note(with_scenario):
    checker = build_checker(Workspace(pack_spec="builtin", isolated=True), [])
    oracle = _oracle(checker)
    for note in NOTES:
        message = Message.from_note(
            note["text"],
            path=None,
            channel=note["channel"],
            scenario=note.get("scenario") if with_scenario else None,
        )
        assert _outcome(checker, message) == _outcome(oracle, message), note.get("id")


def test_the_builtin_pack_validates_identically():
    from invitepack.checks import validate as validate_module

    workspace = Workspace(pack_spec="builtin", isolated=True)
    fast = validate_module.validate(workspace)
    real_build = validate_module.build_checker  # type: ignore[attr-defined]

    def plain_build(*args: Any, **kwargs: Any) -> Checker:
        return _oracle(real_build(*args, **kwargs))

    validate_module.build_checker = plain_build  # type: ignore[attr-defined]
    try:
        plain = validate_module.validate(Workspace(pack_spec="builtin", isolated=True))
    finally:
        validate_module.build_checker = real_build  # type: ignore[attr-defined]
    assert _serial(fast) == _serial(plain)
    assert fast.checked == plain.checked > 0


BAD_VALUES = [
    "our platform free demo",
    "{{first_name}} work",
    "WOW AMAZING post!!",
    "your profile",
    "calendly.com/x",
    "a\u200bb",
    "",
    "x" * 80,
    "the perfect role for you",
    "\U0001f680\U0001f680\U0001f680 launch",
]


def _rows(template: Any, count: int) -> list[dict[str, str]]:
    rng = random.Random(20240601)
    properties = template.variables.get("properties", {})
    words = ["Priya", "Zoë", "Anne-Marie", "data", "your post on dbt tests", "KubeCon", "O'Neil"]
    rows = []
    for i in range(count):
        row = {"id": f"p{i}"}
        for name in template.required:
            cap = int(properties[name].get("maxLength", 40))
            value = " ".join(rng.choice(words) for _ in range(rng.randint(1, 4)))[:cap].strip()
            row[name] = value or "x"
        if rng.random() < 0.2:
            row[rng.choice(list(template.required))] = rng.choice(BAD_VALUES)
        rows.append(row)
    return rows


def _plain_batch(
    template: Any, checker: Checker, rows: list[dict[str, str]], out: Path
) -> list[str]:
    """The batch's row loop as it was: render, check through the oracle, judge, write."""
    from invitepack.errors import VariableError
    from invitepack.render.renderer import Renderer

    renderer = Renderer(None)
    reports: list[str] = []
    variables = set(template.variables.get("properties", {}))
    width = len(str(len(rows)))
    for number, values in enumerate(rows, start=1):
        label = f"row {number} (id {values['id']})"
        given_values = {k: v for k, v in values.items() if k in variables and v != ""}
        try:
            message = renderer.render(template, given_values, label=label, redact=True)
        except VariableError as exc:
            reports += [
                f"{label}: invalid values: {line.strip()}"
                for line in exc.message.splitlines()
                if line.strip()
            ]
            continue
        findings = checker.selection.keep(checker.message_findings(message).findings)
        verdict = judge(findings, checker.wording(message))
        failing = [f for f in findings if checker.policy.fails(f)]
        if verdict.revise or failing:
            reports += [f"{label}: verdict {verdict.describe()}"] if verdict.revise else []
            reports += [
                f"{label}: {f.code} {f.name}: {checker.selection.rules[f.code].summary}"
                for f in failing
            ]
            continue
        (out / f"{values['id'] or f'row-{number:0{width}d}'}.txt").write_text(
            message.body + "\n", encoding="utf-8"
        )
    return reports


def test_a_10000_row_batch_is_identical(tmp_path):
    from invitepack.checks.checker import notes_checker
    from invitepack.output.batch import Batch, BatchOptions
    from invitepack.output.rows import RowSource
    from invitepack.render.renderer import Renderer

    workspace = Workspace(pack_spec="builtin", isolated=True)
    template = workspace.pack.find("seeking-work-invite")
    rows = _rows(template, 10_000)
    data = tmp_path / "people.csv"
    with data.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=["id", *template.required])
        writer.writeheader()
        writer.writerows(rows)
    reports: list[str] = []
    batch = Batch(
        template,
        Renderer.for_workspace(workspace),
        notes_checker(workspace),
        BatchOptions(out_dir=tmp_path / "fast", skip_invalid=True),
        report=reports.append,
    )
    result = batch.run(RowSource(data, id_column="id"))
    plain_out = tmp_path / "plain"
    plain_out.mkdir()
    plain_reports = _plain_batch(template, _oracle(notes_checker(workspace)), rows, plain_out)
    fast_files = {p.name: p.read_bytes() for p in (tmp_path / "fast").iterdir()}
    plain_files = {p.name: p.read_bytes() for p in plain_out.iterdir()}
    assert result.total == 10_000 and result.written == len(plain_files) > 5_000
    assert fast_files == plain_files
    assert reports == plain_reports
    assert 0 < result.failed == 10_000 - len(plain_files)


def test_prefiltering_runs_far_fewer_entries():
    """Not a timing: the prefilter lets through only a few entries of each list per note."""
    book = PhraseBook()
    lists = book._prepare()  # type: ignore[attr-defined]
    ran = total = 0
    for text in TEXTS[:300]:
        _found, masks = lists.scan(text)
        for offset, bits, entries in lists.slots.values():
            ran += bin(masks >> offset & bits).count("1")
            total += len(entries)
    assert ran < total / 5


def test_phrases_module_keeps_the_joined_pattern_public():
    book = PhraseBook()
    assert book.pattern("pitch").search("Book a demo") is not None
    assert phrases_module.PhraseBook.pattern is PhraseBook.pattern


# The fast path for a plain `check` (cli/fast.py) against click's parse of the same command
# line: a driver runs `main(argv)` either as it is or with the fast path turned down.
_DRIVER = (
    "import sys\n"
    "from invitepack import cli\n"
    "if sys.argv[1] == 'click':\n"
    "    cli.fast.plain_check = lambda args: None\n"
    "cli.main(sys.argv[2:])\n"
)
_GOOD = "Hi Priya, I enjoyed your talk on data contracts at PyData. Who should I ask? - Sam"
_PITCH = "Hi! Book a demo of our AI platform today: https://example.com/demo - 50% off!!!"
_FAST_CASES: list[tuple[list[str], bytes, dict[str, str]]] = [
    (["check", "-"], _GOOD.encode(), {}),
    (["check"], _PITCH.encode(), {}),
    (["check", "-"], _PITCH.encode(), {}),
    (["check", "-"], b"", {}),
    (["check", "-"], b"Hi \xff\xfe there", {}),
    (["check", "-"], b"Hi \x1b[31mSam\x1b[0m, {{first_name}} here", {}),
    (["check", "-"], "Subject: Hello\nHi Sam, 👋 great post on dbt tests.".encode(), {}),
    (["check", "good.txt", "pitch.txt"], b"", {}),
    (["check", "good.txt", "missing.txt"], b"", {}),
    (["check", "folder"], b"", {}),
    (["check", "-"], _GOOD.encode(), {"config": "[tool.invitepack]\nselect = ['IP2']\n"}),
    (["check", "-"], _GOOD.encode(), {"config": "[tool.invitepack]\nnonsense = 1\n"}),
    (["check", "-"], b"x" * 200, {"config": "[tool.invitepack.limits]\nmax_note_bytes = 100\n"}),
    (["check", "-"], _GOOD.encode(), {"pack": "plugins: [rules.py]\n"}),
    (["check", "-"], _GOOD.encode(), {"pack": "plugins: [rules.py]\n", "trust": "1"}),
    (["check", "-"], _GOOD.encode(), {"pack": "plugins: [broken.py]\n", "trust": "1"}),
    (["check", "--help"], b"", {}),
    (["check", "--channel", "email", "-"], _GOOD.encode(), {}),
]
_PLUGIN = (
    "from invitepack import Finding, Rule, hookimpl\n"
    "R = Rule('XX001', 'always', 'warning', 'always says so', 'a test', 'nothing to do')\n"
    "@hookimpl\n"
    "def invitepack_rules():\n"
    "    return [R]\n"
    "@hookimpl\n"
    "def invitepack_check_message(message, context):\n"
    "    yield Finding(R.code, R.name, R.severity, 'said so', message.locate())\n"
)


def _run_cli(path: str, argv: list[str], stdin: bytes, cwd: Path, home: Path, trust: bool) -> Any:
    import os
    import subprocess

    env = {
        **os.environ,
        "INVITEPACK_NO_ENTRY_POINTS": "1",
        "INVITEPACK_CONFIG_DIR": str(home),
        "INVITEPACK_TRUST_LOCAL_PLUGINS": "1" if trust else "",
    }
    done = subprocess.run(
        [sys.executable, "-c", _DRIVER, path, *argv],
        input=stdin,
        capture_output=True,
        cwd=cwd,
        env=env,
        timeout=120,
    )
    return done.returncode, done.stdout, done.stderr


@pytest.mark.parametrize(("argv", "stdin", "setup"), _FAST_CASES)
def test_a_plain_check_prints_what_click_prints(argv, stdin, setup, tmp_path):
    from conftest import MANIFEST, SEEKING_WORK

    work = tmp_path / "work"
    work.mkdir()
    (work / "good.txt").write_text(_GOOD, encoding="utf-8")
    (work / "pitch.txt").write_text(_PITCH, encoding="utf-8")
    (work / "folder").mkdir()
    if "config" in setup:
        (work / "pyproject.toml").write_text(setup["config"], encoding="utf-8")
    if "pack" in setup:
        (work / "pack.yaml").write_text(MANIFEST + setup["pack"], encoding="utf-8")
        (work / "templates").mkdir()
        (work / "templates" / "seeking-work-invite.md").write_text(SEEKING_WORK, "utf-8")
        (work / "rules.py").write_text(_PLUGIN, encoding="utf-8")
        (work / "broken.py").write_text(_PLUGIN.replace("message.locate()", ""), "utf-8")
    trust = bool(setup.get("trust"))
    fast = _run_cli("fast", argv, stdin, work, tmp_path / "home", trust)
    slow = _run_cli("click", argv, stdin, work, tmp_path / "home", trust)
    assert fast == slow
    assert fast[0] != 3 and b"Traceback" not in fast[2]


def test_the_plugin_manager_finds_exactly_the_hooks_stock_pluggy_finds():
    """manager._PluginManager skips a module's names that cannot be hooks before pluggy's
    slow look at them: every hook implementation pluggy would find it still finds, under the
    same names and in the same order, for the built-ins, the example plugin and odd shapes."""
    import importlib
    import types

    import pluggy

    from invitepack.checks import hookspecs, manager, plugins

    hookimpl = pluggy.HookimplMarker("invitepack")

    class Holder:
        @hookimpl
        def invitepack_rules(self) -> list[Any]:
            return []

    holder = Holder()
    odd = types.ModuleType("odd")
    odd.invitepack_rules = holder.invitepack_rules  # type: ignore[attr-defined]  # bound
    odd.renamed = hookimpl(specname="invitepack_check_message")(lambda message, context: [])  # type: ignore[attr-defined]
    odd.not_a_hook = 42  # type: ignore[attr-defined]
    modules = [importlib.import_module(name) for name in plugins.BUILTIN_PLUGINS]
    sys.path.insert(0, str(DATA.parent.parent / "plugins/invitepack-acme-house-rules/src"))
    try:
        modules.append(importlib.import_module("invitepack_acme_house_rules"))
    finally:
        sys.path.pop(0)

    def found(pm: pluggy.PluginManager) -> list[Any]:
        pm.add_hookspecs(hookspecs)
        for index, module in enumerate([*modules, odd, holder]):
            pm.register(module, name=f"p{index}")
        return sorted(
            (name, [(impl.plugin_name, impl.function) for impl in caller.get_hookimpls()])
            for name, caller in vars(pm.hook).items()
            if isinstance(caller, pluggy.HookCaller)
        )

    ours = manager.new_manager()
    stock = found(pluggy.PluginManager("invitepack"))
    assert found(manager._PluginManager("invitepack")) == stock
    assert any(impl[0] == f"p{len(modules)}" for _, impls in stock for impl in impls)
    assert isinstance(ours, manager._PluginManager)


# `render --jobs N`: worker processes judge the rows, the parent writes them in row order. The
# real CLI on a few hundred rows (several chunks: output.batch.CHUNK_ROWS) with one worker and
# with two, each in a folder of its own with the same relative paths, so that every byte of
# the files, the reports and the summary can be compared.
_JOBS_HEADER = ["id", "recipient", "name", "field", "detail", "email", "times"]


def _jobs_rows(count: int) -> list[list[str]]:
    """Rows with colliding ids (and none), values that fail validation, notes that fail a
    check, and recipient addresses that fail only when the email is built."""
    rows = []
    for i in range(count):
        ident = "" if i % 7 == 0 else f"p{i % 40}" if i % 3 else "../Zoë Ünal"
        field = "data \u202eengineering" if i % 53 == 9 else "data engineering"
        detail = "your demo of our platform" if i % 41 == 7 else f"your post on dbt, part {i}"
        email = "bad@@example" if i % 61 == 5 else f"p{i}@example.com"
        rows.append([ident, "Priya", "Ada", field, detail, email, "400" if i == 250 else "1"])
    return rows


def _jobs_runs(
    cli: Any, tmp_path: Path, args: list[str], rows: list[list[str]], before: Any = None
) -> list[tuple[int, str, str, dict[str, bytes]]]:
    """The command run with --jobs 1 and --jobs 2: exit code, stdout, stderr, and every file
    left in the folder (name and bytes)."""
    runs = []
    for jobs in ("1", "2"):
        work = tmp_path / f"jobs-{jobs}"
        work.mkdir(parents=True)
        with (work / "people.csv").open("w", newline="", encoding="utf-8") as handle:
            csv.writer(handle).writerows([_JOBS_HEADER, *rows])
        if before is not None:
            before(work)
        done = cli(*args, "--data", "people.csv", "--jobs", jobs, cwd=work)
        files = {
            str(p.relative_to(work)): p.read_bytes()
            for p in sorted(work.rglob("*"))
            if p.is_file() and p.name != "people.csv"
        }
        runs.append((done.returncode, done.stdout, done.stderr, files))
    return runs


_SEEKING = ["render", "seeking-work", "--pack", "builtin", "--why-you", "you run the meetup"]


@pytest.mark.parametrize(
    ("args", "code", "summary"),
    [
        (["--out", "notes", "--id-column", "id", "--skip-invalid"], 1, "written to notes;"),
        (["--out", "notes", "--id-column", "id"], 1, "nothing was written"),
        (["--out", "notes", "--skip-invalid"], 1, "written to notes;"),
        (["--jsonl", "notes.jsonl", "--id-column", "id", "--skip-invalid"], 1, "notes.jsonl;"),
        (["--jsonl", "notes.jsonl", "--id-column", "id"], 1, "nothing was written"),
    ],
)
def test_jobs_write_what_one_worker_writes(cli, tmp_path, args, code, summary):
    one, two = _jobs_runs(cli, tmp_path, [*_SEEKING, *args], _jobs_rows(400))
    assert one == two
    assert one[0] == code and summary in one[2] and "Traceback" not in one[2]
    assert "invalid values" in one[2] and "IP301 sales-pitch" in one[2]
    if "--jsonl" in args and "--skip-invalid" in args:
        assert one[3]["notes.jsonl"].count(b"\n") > 300
    elif "--skip-invalid" in args:
        names = set(one[3])
        assert len(names) > 300
        assert "--id-column" not in args or {"notes/p1.txt", "notes/p1-2.txt"} <= names
    else:
        assert one[3] == {}


def test_jobs_keep_force_and_the_clash_check(cli, tmp_path):
    def existing(work: Path) -> None:
        (work / "notes").mkdir()
        (work / "notes" / "p1.txt").write_text("mine", encoding="utf-8")

    args = [*_SEEKING, "--out", "notes", "--id-column", "id", "--skip-invalid"]
    clash = _jobs_runs(cli, tmp_path / "clash", args, _jobs_rows(300), existing)
    assert clash[0] == clash[1] and clash[0][0] == 2 and "would overwrite" in clash[0][2]
    forced = _jobs_runs(cli, tmp_path / "forced", [*args, "--force"], _jobs_rows(300), existing)
    assert forced[0] == forced[1] and forced[0][3]["notes/p1.txt"] != b"mine"


def test_jobs_write_the_emails_one_worker_writes(cli, tmp_path):
    """The same .eml files, but for what differs from run to run anyway: the date, the
    Message-ID and the MIME boundary."""
    args = [
        "render",
        "seeking-work",
        "--channel",
        "email",
        "--pack",
        "builtin",
        "--why-you",
        "you run the meetup",
        "--out",
        "mail",
        "--id-column",
        "id",
        "--format",
        "eml",
        "--to-column",
        "email",
        "--from",
        "Sam Okafor <sam@acme.com>",
        "--skip-invalid",
    ]
    varying = re.compile(rb"^(Date|Message-ID): .*$|={15}\d+==", re.MULTILINE)
    runs = [
        (code, out, err, {name: varying.sub(b"", data) for name, data in files.items()})
        for code, out, err, files in _jobs_runs(cli, tmp_path, args, _jobs_rows(300))
    ]
    assert runs[0] == runs[1]
    assert runs[0][0] == 1 and "the recipient address" in runs[0][2]
    assert len(runs[0][3]) > 200 and all(name.endswith(".eml") for name in runs[0][3])


def _limited() -> str:
    """conftest's seeking-work template with an integer that can make its note huge."""
    from conftest import SEEKING_WORK

    return SEEKING_WORK.split("variables:")[0] + (
        "variables:\n"
        "  type: object\n"
        "  properties:\n"
        "    name: {type: string, description: Your first name, minLength: 1, maxLength: 20}\n"
        "    times: {type: integer, description: How many times, minimum: 0}\n"
        "  required: [name, times]\n"
        "examples:\n"
        "  - {name: Ada, times: 1}\n"
        "---\n"
        "Hi, I'm {{ name }}{{ '!' * times }} Who would be the right person to talk to?\n"
    )


def test_a_limit_exceeded_in_a_worker_stops_the_run_where_one_worker_stops(
    cli, tmp_path, make_pack
):
    """Rows before the culprit are reported, in order; then the limit's error, exit 2."""
    pack = make_pack({"seeking-work-invite.md": _limited()})
    times = ["1000000000" if i == 200 else "400" if i % 50 == 0 else "1" for i in range(300)]
    rows = [["", "", "Ada", "", "", "", n] for n in times]
    args = ["render", "seeking-work", "--pack", str(pack), "--isolated", "--out", "notes"]
    one, two = _jobs_runs(cli, tmp_path, args, rows)
    assert one == two
    assert one[0] == 2 and "limit exceeded" in one[2] and one[3] == {}
    assert one[2].count("IP101 over-limit") == 4  # rows 1, 51, 101 and 151, before row 201


_COUNTING_PLUGIN = (
    "from invitepack import Finding, Rule, hookimpl\n"
    "R = Rule('XX001', 'every-tenth', 'error', 'the tenth note of a run', 'a test', 'none')\n"
    "seen = 0\n"
    "@hookimpl\n"
    "def invitepack_rules():\n"
    "    return [R]\n"
    "@hookimpl\n"
    "def invitepack_check_message(message, context):\n"
    "    global seen\n"
    "    seen += 1\n"
    "    if seen % 10 == 0:\n"
    "        yield Finding(R.code, R.name, R.severity, 'tenth', message.locate())\n"
)


@pytest.mark.parametrize("trusted", [True, False])
def test_a_pack_plugin_that_counts_rows_sees_them_as_with_one_worker(
    cli, tmp_path, make_pack, trusted
):
    """A local plugin may keep state from row to row: with one, the rows are judged in one
    process, in order (and it runs only with consent, as ever)."""
    from conftest import MANIFEST, SEEKING_WORK

    pack = make_pack(
        {"seeking-work-invite.md": SEEKING_WORK}, manifest=MANIFEST + "plugins: [counting.py]\n"
    )
    (pack / "counting.py").write_text(_COUNTING_PLUGIN, encoding="utf-8")
    args = ["render", "seeking-work", "--pack", str(pack), "--isolated", "--out", "notes"]
    args += ["--skip-invalid", *(["--trust-local-plugins"] if trusted else [])]
    rows = [["", "", "Ada", "data engineering", f"your post, part {i}", "", ""] for i in range(300)]
    one, two = _jobs_runs(cli, tmp_path, args, rows)
    assert one == two
    if trusted:
        assert one[0] == 1 and one[2].count("XX001 every-tenth") == 30
    else:
        assert one[0] == 2 and "XX001" not in one[2]


def test_a_finding_made_without_its_constructor_is_what_the_constructor_makes():
    """Rule.at and Finding.with_context fill a Finding's fields directly (its frozen
    __init__ costs a check per note): every field must be set, as Finding(...) and
    dataclasses.replace set it, or a field added to Finding would be missing from them."""
    from invitepack.checks.findings import Finding, Rule
    from invitepack.errors import Location

    rule = Rule("IP999", "probe", "warning", "A probe.", "Why.", "Fix it.")
    where = Location(path=None, line=2, column=3)
    made = rule.at(where, "msg", span=(1, 4), excerpt="abc")
    built = Finding("IP999", "probe", "warning", "msg", where, "Fix it.", (1, 4), "abc")
    assert vars(made) == vars(built)
    assert set(vars(made)) == {f.name for f in dataclasses.fields(Finding)}
    relabelled = made.with_context("example 2", "content")
    assert vars(relabelled) == vars(dataclasses.replace(built, label="example 2", plugin="content"))


def test_a_record_is_filled_through_its_slots_as_a_frozen_dataclass_would_be():
    """Record._fill sets each field through its slot's descriptor (object.__setattr__ looked
    each name up again): the fields are set in order, all of them, and the record stays
    frozen, comparable, hashable and picklable."""
    import pickle

    from invitepack.checks.results import NoteVerdict
    from invitepack.errors import Location

    verdict = judge([])
    note = NoteVerdict(Location(None, 1, None), "row 2", verdict)
    assert note.as_fields() == {
        "location": Location(None, 1, None),
        "label": "row 2",
        "verdict": verdict,
    }
    assert note == NoteVerdict(Location(None, 1, None), "row 2", verdict)
    assert hash(note) == hash(pickle.loads(pickle.dumps(note)))
    with pytest.raises(AttributeError):
        note.label = "row 3"  # type: ignore[misc]
    with pytest.raises(ValueError):
        note._fill(Location(None, 1, None), "row 2")  # one value short
