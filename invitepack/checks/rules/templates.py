"""Template rules: a template must parse, be safe, declare what it uses, carry valid
examples, and provably fit its channel when every variable is at its longest.

The rules the core reports itself (an unreadable file, an invalid example, ...) are declared
in invitepack.checks.corerules; this plugin declares them to the plugin manager with its own."""

from __future__ import annotations

from collections.abc import Iterator

from invitepack.checks.builtin import hookimpl
from invitepack.checks.context import CheckContext
from invitepack.checks.corerules import (
    DUPLICATE_ID,
    INVALID_EXAMPLE,
    INVALID_MANIFEST,
    INVALID_TEMPLATE,
    TEMPLATE_SYNTAX,
    UNDECLARED_VARIABLE,
    UNKNOWN_CHANNEL,
    UNSAFE_TEMPLATE,
    UNUSED_SUPPRESSION,
)
from invitepack.checks.findings import Finding, Rule
from invitepack.errors import (
    InvitepackError,
    LimitExceededError,
    UnsafeTemplateError,
)
from invitepack.pack.channels import utf16_length

TYPE_CHECKING = False
if TYPE_CHECKING:  # the template rules run under validate, which has loaded them
    from typing import Any

    from invitepack.pack.loader import Pack
    from invitepack.pack.template import Template

_T = "template"
UNUSED_VARIABLE = Rule(
    "IP705",
    "unused-variable",
    "warning",
    "A declared variable is never used.",
    "Users are asked for a value that goes nowhere; usually a sign the body was edited and the "
    "front matter was not.",
    "Use it in the body or subject, or remove it from variables.",
    _T,
)
WORST_CASE_OVER_LIMIT = Rule(
    "IP708",
    "worst-case-over-limit",
    "error",
    "With every variable at its maxLength the note can exceed the channel's limit.",
    "A template that fits with the example values can still overflow with a long name or company. "
    "invitepack renders the template with every variable at its maxLength (counted in UTF-16 "
    "units) and every optional one both filled and empty, and checks the longest result.",
    "Lower the variables' maxLength, or shorten the fixed text.",
    _T,
)
UNBOUNDED_VARIABLE = Rule(
    "IP709",
    "unbounded-variable",
    "warning",
    "A variable of a length-limited channel has no maxLength.",
    "Without maxLength nothing proves the note fits its channel.",
    "Give the variable a maxLength that fits the channel's budget.",
    _T,
)
AMBIGUOUS_DEFAULT = Rule(
    "IP711",
    "ambiguous-default",
    "error",
    "Two templates without a variant share a scenario and channel.",
    "A scenario name picks the template without a `variant`; with two, the choice is arbitrary.",
    "Give all but one of them a `variant` (e.g. brief, warm).",
    _T,
)
WORST_CASE_LONG = Rule(
    "IP715",
    "worst-case-long",
    "warning",
    "With every variable at its maxLength an InMail or recruiter message passes 400 characters, "
    "or a subject passes what inboxes show.",
    "Replies to recruiter messages and InMail drop past 400 characters (LinkedIn's study of "
    "tens of millions of InMails), and phones show 30-50 characters of a subject. A template "
    "that is short with its examples can still run long with a long role or company, so "
    "invitepack renders it with every variable at its maxLength, and every optional one both "
    "filled and empty, and checks the longest body and subject.",
    "Lower the variables' maxLength, or shorten the fixed text.",
    _T,
)
MISSING_SUBJECT = Rule(
    "IP714",
    "missing-subject",
    "error",
    "An email or InMail template has no subject.",
    "Email and InMail require a subject; a message without one is not sent, or goes unread.",
    "Add `subject:` to the front matter.",
    _T,
)


def _what_to_shorten(
    template: Template,
    renderer: Any,
    properties: dict[str, Any],
    worst: dict[str, Any],
    longest: int,
    over: int,
) -> str:
    """Which variables' maxLength to lower, and by how much, to save `over` characters: each
    variable's share is measured by rendering the worst case without it (a variable used
    twice saves two characters for each one taken off its maxLength)."""
    options = []
    for name, spec in sorted(properties.items(), key=lambda kv: -kv[1].get("maxLength", 0)):
        cap = spec.get("maxLength")
        if not cap or not worst.get(name):
            continue
        try:
            without = utf16_length(renderer.render_body(template, {**worst, name: ""}))
        except InvitepackError:
            continue
        uses = max(1, round((longest - without) / cap))
        cut = -(-over // uses)
        if cap - cut >= max(1, spec.get("minLength", 1)):
            options.append(f"{name} from {cap} to {cap - cut}")
    fixed = f"shorten the fixed text by {over} character{'s' * (over != 1)}"
    if not options:
        return fixed
    return f"lower the maxLength of {', or of '.join(options[:3])}; or {fixed}"


@hookimpl
def invitepack_rules() -> list[Rule]:
    return [
        INVALID_TEMPLATE,
        INVALID_MANIFEST,
        TEMPLATE_SYNTAX,
        UNSAFE_TEMPLATE,
        UNDECLARED_VARIABLE,
        UNUSED_VARIABLE,
        INVALID_EXAMPLE,
        DUPLICATE_ID,
        WORST_CASE_OVER_LIMIT,
        UNBOUNDED_VARIABLE,
        UNKNOWN_CHANNEL,
        AMBIGUOUS_DEFAULT,
        UNUSED_SUPPRESSION,
        MISSING_SUBJECT,
        WORST_CASE_LONG,
    ]


def _sources(template: Template) -> list[tuple[str, int]]:
    found = [(template.body, template.body_line)]
    if template.subject is not None:
        found.append((template.subject, template.location("subject").line or 1))
    return found


@hookimpl
def invitepack_check_template(template: Template, context: CheckContext) -> Iterator[Finding]:
    renderer = context.renderer
    assert renderer is not None, "validate provides a renderer"
    used: set[str] = set()
    for source, line in _sources(template):
        try:
            used |= renderer.variables(source, template.path, line)
        except UnsafeTemplateError as exc:
            yield UNSAFE_TEMPLATE.at(
                exc.location or template.location(), exc.message, hint=exc.hint
            )
            return
        except LimitExceededError:
            raise
        except InvitepackError as exc:
            yield TEMPLATE_SYNTAX.at(
                exc.location or template.location(), exc.message, hint=exc.hint
            )
            return
    properties: dict[str, Any] = template.variables.get("properties", {})
    undeclared = sorted(used - set(properties) - {"range", "loop"})
    for name in undeclared:
        yield UNDECLARED_VARIABLE.at(
            template.location("variables"), f"the template uses {name!r}, which is not declared"
        )
    for name in properties:
        if name not in used:
            yield UNUSED_VARIABLE.at(
                template.location("variables", "properties", name),
                f"variable {name!r} is declared but never used",
            )
    channel = context.channel(template.channel)
    if channel is None:
        known = ", ".join(sorted(context.channels))
        yield UNKNOWN_CHANNEL.at(
            template.location("channel"),
            f"unknown channel {template.channel!r}",
            hint=f"known channels: {known}",
        )
        return
    if channel.subject_required and template.subject is None:
        yield MISSING_SUBJECT.at(template.location("channel"), f"{channel.id} needs a subject")
    # Examples are validated when validate renders them (invalid-example comes from there).
    if not undeclared:
        yield from _worst_case(template, context, properties, used)


def _longest(spec: dict[str, Any]) -> Any:
    """The longest value a variable can take, as far as its schema says."""
    if "enum" in spec:
        return max(spec["enum"], key=lambda v: len(str(v)))
    if "const" in spec:
        return spec["const"]
    if spec.get("type", "string") != "string":
        return spec.get("default", 0 if spec.get("type") != "boolean" else True)
    # 'W' is one UTF-16 unit, like the widest value maxLength (counted in UTF-16 units) allows.
    return "W" * int(spec.get("maxLength", 0))


def _worst_case(
    template: Template, context: CheckContext, properties: dict[str, Any], used: set[str]
) -> Iterator[Finding]:
    channel = context.channel(template.channel)
    assert channel is not None and context.renderer is not None
    tier = template.account or "free"
    limit = channel.limit_for(tier)
    # The messages IP107 (long-recruiter-message) judges: InMail, and a recruiter's approach.
    drop = channel.reply_drop_length if channel.held_to_reply_drop(template.scenario) else None
    subject_cap = channel.subject_display if template.subject is not None else None
    if limit is None and drop is None and subject_cap is None:
        return
    unbounded = [
        n
        for n, s in properties.items()
        if n in used
        and s.get("type", "string") == "string"
        and "maxLength" not in s
        and "enum" not in s
        and "const" not in s
    ]
    for name in unbounded:
        yield UNBOUNDED_VARIABLE.at(
            template.location("variables", "properties", name),
            f"variable {name!r} has no maxLength, so nothing proves the note fits "
            + (f"{limit} characters" if limit is not None else "its channel"),
        )
    if unbounded:
        return
    full = {name: _longest(spec) for name, spec in properties.items()}
    required = set(template.required)
    sparse = {name: (value if name in required else "") for name, value in full.items()}
    # Rendering is deterministic: with every variable required, sparse is full, rendered once.
    cases = (full,) if sparse == full else (full, sparse)
    renderer = context.renderer
    try:
        longest, worst = max(
            ((utf16_length(renderer.render_body(template, values)), values) for values in cases),
            key=lambda pair: pair[0],
        )
        subject = (
            max(utf16_length(renderer.render_subject(template, v) or "") for v in cases)
            if subject_cap is not None
            else 0
        )
    except LimitExceededError:
        raise
    except InvitepackError:
        return  # the same failure is reported when the examples render
    if limit is not None and longest > limit:
        over = longest - limit
        fix = _what_to_shorten(template, renderer, properties, worst, longest, over)
        yield WORST_CASE_OVER_LIMIT.at(
            template.location("variables"),
            f"with every variable at its maxLength the note is {longest} characters; "
            f"{channel.id} ({tier} account) allows {limit}: {fix}",
            hint=fix,
        )
    elif drop is not None and longest > drop:
        yield WORST_CASE_LONG.at(
            template.location("variables"),
            f"with every variable at its maxLength the message is {longest} characters; "
            f"replies drop past {drop}",
        )
    if subject_cap is not None and subject > subject_cap:
        yield WORST_CASE_LONG.at(
            template.location("subject"),
            f"with every variable at its maxLength the subject is {subject} characters; "
            f"inboxes show about {subject_cap}",
        )


@hookimpl
def invitepack_check_pack(pack: Pack, context: CheckContext) -> Iterator[Finding]:
    defaults: dict[tuple[str, str], Template] = {}
    for template in sorted(pack.templates.values(), key=lambda t: t.id):
        if template.variant is not None or not pack.owns(template):
            continue
        key = (template.scenario, template.channel)
        if key in defaults:
            yield AMBIGUOUS_DEFAULT.at(
                template.location("scenario"),
                f"{template.id} and {defaults[key].id} both lack a variant for {key[0]} / {key[1]}",
            )
        else:
            defaults[key] = template
