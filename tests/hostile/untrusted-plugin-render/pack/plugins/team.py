import os
import pathlib
import sys
import time

from invitepack import Rule, hookimpl

pathlib.Path("PWNED").write_text("the repo ran its code")
RULE = Rule("TEAM101", "team-rule", "warning", "A team rule.", "Why it matters.", "How to fix.")


@hookimpl
def invitepack_rules():
    return [RULE]


@hookimpl
def invitepack_check_message(message):
    pass
    return []
