"""Values are what was written: numbers in plain ASCII digits, messages quoting the source
text, look-alike domains and every hidden character found, addresses a header can carry, and
an included file's last line break kept (issue 13, item 9)."""

from __future__ import annotations

import email
import email.policy
import json

import pytest

from invitepack.checks.checker import build_checker
from invitepack.checks.rules.hidden import lookalike
from invitepack.errors import VariableError
from invitepack.output.eml import address, build_email
from invitepack.pack.workspace import Workspace
from invitepack.render.message import Message
from invitepack.render.values import _coerce, escape_for_display, unsafe_characters

GOOD = (
    "I enjoyed your post on testing dbt models in CI. Could I ask you two questions about how "
    "you run it? Thanks either way."
)
TEMPLATE = """\
---
id: note
version: "1.0.0"
scenario: test
channel: linkedin-message
title: Test
description: A template for the tests.
guidance: Used only by the tests.
variables:
  type: object
  properties:
    name: {{type: string, description: Your name, maxLength: 40}}
    years: {{type: integer, description: Years in the field, minimum: 0, maximum: 60}}
    level: {{type: string, description: A level, enum: ["1.10", "2.0"]}}
  required: [name]
examples:
  - {{name: Ada, years: 7}}
---
{body}
"""


@pytest.mark.parametrize(
    "text", ["007", "1_000", "\uff15", "\u0661\u0662\u0663", "1e3", "0x10", " 1 2", "", "٣"]
)
def test_only_plain_ascii_integers_are_integers(text):
    with pytest.raises(VariableError, match="is not an integer"):
        _coerce("years", text, "integer", escape_for_display)


@pytest.mark.parametrize(
    ("text", "value"), [("7", 7), ("0", 0), ("-3", -3), (" 12 ", 12), ("+4", 4)]
)
def test_plain_integers_still_read(text, value):
    assert _coerce("years", text, "integer", escape_for_display) == value


@pytest.mark.parametrize("text", ["1_0.5", "\uff15.0", "nan", "inf", "1e999", ".5", "05.1"])
def test_only_plain_numbers_are_numbers(text):
    with pytest.raises(VariableError, match="is not a number"):
        _coerce("ratio", text, "number", escape_for_display)


def test_a_variables_file_is_read_as_written(cli, make_pack, tmp_path):
    pack = make_pack(
        {"note.md": TEMPLATE.format(body="Hi Sam, I'm {{ name }}, {{ level }}. " + GOOD)}
    )
    values = tmp_path / "values.yaml"
    values.write_text("name: 1.10\nlevel: 1.1\nyears: 007\n", encoding="utf-8")
    result = cli("render", "note", "--pack", str(pack), "--vars-file", str(values))
    assert result.returncode == 2
    # Each value as written: 007 is not the 7 int() or YAML 1.1's octal would make of it.
    assert "--years: '007' is not an integer" in result.stderr, result.stderr
    values.write_text("name: 1.10\nlevel: 1.10\nyears: 7\n", encoding="utf-8")
    result = cli("render", "note", "--pack", str(pack), "--vars-file", str(values))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Hi Sam, I'm 1.10, 1.10.")


def test_jsonl_numbers_are_read_as_written(cli, make_pack, tmp_path):
    pack = make_pack(
        {"note.md": TEMPLATE.format(body="Hi Sam, I'm {{ name }}, {{ level }}. " + GOOD)}
    )
    data = tmp_path / "people.jsonl"
    data.write_text('{"name": "Ada", "level": 1.10, "years": 7}\n', encoding="utf-8")
    out = tmp_path / "notes.jsonl"
    result = cli("render", "note", "--pack", str(pack), "--data", str(data), "--jsonl", str(out))
    assert result.returncode == 0, result.stderr
    assert json.loads(out.read_text(encoding="utf-8"))["body"].startswith("Hi Sam, I'm Ada, 1.10.")


def test_schema_messages_quote_the_source_text(cli, make_pack):
    broken = TEMPLATE.format(body="Hi {{ name }}").replace('version: "1.0.0"', "version: 1.10")
    pack = make_pack({"note.md": broken})
    result = cli("validate", "--pack", str(pack))
    assert "version: 1.10 is not of type 'string'" in result.stdout + result.stderr
    assert "1.1 is not" not in result.stdout + result.stderr


def test_every_hidden_character_is_found():
    text = "a\u200bb\u202ec\u2060\u2060d\u00ade"
    assert [index for index, _ in unsafe_characters(text, multiline=True)] == [1, 3, 5, 6, 8]
    # Printable, yet invisible: a grapheme joiner and a Hangul filler among accents and emoji.
    text = "caf\u00e9 \u034f \U0001f600\u3164"
    assert list(unsafe_characters(text, multiline=True)) == [
        (5, "invisible character"),
        (8, "invisible character"),
    ]


@pytest.mark.parametrize(
    "host",
    [
        "p\u0430ypal.com",  # Cyrillic a among Latin letters
        "\u0430\u0440\u0440\u04cf\u0435.com",  # apple, wholly Cyrillic, under .com
        "xn--80ak6aa92e.com",  # the same, as punycode
        "g\u03bf\u03bfgle.com",  # Greek omicrons
        "\uff45xample.com",  # a fullwidth e
        "micros\u043eft.co.uk",
    ],
)
def test_lookalike_domains_are_found(host):
    assert lookalike(host)


@pytest.mark.parametrize(
    "host",
    [
        "example.com",
        "m\u00fcnchen.de",
        "\u043f\u0440\u0438\u043c\u0435\u0440.\u0440\u0444",
        "b\u00fccher.example",
        "xn--mnchen-3ya.de",
        "\u6771\u4eac.jp",
    ],
)
def test_real_international_domains_are_not(host):
    assert lookalike(host) is None


@pytest.mark.parametrize(
    ("note", "found"),
    [
        ("Thanks \u201cAda\u201d \U0001f642 see example.com. Best", False),
        ("Thanks \u201cAda\u201d \U0001f642 see p\u0430ypal.com. Best", True),
        ("See \u201cxn--80ak6aa92e.com\u201d \U0001f642", True),
    ],
)
def test_a_note_beyond_ascii_is_read_for_lookalike_domains(note, found):
    """A note with curly quotes or emoji is read for its dotted runs: a look-alike among
    them is found, a plain domain is not."""
    checker = build_checker(Workspace(pack_spec="builtin", isolated=True), [])
    message = Message(body=note, channel="linkedin-invite")
    codes = [f.code for f in checker.message_findings(message).findings]
    assert ("IP605" in codes) is found


def test_prose_in_other_scripts_is_not_taken_for_a_link(cli):
    note = (
        "Hi Olga, I'm Ada. \u041f\u0440\u0438\u0432\u0435\u0442.\u041a\u0430\u043a "
        "\u0434\u0435\u043b\u0430? Your talk on Kafka at PyCon was great. Could we chat?"
    )
    result = cli("check", "-", "--pack", "builtin", "--isolated", input=note)
    assert "IP605" not in result.stdout


def test_an_international_domain_is_written_in_its_idna_form():
    assert address("ana@b\u00fccher.de", "the recipient address") == "ana@xn--bcher-kva.de"
    raw = build_email(
        subject="Hello",
        text="Hi",
        html_fragment="<p>Hi</p>",
        to="ana@b\u00fccher.de",
        sender="ada@ex\u00e4mple.com",
    )
    head = raw.split(b"\r\n\r\n", 1)[0]
    assert head.isascii() and b"=?" not in head.split(b"Subject")[0]
    message = email.message_from_bytes(raw, policy=email.policy.SMTP)
    assert message["To"].addresses[0].domain == "xn--bcher-kva.de"
    assert message["From"].addresses[0].domain == "xn--exmple-cua.com"
    with pytest.raises(VariableError, match=r"before the @|not a valid email"):
        address("jos\u00e9@example.com", "the recipient address")


def test_an_include_keeps_the_partials_last_line_break(cli, make_pack):
    pack = make_pack(
        {
            "note.md": TEMPLATE.format(
                body="Hi Sam, " + GOOD + "\n{% include 'templates/sign-off.txt' %}\nP.S. hi"
            ),
            "sign-off.txt": "Best,\nAda\n",
        }
    )
    result = cli("render", "note", "--pack", str(pack), "--name", "Ada")
    assert result.returncode in (0, 1), result.stderr
    assert "Thanks either way.\nBest,\nAda\nP.S. hi\n" in result.stdout, result.stdout
