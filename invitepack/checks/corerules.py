"""The rules the core reports itself, declared here rather than in a plugin.

`validate` turns a pack.yaml or template file that can't be read, an example that fails its
own schema, a duplicate id and an unused suppression into findings of these rules, and
stops rendering a template's examples after the template findings in BLOCKING. The built-in
`templates` plugin declares them (with its own template rules) to the plugin manager, as
every rule is declared, so that selection, `invitepack rules` and the reporters know them.
"""

from __future__ import annotations

from invitepack.checks.findings import Rule

_T = "template"

INVALID_TEMPLATE = Rule(
    "IP700",
    "invalid-template",
    "error",
    "The template file can't be read: encoding, front matter, YAML or schema.",
    "Teams write templates by hand; a broken one should fail in review, not when a recruiter "
    "renders it. The front matter must match the template schema (`invitepack schema template`).",
    "Fix what the message names; `invitepack schema template` shows every key.",
    _T,
)

INVALID_MANIFEST = Rule(
    "IP701",
    "invalid-manifest",
    "error",
    "pack.yaml is invalid.",
    "The manifest names the pack, its version and the invitepack versions it works with; tools "
    "and people rely on it (`invitepack schema pack`).",
    "Fix what the message names; `invitepack schema pack` shows every key.",
    _T,
)

TEMPLATE_SYNTAX = Rule(
    "IP702",
    "template-syntax",
    "error",
    "The Jinja2 body or subject does not parse.",
    "A template that does not parse cannot render anything.",
    "Close every {{ }}, {% %} and {# #}; give every {% if %} its {% endif %}.",
    _T,
)

UNSAFE_TEMPLATE = Rule(
    "IP703",
    "unsafe-template",
    "error",
    "The template uses a construct the sandbox refuses.",
    "Templates come from shared repos. Attribute walks (__class__, __globals__), |attr, "
    "str.format, `self` and helper globals are the known routes out of Jinja's sandbox, and "
    "includes outside the pack read files they should not. invitepack refuses them all.",
    "Use only variables, {% if %}, {% for %} and the allowed filters.",
    _T,
)

UNDECLARED_VARIABLE = Rule(
    "IP704",
    "undeclared-variable",
    "error",
    "The body uses a variable the front matter does not declare.",
    "Undeclared variables cannot be validated, have no --option, and fail at render time.",
    "Declare it under variables.properties with a description and maxLength.",
    _T,
)

INVALID_EXAMPLE = Rule(
    "IP706",
    "invalid-example",
    "error",
    "An example's values fail the template's own variables schema.",
    "Examples document the template and are rendered and checked by `validate`; one that the "
    "template itself refuses teaches users the wrong thing.",
    "Fix the example values, or the variables schema.",
    _T,
)

DUPLICATE_ID = Rule(
    "IP707",
    "duplicate-id",
    "error",
    "Two templates share an id.",
    "Ids name templates on the command line and in overrides; a duplicate makes one of them "
    "unreachable.",
    "Give each template its own id (the file name without .md).",
    _T,
)

UNKNOWN_CHANNEL = Rule(
    "IP710",
    "unknown-channel",
    "error",
    "The template names a channel invitepack does not know.",
    "Channels carry the limits a note is checked against; an unknown one is usually a typo.",
    "Use a channel `invitepack channels` lists, or define it in the config's [channels].",
    _T,
)

UNUSED_SUPPRESSION = Rule(
    "IP712",
    "unused-suppression",
    "warning",
    "A `{# invitepack: disable=... #}` comment suppresses nothing.",
    "Stale suppressions hide future problems and mislead readers.",
    "Remove the suppression comment.",
    _T,
)

# Template findings after which a template's examples cannot be rendered meaningfully.
BLOCKING = frozenset(
    rule.code for rule in (TEMPLATE_SYNTAX, UNSAFE_TEMPLATE, UNKNOWN_CHANNEL, UNDECLARED_VARIABLE)
)
