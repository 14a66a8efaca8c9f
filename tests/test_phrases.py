"""The bundled phrase lists: every entry compiles on its own (a bad one would hide in the join)."""

from __future__ import annotations

import re

import pytest

from invitepack.checks.phrases import PhraseBook, bundled_list
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
