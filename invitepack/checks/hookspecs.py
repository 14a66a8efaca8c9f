"""The hooks a checker plugin can implement. Each is one function, documented here.

A plugin is a module (or object) with functions marked `@hookimpl` and named like the specs
below. It may take any subset of a hook's arguments, so hooks can grow new arguments without
breaking plugins. Built-in rules are plugins of exactly this kind (see invitepack/checks/rules/).

    from invitepack import Rule, hookimpl

    NO_EMOJI = Rule("TEAM101", "no-emoji-in-inmail", "warning", "...", "...", "...")

    @hookimpl
    def invitepack_rules():
        return [NO_EMOJI]

    @hookimpl
    def invitepack_check_message(message, context):
        if message.channel == "linkedin-inmail" and "🙂" in message.body:
            yield NO_EMOJI.on(message, "InMail should carry no emoji")
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from invitepack.checks.context import CheckContext
    from invitepack.checks.findings import Finding, Rule
    from invitepack.pack.loader import Pack
    from invitepack.pack.template import Template
    from invitepack.render.message import Message

hookspec = pluggy.HookspecMarker("invitepack")
hookimpl = pluggy.HookimplMarker("invitepack")


@hookspec
def invitepack_rules() -> Iterable[Rule]:
    """Declare the rules this plugin can report.

    Called once when the plugin manager is built, and by `invitepack rules` and
    `invitepack plugins`. Return an iterable of `invitepack.Rule`. Every finding a
    plugin reports must use one of its declared rules: that is what lets users `select`,
    `ignore` and suppress it by code or name, and what `invitepack rules CODE` explains.
    """


@hookspec
def invitepack_check_message(message: Message, context: CheckContext) -> Iterable[Finding] | None:
    """Judge one message as its recipient would: a hand-written note (`check`), a rendered
    template example (`validate`) or a rendered batch row (`render --data`).

    message: an `invitepack.Message` (frozen; do not mutate) with `body`,
      `subject` (or None), `channel`, `account` ("free" or "premium"), `scenario` (or None
      when unknown), and `template` (the `Template` it was rendered from, or None).
    context: an `invitepack.CheckContext` (read-only) with the channel limits
      (`context.channel(message.channel)`), the compiled phrase lists
      (`context.phrases.search(name, text)`), rule options (`context.option(rule, key,
      default)`) and the pack's settings (`context.settings`).

    Return (or yield) findings made with `rule.on(message, text, span=(start, end))`, or
    None. Raising, exiting or returning anything else is reported as a plugin error naming
    this plugin and the file being checked (exit 2); other plugins' findings still appear.
    """


@hookspec
def invitepack_check_template(
    template: Template, context: CheckContext
) -> Iterable[Finding] | None:
    """Judge one parsed template before its examples are rendered (`validate` only).

    template: an `invitepack.pack.template.Template` (frozen; do not mutate) with its front matter
      (`id`, `version`, `scenario`, `channel`, `variables`, `examples`, `subject`, ...),
      Jinja2 `body`, `path`, `body_line` and `location(*json_path)` for pointing at a key.
    context: as for `invitepack_check_message`; `context.renderer` parses and renders.

    Return (or yield) findings made with `rule.at(location, text)`, or None. Messages the
    template renders are judged separately by `invitepack_check_message`.
    """


@hookspec
def invitepack_check_pack(pack: Pack, context: CheckContext) -> Iterable[Finding] | None:
    """Judge a whole pack at once: rules that need every template, e.g. duplicate ids or
    a template changed without a version bump (`validate` of a whole pack only).

    pack: an `invitepack.pack.loader.Pack` with `root`, `manifest` and `templates` (by id); do not
      mutate it.
    context: as for `invitepack_check_message`, plus `context.baseline`: the git commit this
      run compares with (HEAD, or `validate --base REF`), whose `read(path)` gives a file as
      it was there (None for a new file), or None when there is no commit to compare with.

    Return (or yield) findings made with `rule.at(location, text)`, or None.
    """
