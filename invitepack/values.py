"""Turning user-supplied values into validated data for one template.

A value is data, never a template: it is normalised (NFC), checked for characters that hide
or reorder text, coerced to its declared type and validated against the template's schema.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from invitepack.channels import utf16_length
from invitepack.errors import VariableError
from invitepack.limits import Limits
from invitepack.pack import Template

if TYPE_CHECKING:
    from jsonschema.protocols import Validator

_BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# Zero-width characters; a joiner (U+200D) between two emoji builds one emoji and is allowed.
_ZERO_WIDTH = re.compile("[\u200b\u2060\ufeff]|(?<![\U0001f000-\U0001faff\u2600-\u27bf\ufe0f])\u200d|\u200d(?![\U0001f000-\U0001faff\u2600-\u27bf])")
_CONTROL_SINGLE = re.compile("[\x00-\x1f\x7f-\x9f]")
_CONTROL_MULTI = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_TRUE = {"true", "yes", "1", "on"}
_FALSE = {"false", "no", "0", "off"}


def escape_for_display(text: str, limit: int = 60) -> str:
    """Show a value in a diagnostic: control and invisible characters escaped, long ones cut."""
    shown = "".join(
        ch if ch.isprintable() and not _BIDI.match(ch) and not _ZERO_WIDTH.match(ch) else f"\\u{ord(ch):04x}"
        for ch in text[:limit]
    )
    return f"'{shown}{'…' if len(text) > limit else ''}'"


def option_name(variable: str) -> str:
    """The command-line option for a variable: first_name -> --first-name."""
    return "--" + variable.replace("_", "-")


def _redacted(text: str) -> str:
    return "the value"


Show = Callable[[str], str]


def _clean_text(name: str, value: str, spec: dict[str, Any], limits: Limits, shown: Show) -> str:
    if len(value) > limits.max_value_chars:
        raise VariableError(f"{option_name(name)}: the value is longer than {limits.max_value_chars:,} characters")
    value = unicodedata.normalize("NFC", value)
    control = (_CONTROL_MULTI if spec.get("multiline") else _CONTROL_SINGLE).search(value)
    if control:
        raise VariableError(
            f"{option_name(name)}: control character {escape_for_display(control.group())} at position {control.start() + 1} in {shown(value)}",
            hint="line breaks and control characters are not allowed in a single-line value",
        )
    hidden = _BIDI.search(value) or _ZERO_WIDTH.search(value)
    if hidden:
        raise VariableError(
            f"{option_name(name)}: invisible character {escape_for_display(hidden.group())} at position {hidden.start() + 1} in {shown(value)}",
            hint="remove bidirectional controls and zero-width characters: they hide or reorder text",
        )
    return value


def _coerce(name: str, value: Any, kind: str, shown: Show) -> Any:
    if not isinstance(value, str) or kind == "string":
        return value
    text = value.strip().lower()
    try:
        if kind == "integer":
            return int(text)
        if kind == "number":
            return float(text)
    except ValueError:
        raise VariableError(f"{option_name(name)}: {shown(value)} is not a {kind}") from None
    if kind == "boolean" and text in _TRUE | _FALSE:
        return text in _TRUE
    if kind == "boolean":
        raise VariableError(f"{option_name(name)}: {shown(value)} is not true or false")
    return value


def _explain(error: Any) -> str:
    """What a schema violation means for a value, in words."""
    rule, bound, value = error.validator, error.validator_value, error.instance
    if rule == "maxLength":
        return f"is {len(value)} characters long; the most allowed is {bound}"
    if rule == "minLength":
        return f"is {len(value)} characters long; at least {bound} needed"
    if rule == "pattern":
        return f"does not match the required pattern {bound}"
    if rule == "enum":
        return f"must be one of: {', '.join(map(str, bound))}"
    if rule == "format":
        return f"is not a valid {bound}"
    return f"is invalid: {error.message}"


def prepare_values(
    template: Template, given: dict[str, Any], limits: Limits, validator: Validator | None = None, redact: bool = False
) -> dict[str, Any]:
    """Validated values for every declared variable (absent optional ones become defaults or '').

    Raises VariableError listing every problem at once: unknown names, missing required
    variables (with their descriptions), and schema violations (with the constraint broken).
    """
    from invitepack.schemas import variables_validator

    validator = validator or variables_validator(template.variables)
    shown: Show = _redacted if redact else escape_for_display
    properties: dict[str, Any] = template.variables.get("properties", {})
    problems: list[str] = []
    unknown = sorted(set(given) - set(properties))
    if unknown:
        problems.append(
            f"unknown variable(s) for {template.id}: {', '.join(option_name(n) for n in unknown)}"
            f" (it takes: {', '.join(option_name(n) for n in properties) or 'none'})"
        )
    missing = [n for n in template.required if given.get(n) in (None, "")]
    if missing:
        problems.append(
            "missing required variable(s):\n"
            + "\n".join(f"  {option_name(n)}  {properties[n].get('description', '')}" for n in missing)
        )
    values: dict[str, Any] = {}
    for name, spec in properties.items():
        value = given.get(name)
        if value is None:
            continue
        try:
            value = _coerce(name, value, spec.get("type", "string"), shown)
            values[name] = _clean_text(name, value, spec, limits, shown) if isinstance(value, str) else value
        except VariableError as exc:
            problems.append(exc.message)
    if not problems:
        for error in validator.iter_errors(values):
            name = error.path[0] if error.path else ""
            where = option_name(str(name)) if name else template.id
            problems.append(f"{where}: {shown(str(error.instance))} {_explain(error)}")
        for name, value in values.items():
            cap = properties[name].get("maxLength")
            if isinstance(value, str) and cap is not None and len(value) <= cap < utf16_length(value):
                problems.append(
                    f"{option_name(name)}: {shown(value)} is {utf16_length(value)} characters as LinkedIn counts them"
                    f" (emoji count double); maxLength is {cap}"
                )
    if problems:
        raise VariableError("\n".join(problems), hint=f"see `invitepack render {template.id} --help`")
    return {name: values.get(name, spec.get("default", "")) for name, spec in properties.items()}
