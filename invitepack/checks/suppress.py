"""Suppressions inside templates, as Jinja comments so nothing reaches the recipient:

{# invitepack: disable=IP204,no-easy-out the detail is added by hand before sending #}
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from invitepack.checks.findings import Finding, Rule
from invitepack.checks.selection import matches
from invitepack.errors import Location
from invitepack.pack.template import Template

_COMMENT = re.compile(r"\{#-?\s*invitepack:\s*disable=([\w,-]+)\s*(.*?)-?#\}", re.DOTALL)


@dataclass
class Suppression:
    selectors: tuple[str, ...]
    reason: str
    location: Location
    used: set[str] = field(default_factory=set)


def suppressions(template: Template) -> list[Suppression]:
    """The disable comments in a template's body, with their lines."""
    found = []
    # No match can end after the last `#}`: stopping there keeps an unclosed comment repeated
    # many times from being read to the end once per repeat (quadratic), and changes nothing.
    for match in _COMMENT.finditer(template.body, 0, template.body.rfind("#}") + 2):
        line = template.body_line + template.body.count("\n", 0, match.start())
        selectors = tuple(s for s in match.group(1).split(",") if s)
        found.append(
            Suppression(selectors, match.group(2).strip(), Location(template.path, line, None))
        )
    return found


def apply(
    findings: list[Finding], active: list[Suppression], rules: dict[str, Rule]
) -> list[Finding]:
    """Drop suppressed findings, recording which selectors were used."""
    kept = []
    for finding in findings:
        rule = rules.get(finding.code)
        hit = None
        for suppression in active:
            for selector in suppression.selectors:
                if rule is not None and matches(selector, rule):
                    hit = (suppression, selector)
        if hit:
            hit[0].used.add(hit[1])
        else:
            kept.append(finding)
    return kept


def unused(
    active: list[Suppression], rule: Rule, known: dict[str, Rule] | None = None
) -> list[Finding]:
    """A finding for each selector that suppressed nothing: "unknown rule" (with the closest
    names) when it names no rule in `known`, else "unused"."""
    from invitepack.pack.names import did_you_mean

    found = []
    for s in active:
        for selector in s.selectors:
            if selector in s.used:
                continue
            if known is not None and not any(matches(selector, r) for r in known.values()):
                names = [n for r in known.values() for n in (r.code, r.name)]
                found.append(
                    rule.at(
                        s.location,
                        f"suppression names an unknown rule {selector!r}",
                        hint=did_you_mean(selector, names, "run `invitepack rules` to list them"),
                    )
                )
            else:
                found.append(
                    rule.at(
                        s.location,
                        f"suppression of {selector!r} is unused: nothing here reports it",
                    )
                )
    return found
