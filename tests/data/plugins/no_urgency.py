"""A local plugin as a team writes one: flags "urgent" (the trust tests and
bench/bench_isolation.py run it)."""

from invitepack import Rule, hookimpl

RULE = Rule("TEAM101", "no-urgency", "warning", "Urgency.", "Pressure.", "Drop it.")


@hookimpl
def invitepack_rules():
    return [RULE]


@hookimpl
def invitepack_check_message(message):
    at = message.body.lower().find("urgent")
    if at != -1:
        yield RULE.on(message, "'urgent' pressures the reader", span=(at, at + 6))
