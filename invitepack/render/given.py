"""The values a user gives for a template's variables, gathered in one order: an example,
then a variables file, then `--var key=value` pairs, then `--<variable>` options, later ones
winning. The CLI only collects the options; `render` and batch call `gather_values`."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from invitepack.errors import LoadError, Location, VariableError
from invitepack.pack.template import Template


@dataclass(frozen=True)
class GivenValues:
    """Where values come from, as the command line names them."""

    example: int | None = None  # 1-based
    vars_file: Path | None = None
    pairs: tuple[str, ...] = ()  # "key=value"
    options: dict[str, str] = field(default_factory=dict)  # variable name -> value


def variable_key(name: str) -> str:
    """A variable's name as written on the command line or in a file: `first-name` is
    `first_name`."""
    return name.strip().replace("-", "_")


def split_pairs(pairs: tuple[str, ...], option: str, shape: str) -> dict[str, str]:
    """`A=B` pairs (for --var and --map) as a mapping; a malformed one names its option."""
    found: dict[str, str] = {}
    for pair in pairs:
        left, eq, right = pair.partition("=")
        if not eq or not left.strip():
            raise VariableError(f"{option}: {pair!r} is not {shape}")
        found[left.strip()] = right
    return found


def read_vars_file(
    path: Path, max_bytes: int, known: Iterable[str] | None = None
) -> dict[str, Any]:
    """A YAML or JSON file (JSON is YAML) holding a mapping of variable: value. With `known`
    (the template's variables), a key that is none of them is an error at its line, with the
    closest variable names. Unquoted numbers and yes/no stay as written, to be typed by the
    template's schema as an option's value is: `zip: 01234` is '01234', never the octal 668."""
    from invitepack.pack.names import unknown
    from invitepack.pack.textfile import read_text
    from invitepack.pack.yamlfile import parse_yaml

    doc = parse_yaml(read_text(path, max_bytes, "variables file"), path)
    if not isinstance(doc.data, dict):
        raise LoadError("a variables file must hold a mapping of name: value", Location(path, 1, 1))
    values = {variable_key(str(k)): doc.as_written([k], v) for k, v in doc.data.items()}
    if known is not None:
        names = set(known)
        for key in doc.data:
            if variable_key(str(key)) not in names:
                raise unknown("variable", str(key), names, doc.location((key,)))
    return values


def gather_values(template: Template, given: GivenValues, max_file_bytes: int) -> dict[str, Any]:
    """The values for one rendering (unvalidated: the renderer checks them)."""
    values: dict[str, Any] = {}
    if given.example is not None:
        if not 1 <= given.example <= len(template.examples):
            raise VariableError(
                f"--example: {template.id} has {len(template.examples)} example(s)",
                hint=f"invitepack show {template.id} lists them",
            )
        values.update(template.examples[given.example - 1])
    if given.vars_file is not None:
        known = template.variables.get("properties", {})
        values.update(read_vars_file(given.vars_file, max_file_bytes, known))
    for key, value in split_pairs(given.pairs, "--var", "KEY=VALUE").items():
        values[variable_key(key)] = value
    values.update({k: v for k, v in given.options.items() if v is not None})
    return values
