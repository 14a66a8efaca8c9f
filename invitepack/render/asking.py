"""Asking for missing values, one variable at a time: what to ask, whether an answer fits,
and the budget so far. No terminal here: `invitepack.cli.prompts` does the asking, so this
is testable without one (and an editor or another front end could ask the same questions)."""

from __future__ import annotations

import shlex
from dataclasses import dataclass, replace
from typing import Any

from invitepack.errors import InvitepackError, VariableError
from invitepack.pack.channels import Channel, utf16_length
from invitepack.pack.template import Template
from invitepack.render.renderer import Renderer
from invitepack.render.values import option_name


@dataclass(frozen=True)
class Question:
    """One variable to ask for: its description, an example and the length it is written for."""

    name: str
    description: str
    example: str | None
    max_length: int | None

    @property
    def label(self) -> str:
        """The name as the command line spells it (`why-you`)."""
        return option_name(self.name)[2:]

    def lines(self) -> list[str]:
        """What to show above the prompt."""
        notes = []
        if self.example:
            notes.append(f"e.g. {self.example}")
        if self.max_length is not None:
            notes.append(f"written for up to {self.max_length} characters")
        head = f"{self.label} - {self.description}" if self.description else self.label
        return [head] + (["  " + " · ".join(notes)] if notes else [])


@dataclass(frozen=True)
class Answer:
    """An answer checked against the template: the reason it can't be used, or the budget."""

    reason: str | None
    length: int
    limit: int | None

    @property
    def budget(self) -> str:
        """E.g. `142/200` (the note so far, with the variables still to ask left empty)."""
        return f"{self.length}/{self.limit}" if self.limit is not None else str(self.length)


def questions(template: Template, values: dict[str, Any]) -> list[Question]:
    """The required variables with no value yet, in the template's order."""
    properties: dict[str, Any] = template.variables.get("properties", {})
    asked = []
    for name in properties:
        if name not in template.required or values.get(name) not in (None, ""):
            continue
        spec = properties[name]
        examples = spec.get("examples") or [
            e[name] for e in template.examples if isinstance(e.get(name), str)
        ]
        asked.append(
            Question(
                name=name,
                description=" ".join(str(spec.get("description", "")).split()),
                example=str(examples[0]) if examples else None,
                max_length=spec.get("maxLength"),
            )
        )
    return asked


class Asker:
    """Checks answers for one template, channel and account as they are given."""

    def __init__(self, renderer: Renderer, template: Template, channel: Channel, account: str):
        self.renderer = renderer
        self.template = template
        self.limit = channel.limit_for(account)

    def _length(self, values: dict[str, Any]) -> int:
        properties = self.template.variables.get("properties", {})
        filled = {name: values.get(name, "") for name in properties}
        return utf16_length(self.renderer.render_body(self.template, filled))

    def check(self, values: dict[str, Any], name: str, answer: str) -> Answer:
        """Whether `answer` can be `name`'s value given the values so far: it must pass the
        variable's own constraints, and the note must still fit its limit with the variables
        not yet asked left empty."""
        from invitepack.render.values import prepare_values

        properties = self.template.variables.get("properties", {})
        trial = {**values, name: answer}
        # Constraints of this one variable only: the others are checked as they are asked.
        alone = {name: trial[name]}
        sketch = replace(
            self.template,
            variables={
                "type": "object",
                "properties": {name: properties[name]},
                "required": [name],
            },
        )
        try:
            prepare_values(sketch, alone, self.renderer.limits)
        except VariableError as exc:
            return Answer(_plain(exc.message, name), self._length(values), self.limit)
        try:
            length = self._length(trial)
        except InvitepackError as exc:
            return Answer(exc.message, self._length(values), self.limit)
        if self.limit is not None and length > self.limit:
            over = length - self.limit
            return Answer(
                f"too long: the note would be {length}/{self.limit}, {over} over, before the "
                "rest is filled in; try a shorter value",
                self._length(values),
                self.limit,
            )
        return Answer(None, length, self.limit)


def _plain(message: str, name: str) -> str:
    """A variable error without the option name it starts with (the prompt already says it)."""
    prefix = option_name(name) + ":"
    lines = [line.strip().removeprefix(prefix).strip() for line in message.splitlines()]
    return "; ".join(line for line in lines if line)


def command_line(
    template: Template, values: dict[str, Any], *, account: str | None, pack: str | None
) -> str:
    """The `invitepack render` command that renders the same note without asking."""
    words = ["invitepack", "render", template.id]
    if pack:
        words += ["--pack", pack]
    if account:
        words += ["--account", account]
    for name in template.variables.get("properties", {}):
        value = values.get(name)
        if value not in (None, ""):
            words += [option_name(name), str(value)]
    return shlex.join(words)
