import os
import pathlib
import sys
import time

from invitepack import Rule, hookimpl


RULE = Rule("TEAM101", "team-rule", "warning", "A team rule.", "Why it matters.", "How to fix.")


@hookimpl
def invitepack_rules():
    return [RULE]


@hookimpl
def invitepack_check_message(message):
    time.sleep(100_000)
    return []
