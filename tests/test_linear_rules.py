"""Checking is bounded (issue 13, item 3): every rule's regular expression reads a note in
linear time, each rule is fed its worst input, and limits.check_seconds cuts off the rest.

The rules' own patterns that were quadratic are now found by linear functions that must give
exactly what the patterns gave: the originals are kept here as the reference, compared on
every labelled note and on generated text.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from itertools import islice
from pathlib import Path

import pytest
import yaml
from conftest import DATA, MANIFEST
from hypothesis import given, settings
from hypothesis import strategies as st

from invitepack.checks import evidence, suppress
from invitepack.checks.phrases import PhraseBook
from invitepack.checks.rules import content, pitch, tone

# The patterns as they were (evidence._QUESTION and tone._CAPS_WORD are unchanged; their
# searches are what changed).
STACK = re.compile(r"[!?]*![!?]*[!?]|[!?][!?]*!")
SIGNATURE = evidence._SIGNATURE
QUESTION = evidence._QUESTION
CAPS_WORD = tone._CAPS_WORD
LINK = pitch._LINK
COMMENT = suppress._COMMENT


def _spans(matches: Iterator[re.Match[str]] | list[re.Match[str] | None]) -> list[tuple]:
    return [(m.span(), m.group(0)) if m else None for m in matches]


def _is_empty_word_by_word(body: str) -> bool:
    """content.is_empty as it was: its first nine words read one match at a time."""
    words = [match.group(0) for match in islice(content._WORD.finditer(body), 9)]
    if not words:
        return True
    if len(words) > 8:
        return False
    rest = [w for w in words if w.lower() not in content._GREETING_WORDS]
    return len(rest) <= 2 and all(w[0].isupper() for w in rest)


def _signer(found: re.Match[str] | None) -> str | None:
    """Who signs, as a signature match names them (None: the note is not signed)."""
    return found.group(1) if found else None


# Each rewrite next to what it replaces: (name, new, reference).
PAIRS: list[tuple[str, Callable[[str], object], Callable[[str], object]]] = [
    ("stacked", lambda t: _spans([tone.stacked(t)]), lambda t: _spans([STACK.search(t)])),
    ("caps_words", lambda t: _spans(tone.caps_words(t)), lambda t: _spans(CAPS_WORD.finditer(t))),
    (
        "questions",
        lambda t: _spans(evidence._questions(t)),
        lambda t: _spans(QUESTION.finditer(t)),
    ),
    (
        "signature",
        lambda t: _signer(evidence._signature(t)),
        lambda t: _signer(
            SIGNATURE.search(evidence._without_smile(evidence._without_contact_lines(t)))
        ),
    ),
    ("find_link", lambda t: _spans([pitch.find_link(t)]), lambda t: _spans([LINK.search(t)])),
    ("is_empty", content.is_empty, _is_empty_word_by_word),
    (
        "suppress",
        lambda t: [m.groups() for m in COMMENT.finditer(t, 0, t.rfind("#}") + 2)],
        lambda t: [m.groups() for m in COMMENT.finditer(t)],
    ),
]


def labelled_notes() -> list[str]:
    """The text of every labelled note: tests/data/*.yaml and tests/data/real/raw-*.yaml."""
    texts = []
    for path in sorted(DATA.glob("*.yaml")) + sorted((DATA / "real").glob("raw-*.yaml")):
        for item in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            if isinstance(item, dict) and isinstance(item.get("text"), str):
                texts.append(item["text"])
    return texts


def test_every_labelled_note_gives_the_same_answers():
    notes = labelled_notes()
    assert len(notes) > 700
    for name, new, old in PAIRS:
        for text in notes:
            assert new(text) == old(text), (name, text)


# Text made of the characters each pattern cares about, in runs and at random.
PIECES = [
    "!",
    "?",
    "!?",
    "A",
    "B",
    "Z",
    "&",
    "'",
    "\u2019",
    "a",
    "z",
    "0",
    "1",
    "_",
    "é",
    "É",
    " ",
    "  ",
    "\n",
    "\n\n",
    "\t",
    ".",
    "..",
    "-",
    "/",
    ":",
    "co",
    "com",
    "io",
    "uk",
    "org",
    "http://",
    "https://",
    "www.",
    "x",
    "Ada",
    "ADA",
    "Lovelace",
    "Best",
    "thanks",
    "Thanks",
    "thank you",
    "regards",
    "cheers",
    ",",
    "~",
    "\u2014",
    "{#",
    "#}",
    "-#}",
    "invitepack:",
    " disable=IP201",
    "IP204,IP205",
    "Hi",
    "How are you",
    "Node.js",
    "@",
    "a.b.c",
    "\nemail: ada@example.com",
    "555-123-4567",
]
TEXTS = st.lists(st.sampled_from(PIECES), max_size=40).map("".join)


@pytest.mark.parametrize("name", [name for name, _, _ in PAIRS])
@settings(max_examples=400, deadline=None)
@given(text=TEXTS)
def test_generated_text_gives_the_same_answers(name, text):
    _, new, old = next(pair for pair in PAIRS if pair[0] == name)
    assert new(text) == old(text)


# -- worst inputs -----------------------------------------------------------------------------

# The pieces that make each pattern work hardest, repeated.
UNITS = [
    "(",
    "[",
    "{",
    "<",
    "?",
    "!",
    ".",
    " ",
    "\n",
    "\n ",
    "a",
    "A",
    "a.",
    "a-",
    "a.b",
    "A.",
    "A-",
    "A&",
    "A&'",
    "A'",
    "!?",
    "?a",
    "your ",
    "Ab's ",
    "i am a ",
    "http://",
    "www.",
    "{# invitepack: disable=IP201 ",
    "x.com ",
    "thanks\n",
    "\u200b",
    "\U0001f600",
    "a@b\n",
    "1 ",
]
# Phrase-list entries that stay super-linear on a contrived note: the detail-strong entries
# that read a name token to its end ("Acme's ...", "PyData conference") restart at every
# capital after & - or . inside one token. No pattern Python's re accepts matches exactly
# the same (that needs a variable-length lookbehind), so they are left as tuned, and
# limits.check_seconds bounds them.
KNOWN = {("detail-strong", unit) for unit in ("A&", "A-", "A.")}


def _time(function: Callable[[str], object], text: str) -> float:
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        function(text)
        best = min(best, time.perf_counter() - started)
    return best


def _grows_linearly(function: Callable[[str], object], unit: str) -> bool:
    small, large = (
        (unit * (4000 // len(unit) + 1))[:4000],
        (unit * (16000 // len(unit) + 1))[:16000],
    )
    ratio_floor = 0.02  # below this, noise decides the ratio
    # Quadratic growth gives a ratio near 16 every time; a busy machine can push a linear one
    # past 8 once, so it has three tries.
    for _ in range(3):
        slow = _time(function, large)
        if slow < ratio_floor or slow / max(_time(function, small), 1e-6) < 8:
            return True
    return False


@pytest.mark.parametrize("name", [name for name, _, _ in PAIRS])
def test_each_rewritten_search_grows_linearly_on_its_worst_inputs(name):
    _, new, _ = next(pair for pair in PAIRS if pair[0] == name)
    slow = [unit for unit in UNITS if not _grows_linearly(new, unit)]
    assert not slow, f"{name} grows faster than linearly on {slow!r}"


@pytest.mark.parametrize(
    "name",
    sorted(p.stem for p in (Path(tone.__file__).parents[2] / "data" / "phrases").glob("*.txt")),
)
def test_each_phrase_list_grows_linearly_on_its_worst_inputs(name):
    pattern = PhraseBook().pattern(name)
    slow = [
        unit
        for unit in UNITS
        if (name, unit) not in KNOWN and not _grows_linearly(pattern.search, unit)
    ]
    assert not slow, f"phrase list {name} grows faster than linearly on {slow!r}"


def test_the_whole_check_of_a_worst_note_is_bounded(cli, tmp_path):
    """Each worst input as a 50 KB note through `invitepack check`: it ends with its
    findings, or with limit exceeded at check_seconds, and never runs on."""
    for unit in ["(", "?", "A&'", "a.", "\n\n", "A&", "Ab's ", "{{"]:
        note = tmp_path / "note.txt"
        note.write_text("x " + (unit * (50_000 // len(unit)))[:50_000] + " y", encoding="utf-8")
        started = time.monotonic()
        result = cli("check", str(note), "--pack", "builtin", "--isolated")
        elapsed = time.monotonic() - started
        assert result.returncode in (1, 2), (unit, result.stderr)
        if result.returncode == 2:
            assert "limit exceeded: checking the note took longer than 2 s" in result.stderr
        assert elapsed < 20, (unit, elapsed)


def test_check_seconds_is_a_limit_like_the_others(cli, tmp_path):
    (tmp_path / "invitepack.toml").write_text("[limits]\ncheck_seconds = 0.001\n", encoding="utf-8")
    note = tmp_path / "note.txt"
    note.write_text("(" * 20_000, encoding="utf-8")
    result = cli("check", str(note), "--pack", "builtin", cwd=tmp_path)
    assert result.returncode == 2
    assert f"{note}:1: limit exceeded: checking the note took longer than 0.001 s" in (
        result.stderr
    )
    assert "raise limits.check_seconds" in result.stderr


GOOD_NOTE = "Hi Priya, I enjoyed your talk on data contracts at PyData. Who should I ask? - Sam"


def test_check_seconds_bounds_each_of_many_notes_not_the_run(cli, tmp_path):
    """`check` of many notes runs one timer for them all (issue 12), yet bounds each note as if
    alone: 600 quick notes that together take far longer than check_seconds all pass, and a
    slow note among them is still stopped, by name."""
    (tmp_path / "invitepack.toml").write_text("[limits]\ncheck_seconds = 0.02\n", encoding="utf-8")
    names = []
    for number in range(600):
        (tmp_path / f"n{number:03}.txt").write_text(GOOD_NOTE, encoding="utf-8")
        names.append(f"n{number:03}.txt")
    result = cli("check", *names, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "All clear: 600 notes checked." in result.stderr
    (tmp_path / "slow.txt").write_text("x " + "?" * 60_000 + " y", encoding="utf-8")
    result = cli("check", *names[:300], "slow.txt", *names[300:], cwd=tmp_path)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "slow.txt:1: limit exceeded: checking the note took longer than 0.02 s" in (
        result.stderr
    )


def test_preparing_the_phrase_lists_is_not_charged_to_the_first_note(cli, tmp_path):
    # No phrase cache to read or write (as in a container that sets PYTHONDONTWRITEBYTECODE):
    # every list is analysed afresh, about half a second, before the first note's limit starts.
    (tmp_path / "invitepack.toml").write_text("[limits]\ncheck_seconds = 0.3\n", encoding="utf-8")
    env = {"PYTHONDONTWRITEBYTECODE": "1", "PYTHONPYCACHEPREFIX": str(tmp_path / "no-cache")}
    result = cli("check", "-", input=GOOD_NOTE, cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stderr
    assert "limit exceeded" not in result.stderr


VALUES = "".join(
    f"    v{i}: {{type: string, description: Value {i}, maxLength: 10000}}\n" for i in range(10)
)
BIG = (
    '---\nid: big\nversion: "1.0.0"\nscenario: big\nchannel: email\ntitle: Big\n'
    "description: Ten long values.\nguidance: Tests only.\nsubject: Hello\nvariables:\n"
    "  type: object\n  properties:\n"
    + VALUES
    + "  required: [v0]\nexamples:\n  - {v0: a}\n---\n"
    + " ".join(f"{{{{ v{i} }}}}" for i in range(10))
    + "\n"
)


def test_ten_values_of_ten_thousand_characters_are_bounded(cli, make_pack, tmp_path):
    """A note rendered from 10 values of nearly 10,000 characters (12 s to check before), and
    a batch of three such rows (34 s before): each ends within its bounds."""
    pack = make_pack({"big.md": BIG}, manifest=MANIFEST)
    value = ("Acme's (" * 1250)[:9_900]  # ten of them stay under max_output_chars
    options = [arg for i in range(10) for arg in (f"--v{i}", value)]
    started = time.monotonic()
    result = cli("render", "big", "--pack", str(pack), *options)
    # Judged, whichever way (its repeated words and marks weigh as they do in any note), and
    # refused only for its size, never by a traceback.
    assert result.returncode in (0, 1, 2) and "Traceback" not in result.stderr, result.stderr
    assert "verdict " in result.stderr or "invitepack: error:" in result.stderr, result.stderr
    assert time.monotonic() - started < 20
    rows = tmp_path / "rows.jsonl"
    row = "{" + ", ".join(f'"v{i}": "{value}"' for i in range(10)) + "}\n"
    rows.write_text(row * 3, encoding="utf-8")
    started = time.monotonic()
    out = tmp_path / "notes.jsonl"
    batch = cli("render", "big", "--pack", str(pack), "--data", str(rows), "--jsonl", str(out))
    assert batch.returncode in (0, 1, 2) and "Traceback" not in batch.stderr, batch.stderr
    assert time.monotonic() - started < 30
