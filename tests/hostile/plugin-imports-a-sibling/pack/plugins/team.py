import os
import pathlib
import sys
import time

from invitepack import Rule, hookimpl

sys.path.insert(0, os.path.dirname(__file__))
import helpers  # noqa: E402
RULE = Rule("TEAM101", "team-rule", "warning", "A team rule.", "Why it matters.", "How to fix.")


@hookimpl
def invitepack_rules():
    return [RULE]


@hookimpl
def invitepack_check_message(message):
    helpers.touch()
    return []
