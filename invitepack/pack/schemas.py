"""The bundled JSON Schemas and validation that points at the YAML source line.

jsonschema is imported lazily: `check` of a plain note never needs it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from re import _constants, _parser  # type: ignore[attr-defined]  # a parsed pattern shows its nesting
from typing import TYPE_CHECKING, Any

from invitepack.errors import LoadError, Location
from invitepack.pack.resources import bundled_dir

if TYPE_CHECKING:
    from jsonschema.protocols import Validator

    from invitepack.pack.yamlfile import YamlDocument

SCHEMA_NAMES = ("pack", "template")


def schema_path(name: str) -> Path:
    """The file of a bundled schema by short name (`pack`, `template`)."""
    if name not in SCHEMA_NAMES:
        raise LoadError(
            f"no bundled schema named {name!r}", hint=f"choose one of: {', '.join(SCHEMA_NAMES)}"
        )
    return bundled_dir("schemas") / f"{name}.schema.json"


@cache
def load_schema(name: str) -> dict[str, Any]:
    """A bundled schema as a dict."""
    data: dict[str, Any] = json.loads(schema_path(name).read_text(encoding="utf-8"))
    return data


def _no_retrieval(uri: str) -> Any:
    raise LoadError(
        f"refusing to fetch schema {uri!r}: invitepack never uses the network",
        hint="only the bundled schemas may be referenced",
    )


@cache
def _registry() -> Any:
    """An empty registry that refuses to fetch: every bundled schema is self-contained."""
    from referencing import Registry

    return Registry(retrieve=_no_retrieval)  # type: ignore[call-arg]


def _as_checked(name: str) -> dict[str, Any]:
    """The schema invitepack validates with. The template schema's `channel` enum lists the
    bundled channels (for editors and standalone tools); invitepack accepts any channel id
    there, since a config may define more, and the unknown-channel rule (IP710) checks it
    against the channels in force."""
    schema = load_schema(name)
    if name != "template":
        return schema
    properties = {**schema["properties"], "channel": {"type": "string", "pattern": CHANNEL_ID}}
    return {**schema, "properties": properties}


CHANNEL_ID = "^[a-z0-9][a-z0-9-]{0,63}$"


def regex_problem(pattern: str) -> str | None:
    """Why a variable's `pattern` is refused, or None: it must compile, and must not nest a
    repetition inside a repeated group (`(a+)+`, `(\\w+\\s?)*`), the shape that backtracks
    catastrophically. Other slow patterns are cut off by limits.render_seconds."""
    try:
        parsed = _parser.parse(pattern)
        re.compile(pattern)
    except (re.error, OverflowError, RecursionError) as exc:
        return f"{pattern!r} is not a valid regular expression: {exc}"
    if _nested_repetition(parsed):
        return (
            f"{pattern!r} repeats a group that itself repeats, which can take exponential "
            "time on a near-miss"
        )
    return None


def _nested_repetition(pattern: Any, repeated: bool = False) -> bool:
    for op, arg in pattern:
        if op in (_constants.ATOMIC_GROUP, _constants.POSSESSIVE_REPEAT):
            continue  # never backtracked into
        if op in (_constants.MAX_REPEAT, _constants.MIN_REPEAT) and arg[1] > 1:
            low, high, body = arg
            if (repeated and low != high) or _nested_repetition(body, True):
                return True
        elif any(_nested_repetition(sub, repeated) for sub in _subpatterns(arg)):
            return True
    return False


def _subpatterns(arg: Any) -> Iterator[Any]:
    if isinstance(arg, _parser.SubPattern):
        yield arg
    elif isinstance(arg, (tuple, list)):
        for item in arg:
            yield from _subpatterns(item)


def _check_regex(pattern: object) -> bool:
    problem = regex_problem(pattern) if isinstance(pattern, str) else None
    if problem:
        raise ValueError(problem)
    return True


@cache
def validator(name: str) -> Validator:
    """A Draft 2020-12 validator for a bundled schema; $refs resolve only among bundled schemas,
    and `format: regex` (a variable's `pattern`) is checked by regex_problem."""
    from jsonschema import Draft202012Validator, FormatChecker

    formats = FormatChecker(formats=())
    formats.checks("regex", raises=ValueError)(_check_regex)
    return Draft202012Validator(_as_checked(name), registry=_registry(), format_checker=formats)


def variables_validator(schema: dict[str, Any]) -> Validator:
    """A validator for a template's own `variables` schema, with formats enforced and no network."""
    from jsonschema import Draft202012Validator, FormatChecker

    return Draft202012Validator(
        schema, registry=_registry(), format_checker=FormatChecker(["email", "date"])
    )


def describe_error(error: Any, doc: YamlDocument | None = None) -> tuple[str, str | None]:
    """A readable message and hint for one jsonschema ValidationError; with the YAML document,
    a hint to quote a value quotes it as written (`1.10`, not the 1.1 YAML read)."""
    where = ".".join(str(p) for p in error.absolute_path) or "the document"
    hint = None
    if error.validator == "format" and error.cause is not None:
        return (
            f"{where}: {error.cause}",
            "rewrite the pattern; `invitepack schema template` describes what is allowed",
        )
    if (
        error.validator == "type"
        and "string" in _as_list(error.validator_value)
        and not isinstance(error.instance, str)
    ):
        written = doc.plain_scalars.get(tuple(error.absolute_path)) if doc else None
        hint = (
            f'quote it, e.g. "{written or _yaml_scalar(error.instance)}": YAML reads '
            "unquoted numbers, dates and yes/no as non-text"
        )
    elif error.validator == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        if allowed:
            hint = f"allowed keys here: {', '.join(allowed)}"
    elif error.validator == "pattern":
        hint = error.schema.get("description")
    elif error.validator == "enum":
        hint = f"choose one of: {', '.join(map(str, error.validator_value))}"
    return f"{where}: {error.message}", hint


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _yaml_scalar(value: Any) -> str:
    if value is True:
        return "yes"
    if value is False:
        return "no"
    return str(value)


def schema_errors(name: str, doc: YamlDocument) -> list[tuple[Location, str, str | None]]:
    """Every violation of a bundled schema in a parsed YAML document, best first."""
    from jsonschema.exceptions import relevance

    found = sorted(validator(name).iter_errors(doc.data), key=relevance)
    results = []
    for error in found:
        # For anyOf/oneOf the most relevant branch says more than "is not valid under any".
        best = min(error.context, key=relevance) if error.context else error
        message, hint = describe_error(best, doc)
        results.append((doc.location(best.absolute_path), message, hint))
    return results
