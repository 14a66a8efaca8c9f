from invitepack import hookimpl
from invitepack import Rule

RULE = Rule("TEAM101", "team-rule", "warning", "A team rule.", "Why it matters.", "How to fix.")


@hookimpl
def invitepack_rules():
    return [RULE]


def broken(:
    pass
