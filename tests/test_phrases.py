"""The bundled phrase lists: every entry compiles on its own (a bad one would hide in the join)."""

from __future__ import annotations

import re

import pytest

from invitepack.checks.phrases import PhraseBook, bundled_list, read_list
from invitepack.errors import LoadError
from invitepack.pack.resources import data_file

LISTS = sorted(p.stem for p in data_file("phrases").glob("*.txt"))


@pytest.mark.parametrize("name", LISTS)
def test_every_bundled_entry_compiles(name):
    entries = bundled_list(name)
    assert entries, f"{name} is empty"
    for entry in entries:
        re.compile(entry)


def test_config_extras_are_checked_with_a_clear_error():
    with pytest.raises(LoadError, match=r"\[phrases\] pitch: invalid pattern '\(unclosed'"):
        PhraseBook({"pitch": ("(unclosed",)})
    with pytest.raises(LoadError, match="unknown list 'pitches'"):
        PhraseBook({"pitches": ("x",)})
    assert PhraseBook({"pitch": ("our widget",)}).search("pitch", "Try our widget today")


def test_a_shared_word_list_is_written_once_and_means_the_same_in_every_entry(tmp_path):
    """A list's maintainer adds a word of praise once and every entry that uses @{praise}
    reads it; a list used before it is defined names the file and line."""
    phrases = tmp_path / "detail.txt"
    phrases.write_text(
        "# praise says nothing of the thing\n"
        "@praise = great|stellar\n"
        "your (?:@{praise} )*talk\n"
        "not @{praise}\n",
        encoding="utf-8",
    )
    entries = read_list(phrases)
    assert entries == ("your (?:(?:great|stellar) )*talk", "not (?:great|stellar)")
    assert re.fullmatch(entries[0], "your stellar great talk")
    phrases.write_text("your @{praise} talk\n@praise = great\n", encoding="utf-8")
    with pytest.raises(LoadError) as raised:
        read_list(phrases)
    assert "word list @{praise} is used before it is defined" in str(raised.value)
    assert f"{phrases}:1" in str(raised.value)
