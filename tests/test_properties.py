"""Property tests for hostile input: any text given as a value stays data, `check` never crashes
and ignores the normalisation form, lengths are counted as a browser counts them, and every
refusal is one of invitepack's own errors, with a position, that echoes input escaped."""

from __future__ import annotations

import contextlib
import unicodedata
from dataclasses import replace
from pathlib import Path
from unittest import mock

import pytest
from conftest import MANIFEST
from hypothesis import given, settings
from hypothesis import strategies as st

from invitepack.checks.checker import Checker, Outcome, build_checker
from invitepack.errors import InvitepackError, LoadError, VariableError
from invitepack.pack.channels import utf16_length
from invitepack.pack.config import Config
from invitepack.pack.limits import Limits
from invitepack.pack.loader import load_pack
from invitepack.pack.template import Template
from invitepack.pack.textfile import decode_text
from invitepack.pack.workspace import Workspace
from invitepack.pack.yamlfile import parse_yaml
from invitepack.render import values as values_module
from invitepack.render.message import Message
from invitepack.render.renderer import Renderer
from invitepack.render.values import escape_for_display, unsafe_character, unsafe_characters

TEMPLATE = """\
---
id: echo
version: "1.0.0"
scenario: echo
channel: linkedin-message
title: Echo
description: Prints its value between markers.
guidance: Used by property tests.
variables:
  type: object
  properties:
    name: {type: string, description: Any text, maxLength: 2000}
  required: [name]
examples:
  - {name: Ada}
---
<{{ name }}>
"""
# Text that means something to Jinja, Python, YAML, terminals or Unicode, to mix into values.
TRICKY = st.sampled_from(
    [
        "{{ 7*7 }}",
        "{% for i in range(9**9) %}",
        "{{ ''.__class__.__mro__ }}",
        "{{ lipsum.__globals__ }}",
        "{#",
        "{%",
        "%}",
        "}}",
        "{{",
        "%s",
        "%(x)s",
        "%999999999s",
        "\\",
        "'",
        '"',
        "\x00",
        "\x1b[31m",
        "\r\n",
        "\u202e",
        "\u200b",
        "\u200d",
        "\U0001f469\u200d\U0001f4bb",
        "e\u0301",
        "\ufeff",
        "\U0001f600",
        "\u2028",
    ]
)
ANY_CHAR = st.one_of(st.characters(), st.characters(categories=("Cs",)))
VALUES = st.lists(st.one_of(st.text(), TRICKY), max_size=6).map("".join)
NOTES = st.lists(
    st.one_of(
        st.text(),
        TRICKY,
        st.sampled_from(["Hi Sam, ", "I'm hiring ", "[Name]", "\n\n", "Subject: hi\n"]),
    ),
    max_size=8,
).map("".join)
CHANNELS = st.sampled_from(["linkedin-invite", "linkedin-message", "linkedin-inmail", "email"])
# Pieces of template syntax, valid and broken, for bodies no one would write on purpose.
JINJA_PIECES = st.sampled_from(
    [
        "{{ ",
        " }}",
        "{% ",
        " %}",
        "{# ",
        " #}",
        "name",
        "loop.index",
        "range(3)",
        "range(10**9)",
        "for x in ",
        "endfor",
        "if ",
        "endif",
        "set y = ",
        "include 'x.txt'",
        "'a'",
        "9",
        "**",
        "*",
        "~",
        "%",
        "+",
        "|join",
        "|upper",
        "|attr('x')",
        ".__class__",
        "(",
        ")",
        "[",
        "]",
        "[0]",
        ",",
        "self",
        "cycler",
        "x",
        "\n",
        "text ",
    ]
)


def browser_length(text: str) -> int:
    """What a browser's maxlength counts: UTF-16 code units, so two for a code point past U+FFFF."""
    return sum(2 if ord(char) > 0xFFFF else 1 for char in text)


@pytest.fixture(scope="module")
def echo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Renderer, Template]:
    root = tmp_path_factory.mktemp("pack")
    (root / "templates").mkdir()
    (root / "pack.yaml").write_text(MANIFEST, encoding="utf-8")
    (root / "templates" / "echo.md").write_text(TEMPLATE, encoding="utf-8")
    pack = load_pack(root, Limits())
    return Renderer(pack.root), pack.templates["echo"]


@pytest.fixture(scope="module")
def checker() -> Checker:
    workspace = Workspace(pack_spec="builtin", isolated=True)
    workspace.config = Config(disable_entry_points=True)
    checker = build_checker(workspace, [])
    checker.context.phrases.search("pitch", "")  # the lists' one-time preparation, untimed
    return checker


@given(value=VALUES)
def test_a_value_is_rendered_as_data_or_refused_as_a_value(
    echo: tuple[Renderer, Template], value: str
) -> None:
    renderer, template = echo
    try:
        message = renderer.render(template, {"name": value})
    except VariableError as exc:
        assert exc.message  # refused as a value: nothing else may go wrong
        return
    assert message.body == unicodedata.normalize("NFC", f"<{unicodedata.normalize('NFC', value)}>")
    assert message.length == browser_length(message.body)


@given(value=st.text(ANY_CHAR, max_size=30))
def test_values_with_any_code_point_fail_only_as_values(
    echo: tuple[Renderer, Template], value: str
) -> None:
    renderer, template = echo
    with contextlib.suppress(VariableError):
        renderer.render(template, {"name": value})


@settings(deadline=None)
@given(body=st.lists(JINJA_PIECES, max_size=14).map("".join))
def test_any_template_body_fails_only_with_invitepack_errors(
    echo: tuple[Renderer, Template], body: str
) -> None:
    renderer, template = echo
    try:
        renderer.render(replace(template, body=body), {"name": "Ada"})
    except InvitepackError as exc:
        assert exc.location is not None and exc.location.path == template.path


# No deadline: the first example compiles every phrase list (lazily, on first use), which
# on a busy machine takes longer than hypothesis's default 200 ms.
@settings(deadline=None)
@given(
    text=NOTES,
    channel=CHANNELS,
    scenario=st.sampled_from([None, "candidate-approach", "seeking-work"]),
)
def test_check_never_crashes_and_ignores_the_normalisation_form(
    checker: Checker, text: str, channel: str, scenario: str | None
) -> None:
    findings = []
    for form in ("NFC", "NFD"):
        note = Message.from_note(
            unicodedata.normalize(form, text),
            path=Path("note.txt"),
            channel=channel,
            scenario=scenario,
        )
        outcome = Outcome()
        checker.check_message(note, outcome)
        assert outcome.failures == [] and outcome.errors == []
        findings.append(outcome.findings)
    assert findings[0] == findings[1]


@given(text=st.text())
def test_utf16_length_matches_a_browser(text: str) -> None:
    assert utf16_length(text) == browser_length(text)
    note = Message.from_note(text, path=None, channel="linkedin-invite")
    assert note.length == browser_length(note.body)


@given(text=st.text(ANY_CHAR))
def test_diagnostics_echo_input_escaped(text: str) -> None:
    shown = escape_for_display(text)
    assert shown.isprintable() and unsafe_character(shown) is None


# Characters around the line between plain and not: printable beyond ASCII (accents, emoji,
# a no-break space is not printable), the invisible ones that are printable (U+034F, U+3164),
# format characters (zero-width space and joiner), separators and controls.
BORDER_CHARS = st.sampled_from(
    [
        *("a", " ", "\n", "\t", "\u00e9", "\u00a0", "\u2019", "\U0001f600", "\u034f"),
        *("\u115f", "\u3164", "\u200b", "\u200d", "\u2028", "\x7f", "\ud800", "\ue000"),
    ]
)


@given(
    text=st.text(ANY_CHAR)
    | st.text(st.characters(max_codepoint=0x7F))
    | st.text(BORDER_CHARS, max_size=12),
    multiline=st.booleans(),
)
def test_text_answered_as_plain_holds_nothing_the_search_would_find(
    text: str, multiline: bool
) -> None:
    """unsafe_characters answers plain text without its search: the search finds nothing
    there, and the first unsafe character is the first of them all."""
    if values_module._plain(text, multiline):
        with mock.patch.object(values_module, "_plain", return_value=False):
            assert list(unsafe_characters(text, multiline)) == []
    assert unsafe_character(text, multiline) == next(unsafe_characters(text, multiline), None)


@given(
    data=st.binary(max_size=200)
    | st.text(ANY_CHAR).map(lambda t: t.encode("utf-8", "surrogatepass"))
)
def test_decoding_any_bytes_gives_text_or_a_positioned_error(data: bytes) -> None:
    try:
        text = decode_text(data, Path("note.txt"))
    except LoadError as exc:
        assert exc.location is not None and exc.location.line and exc.location.column
    else:
        assert "\r" not in text and not text.startswith("\ufeff")


YAML_PIECES = st.sampled_from(
    [
        "a: ",
        "- ",
        "{",
        "}",
        "[",
        "]",
        ", ",
        ": ",
        "\n",
        "  ",
        "&x ",
        "*x",
        "<<: ",
        "!!python/object:os.system ",
        "!!binary ",
        "!!set ",
        "? ",
        "'",
        '"',
        "1.10",
        "no",
        "1" * 5000,
        "~",
        "|\n  ",
        "---\n",
        "...\n",
        "%YAML 1.1\n",
        "#",
    ]
)


@given(text=st.lists(st.one_of(YAML_PIECES, st.text(max_size=5)), max_size=20).map("".join))
def test_yaml_gives_data_or_an_error_with_line_and_column(text: str) -> None:
    try:
        doc = parse_yaml(text, Path("x.yaml"))
    except LoadError as exc:
        assert exc.location is not None and exc.location.line and exc.location.column
    else:
        assert_plain_data(doc.data)


def assert_plain_data(value: object) -> None:
    """YAML gives JSON-like data only: no tags, no Python objects, text in NFC."""
    if isinstance(value, dict):
        for key, item in value.items():
            assert isinstance(key, str)
            assert_plain_data(item)
    elif isinstance(value, list):
        for item in value:
            assert_plain_data(item)
    elif isinstance(value, str):
        assert unicodedata.is_normalized("NFC", value)
    else:
        assert value is None or isinstance(value, (bool, int, float))
