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

    from invitepack.pack.quickcheck import Check
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


@cache
def _quick_check(name: str) -> Check:
    """The quick check of a bundled schema (quickcheck.py): what `validator` applies, for the
    documents that pass it. A schema it cannot compile sends every document to jsonschema."""
    from invitepack.pack.quickcheck import compile_check

    def regex(value: Any) -> bool:
        return not isinstance(value, str) or regex_problem(value) is None

    return compile_check(_as_checked(name), {"regex": regex}) or (lambda data: False)


def variables_validator(schema: dict[str, Any]) -> Validator:
    """A validator for a template's own `variables` schema, with formats enforced and no network.

    Values that plainly meet a simple schema (string variables bounded by minLength, maxLength
    and enum; required names; no others) pass without jsonschema, which costs a batch more per
    row than rendering does; anything else, and every value that does not plainly pass, goes
    to jsonschema, so errors and their messages are jsonschema's as before."""
    validator: Validator = _VariablesValidator(schema)
    return validator


def _full_variables_validator(schema: dict[str, Any]) -> Validator:
    from jsonschema import Draft202012Validator, FormatChecker

    return Draft202012Validator(
        schema, registry=_registry(), format_checker=FormatChecker(["email", "date"])
    )


# What the plain check understands; a schema with any other keyword always goes to jsonschema.
_PLAIN_OBJECT_KEYS = frozenset(
    {"type", "properties", "required", "additionalProperties", "title", "description"}
)
_PLAIN_STRING_KEYS = frozenset(
    {"type", "minLength", "maxLength", "enum", "title", "description", "examples", "multiline"}
)


def _plain_rules(schema: Any) -> dict[str, tuple[int, float, frozenset[str] | None]] | None:
    """Per variable (minLength, maxLength, allowed strings or None) when the schema is one the
    plain check decides exactly; None otherwise."""
    if (
        not isinstance(schema, dict)
        or set(schema) - _PLAIN_OBJECT_KEYS
        or schema.get("type", "object") != "object"
        or schema.get("additionalProperties", True) is not False
        or not isinstance(schema.get("properties"), dict)
        or not isinstance(schema.get("required", []), list)
        or not set(schema.get("required", [])) <= set(schema["properties"])
    ):
        return None
    rules: dict[str, tuple[int, float, frozenset[str] | None]] = {}
    for name, spec in schema["properties"].items():
        if not isinstance(spec, dict) or set(spec) - _PLAIN_STRING_KEYS:
            return None
        if spec.get("type") != "string":
            return None
        low, high, allowed = spec.get("minLength", 0), spec.get("maxLength", float("inf")), None
        if type(low) is not int or not (type(high) is int or high == float("inf")):
            return None
        if "enum" in spec:
            if not isinstance(spec["enum"], list) or not all(type(v) is str for v in spec["enum"]):
                return None
            allowed = frozenset(spec["enum"])
        rules[name] = (low, high, allowed)
    return rules


class _VariablesValidator:
    """jsonschema's validator for a variables schema, built when first needed, behind a
    plain check of the simple cases (see variables_validator)."""

    def __init__(self, schema: dict[str, Any]):
        self.schema = schema
        self._rules = _plain_rules(schema)
        self._required = tuple(schema.get("required", [])) if self._rules is not None else ()
        self._full: Validator | None = None

    @property
    def full(self) -> Validator:
        if self._full is None:
            self._full = _full_variables_validator(self.schema)
        return self._full

    def plainly_valid(self, instance: Any) -> bool:
        """True only when jsonschema would find nothing wrong."""
        rules = self._rules
        if rules is None or not isinstance(instance, dict):
            return False
        for name in self._required:
            if name not in instance:
                return False
        for name, value in instance.items():
            rule = rules.get(name)
            if rule is None or type(value) is not str:
                return False
            low, high, allowed = rule
            if not low <= len(value) <= high or (allowed is not None and value not in allowed):
                return False
        return True

    def iter_errors(self, instance: Any) -> Iterator[Any]:
        if self.plainly_valid(instance):
            return iter(())
        return iter(self.full.iter_errors(instance))

    def is_valid(self, instance: Any) -> bool:
        return self.plainly_valid(instance) or bool(self.full.is_valid(instance))

    def __getattr__(self, name: str) -> Any:
        return getattr(self.full, name)


def describe_error(error: Any, doc: YamlDocument | None = None) -> tuple[str, str | None]:
    """A readable message and hint for one jsonschema ValidationError; with the YAML document,
    a hint to quote a value quotes it as written (`1.10`, not the 1.1 YAML read)."""
    where = ".".join(str(p) for p in error.absolute_path) or "the document"
    hint = None
    message = error.message
    written = doc.plain_scalars.get(tuple(error.absolute_path)) if doc else None
    if written is not None and not isinstance(error.instance, str):
        # jsonschema quotes the value YAML made (1.1); the reader wrote 1.10.
        made = repr(error.instance)
        if message.startswith(made):
            message = written + message[len(made) :]
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
    return f"{where}: {message}", hint


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
    if _quick_check(name)(doc.data):
        return []  # valid: jsonschema, and its import, are for documents with errors
    from jsonschema.exceptions import relevance

    found = sorted(validator(name).iter_errors(doc.data), key=relevance)
    results = []
    for error in found:
        # For anyOf/oneOf the most relevant branch says more than "is not valid under any".
        best = min(error.context, key=relevance) if error.context else error
        message, hint = describe_error(best, doc)
        results.append((doc.location(best.absolute_path), message, hint))
    return results
