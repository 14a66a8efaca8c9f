"""The pytest fixture for plugin authors, registered through the `pytest11` entry point when
invitepack is installed (or with `pytest_plugins = ["invitepack.testing.fixtures"]`).

    def test_urgency_is_flagged(invitepack_checker):
        checker = invitepack_checker(my_house_rules, settings={"company": "Acme"})
        found = checker.check("Hi Sam, urgent role, call me today.")
        assert "TEAM101" in found.codes and found.verdict.revise
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from invitepack.pack.config import Config
    from invitepack.testing import NoteChecker


@pytest.fixture
def invitepack_checker() -> Callable[..., NoteChecker]:
    """A factory of NoteCheckers: `invitepack_checker(*plugins, config=None, settings=None,
    entry_points=False)`; each checks notes with `.check(text, scenario=, channel=,
    account=)`, returning the findings with their `verdict`."""
    from invitepack.testing import NoteChecker

    def make(
        *plugins: Any,
        config: Mapping[str, Any] | str | Path | Config | None = None,
        settings: Mapping[str, Any] | None = None,
        entry_points: bool = False,
    ) -> NoteChecker:
        return NoteChecker(plugins, config=config, settings=settings, entry_points=entry_points)

    return make
