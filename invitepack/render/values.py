"""Turning user-supplied values into validated data for one template.

A value is data, never a template: it is normalised (NFC), checked for characters that hide
or reorder text, coerced to its declared type and validated against the template's schema.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Iterator
from functools import cache

from invitepack.errors import VariableError
from invitepack.pack.channels import utf16_length
from invitepack.pack.limits import Limits

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from jsonschema.protocols import Validator

    from invitepack.pack.template import Template

# Emoji that a zero-width joiner (U+200D) combines into one, e.g. 👩‍💻.
_EMOJI = "\U0001f000-\U0001faff\u2300-\u23ff\u2600-\u27bf\u2b00-\u2bff"
# Scripts whose spelling needs zero-width (non-)joiners between letters: Arabic, Persian, Indic.
_JOINING = "\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\u0900-\u0dff\ufb50-\ufdff\ufe70-\ufefc"
# Invisible characters outside the format category (Cf): grapheme joiner, Hangul fillers, ...
_INVISIBLE_OTHER = frozenset("\u034f\u115f\u1160\u17b4\u17b5\u3164\uffa0")
_NOT_PLAIN_ASCII = re.compile("[^\x20-\x7e]")
_NOT_PLAIN_LINES = re.compile("[^\t\n\x20-\x7e]")  # the same with line breaks and tabs allowed
_PLAIN_OPTION = re.compile("--[a-z0-9][a-z0-9-]*")
_HINTS = {
    "control character": (
        "control characters are not allowed; a multiline variable may hold line breaks and tabs"
    ),
    "invisible character": (
        "remove bidirectional controls and zero-width characters: they hide or reorder text"
    ),
    "lone surrogate": "the value held bytes that are not UTF-8; pass values as UTF-8 text",
}
_SINGLE_LINE_HINT = (
    "line breaks and control characters are not allowed in a single-line value: it may "
    "become an email header"
)
# Numbers as JSON writes them, in ASCII digits: no leading zeros (`007`), no underscores
# (`1_000`), no fullwidth or Arabic-Indic digits (U+FF15, U+0661), all of which int() accepts.
_INTEGER = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")
_NUMBER = re.compile(r"[-+]?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?")
_NUMBER_HINT = "write it in ASCII digits, without leading zeros, underscores or spaces inside"
_TRUE = {"true", "yes", "1", "on"}
_FALSE = {"false", "no", "0", "off"}


@cache
def _needed() -> re.Pattern[str]:
    """Where an otherwise invisible character is part of the text: emoji sequences, flags
    such as England's (U+1F3F4 and tag characters), and joiners between letters of the
    scripts above. Compiled when first needed (~2 ms): most text has no such character."""
    return re.compile(
        f"(?<=[{_EMOJI}\ufe0f])\u200d(?=[{_EMOJI}])"
        "|(?<=\U0001f3f4)[\U000e0020-\U000e007e]+\U000e007f"
        f"|(?<=[{_JOINING}])[\u200c\u200d](?=[{_JOINING}])"
    )


def _plain(text: str, multiline: bool) -> bool:
    """Does text hold only printable characters (and line breaks and tabs when multiline),
    none of them _INVISIBLE_OTHER? Then it holds no unsafe character: most values and notes
    are answered so, without a regular-expression search. (Printable is neither Other, Cc Cf
    Cs Co Cn, nor a Separator, Zs Zl Zp, but the space; the invisible others are printable.)"""
    if multiline:
        text = text.replace("\n", " ").replace("\t", " ")
    if not text.isprintable():
        return False
    return text.isascii() or not any(char in text for char in _INVISIBLE_OTHER)


def unsafe_character(text: str, multiline: bool = False) -> tuple[int, str] | None:
    """Index and kind of the first character that text shown to a recipient must not hold
    (see unsafe_characters), or None."""
    return next(unsafe_characters(text, multiline), None)


def unsafe_characters(text: str, multiline: bool = False) -> Iterator[tuple[int, str]]:
    """Index and kind of every character that text shown to a recipient must not hold.

    Control characters, line and paragraph separators included (line breaks and tabs are
    allowed when multiline), can inject email headers; bidirectional controls, zero-width and
    other invisible characters hide or reorder what a reader sees (except inside the emoji and
    joining sequences that need them); lone surrogates are bytes that were not UTF-8.
    Kinds are keys of _HINTS.
    """
    if _plain(text, multiline):
        return
    needed: set[int] | None = None
    for match in (_NOT_PLAIN_LINES if multiline else _NOT_PLAIN_ASCII).finditer(text):
        index, char = match.start(), match.group()
        category = unicodedata.category(char)
        if category == "Cs":
            yield index, "lone surrogate"
        elif category in ("Cc", "Zl", "Zp"):
            yield index, "control character"
        elif category == "Cf" or char in _INVISIBLE_OTHER:
            if needed is None:
                needed = {i for m in _needed().finditer(text) for i in range(m.start(), m.end())}
            if index not in needed:
                yield index, "invisible character"


def escape_for_display(text: str, limit: int = 60) -> str:
    """Show input in a diagnostic: control and invisible characters escaped, long text cut."""
    shown = "".join(
        char
        if char.isprintable() and char not in _INVISIBLE_OTHER
        else f"\\u{ord(char):04x}"
        if ord(char) <= 0xFFFF
        else f"\\U{ord(char):08x}"
        for char in text[:limit]
    )
    return f"'{shown}{'…' if len(text) > limit else ''}'"


def option_name(variable: str) -> str:
    """The command-line option for a variable: first_name -> --first-name. A name that is not
    plain (it came from input, e.g. --var or a variables file) is shown escaped."""
    option = "--" + variable.replace("_", "-")
    return option if _PLAIN_OPTION.fullmatch(option) else escape_for_display(option)


def _redacted(text: str) -> str:
    return "the value"


Show = Callable[[str], str]


def _clean_text(name: str, value: str, spec: dict[str, Any], limits: Limits, shown: Show) -> str:
    if len(value) > limits.max_value_chars:
        raise VariableError(
            f"{option_name(name)}: the value is longer than {limits.max_value_chars:,} characters"
        )
    value = unicodedata.normalize("NFC", value)
    multiline = bool(spec.get("multiline"))
    # Most values are plain: answered so without starting unsafe_characters' generator.
    found = None if _plain(value, multiline) else unsafe_character(value, multiline)
    if found:
        index, kind = found
        raise VariableError(
            f"{option_name(name)}: {kind} {escape_for_display(value[index])} at position "
            f"{index + 1} in {shown(value)}",
            hint=_SINGLE_LINE_HINT
            if kind == "control character" and not multiline
            else _HINTS[kind],
        )
    return value


def _coerce(name: str, value: Any, kind: str, shown: Show) -> Any:
    if not isinstance(value, str) or kind == "string":
        return value
    text = value.strip().lower()
    if kind in ("integer", "number"):
        grammar = _INTEGER if kind == "integer" else _NUMBER
        try:
            if grammar.fullmatch(text):
                number = int(text) if kind == "integer" else float(text)
                if math.isfinite(number):  # 1e999 reads as infinity
                    return number
        except ValueError:  # past int()'s 4,300 digits, or a float beyond range
            pass
        raise VariableError(
            f"{option_name(name)}: {shown(value)} is not {'an' if kind == 'integer' else 'a'} "
            f"{kind}",
            hint=_NUMBER_HINT,
        )
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
    template: Template,
    given: dict[str, Any],
    limits: Limits,
    validator: Validator | None = None,
    redact: bool = False,
    strict: bool = False,
) -> dict[str, Any]:
    """Validated values for every declared variable (absent optional ones become defaults or '').

    Raises VariableError listing every problem at once: unknown names, missing required
    variables (with their descriptions), and schema violations (with the constraint broken).

    `maxLength` is the length `validate` proves a note fits with, not a bound on what a user
    may type: only `strict` checking (a template's own examples) holds values to it. Whether
    a longer value fits is decided by the finished note's length against its channel.
    """
    if validator is None:  # a batch passes the one it keeps: no import a row
        from invitepack.pack.schemas import variables_validator

        validator = variables_validator(template.variables)
    shown: Show = _redacted if redact else escape_for_display
    properties: dict[str, Any] = template.variables.get("properties", {})
    problems: list[str] = []
    unknown = sorted(given.keys() - properties.keys())
    if unknown:
        problems.append(
            f"unknown variable(s) for {template.id}: {', '.join(option_name(n) for n in unknown)}"
            f" (it takes: {', '.join(option_name(n) for n in properties) or 'none'})"
        )
    # (Most rows give every required value: then nothing is missing, without template.required.)
    missing: list[str] = []
    for name in template.variables.get("required", ()):
        if given.get(name) in (None, ""):
            missing = [n for n in template.required if given.get(n) in (None, "")]
            break
    if missing:
        problems.append(
            "missing required variable(s):\n"
            + "\n".join(
                f"  {option_name(n)}  {properties[n].get('description', '')}" for n in missing
            )
        )
    values: dict[str, Any] = {}
    for name, spec in properties.items():
        value = given.get(name)
        if value is None:
            continue
        try:
            kind = spec.get("type", "string")
            if kind != "string" and isinstance(value, str):  # else _coerce keeps it as it is
                value = _coerce(name, value, kind, shown)
            values[name] = (
                _clean_text(name, value, spec, limits, shown) if isinstance(value, str) else value
            )
        except VariableError as exc:
            problems.append(f"{exc.message}\n    ({exc.hint})" if exc.hint else exc.message)
    if not problems:
        for error in validator.iter_errors(values):
            if error.validator == "maxLength" and not strict:
                continue
            name = error.path[0] if error.path else ""
            where = option_name(str(name)) if name else template.id
            problems.append(f"{where}: {shown(str(error.instance))} {_explain(error)}")
        for name, value in values.items() if strict else ():
            cap = properties[name].get("maxLength")
            if (
                isinstance(value, str)
                and cap is not None
                and len(value) <= cap < utf16_length(value)
            ):
                problems.append(
                    f"{option_name(name)}: {shown(value)} is {utf16_length(value)} "
                    "characters as LinkedIn counts them"
                    f" (emoji count double); maxLength is {cap}"
                )
    if problems:
        raise VariableError(
            "\n".join(problems), hint=f"see `invitepack render {template.id} --help`"
        )
    return {name: values.get(name, spec.get("default", "")) for name, spec in properties.items()}
