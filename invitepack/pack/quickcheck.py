"""A quick yes-or-no answer to "is this document valid against a bundled schema?", for the
common case where it is: jsonschema takes about a millisecond a template front matter to say
so, more than its YAML parse, and its import costs a cold `validate` about 130 ms.

A schema is compiled once into plain functions from the keywords listed here, each at least
as strict as jsonschema (where it is unsure, say of a float where an integer is asked for, the
answer is no). A schema with any other keyword compiles to None. A document the quick check
refuses goes to jsonschema, which finds and words the errors as it always did: the quick check
decides only when jsonschema is not needed. Documents are what the YAML loader makes: dicts
with text keys, lists, text, int, float, bool and None.
"""

from __future__ import annotations

import numbers
import re
from collections.abc import Callable
from typing import Any

Check = Callable[[Any], bool]

# Keywords that never make a document invalid.
_ANNOTATIONS = frozenset(
    {"$schema", "$defs", "$comment", "title", "description", "examples", "default"}
)
_TYPES: dict[str, tuple[type, ...]] = {
    # Stricter than jsonschema where it is lenient (1.0 as an integer): the answer is then no.
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
    "object": (dict,),
    "array": (list,),
    "null": (type(None),),
}
_SCALARS = (str, int, float, bool, type(None))


# Each keyword the quick check decides, and the _Compiler method that compiles it.
_KEYWORDS = {
    "type": "_type",
    "enum": "_enum",
    "const": "_const",
    "pattern": "_pattern",
    "minLength": "_min_length",
    "maxLength": "_max_length",
    "minItems": "_min_items",
    "minimum": "_minimum",
    "maximum": "_maximum",
    "required": "_required",
    "properties": "_properties",
    "additionalProperties": "_additional_properties",
    "propertyNames": "_property_names",
    "items": "_items",
    "uniqueItems": "_unique_items",
    "format": "_format",
    "$ref": "_ref",
}


class _Unsupported(Exception):
    """A keyword, or a form of one, that the quick check does not decide."""


def compile_check(schema: Any, formats: dict[str, Check]) -> Check | None:
    """A function that returns True only for documents jsonschema finds valid against
    `schema`, or None when the schema uses what it does not understand. `formats` are the
    format checks the schema's validator applies (every other format is an annotation)."""
    try:
        return _Compiler(schema, formats).compile(schema)
    except _Unsupported:
        return None


def _yes(value: Any) -> bool:
    return True


def _all(checks: list[Check]) -> Check:
    if not checks:
        return _yes
    if len(checks) == 1:
        return checks[0]

    def every(value: Any) -> bool:
        # A loop, not all() over a generator: this runs for most nodes of every document.
        for check in checks:  # noqa: SIM110
            if not check(value):
                return False
        return True

    return every


def _equal_to(values: list[Any]) -> Check:
    """enum and const: the same type and value (jsonschema tells True from 1 too; it also
    finds 1 equal to 1.0, which this refuses)."""
    if not all(type(v) in _SCALARS for v in values):
        raise _Unsupported
    allowed = frozenset((type(v), v) for v in values)

    def check(value: Any) -> bool:
        return type(value) in _SCALARS and (type(value), value) in allowed

    return check


class _Compiler:
    def __init__(self, root: Any, formats: dict[str, Check]):
        self.root = root
        self.formats = formats
        self.refs: dict[str, Check | None] = {}

    def compile(self, schema: Any) -> Check:
        if schema is True:
            return _yes
        if not isinstance(schema, dict):  # False, or not a schema
            raise _Unsupported
        checks = [
            self._keyword(keyword, argument, schema)
            for keyword, argument in schema.items()
            if keyword not in _ANNOTATIONS
        ]
        return _all([check for check in checks if check is not _yes])

    def _keyword(self, keyword: str, argument: Any, schema: dict[str, Any]) -> Check:
        name = _KEYWORDS.get(keyword)
        if name is None:
            raise _Unsupported
        check: Check = getattr(self, name)(argument, schema)
        return check

    def _type(self, argument: Any, schema: dict[str, Any]) -> Check:
        names = argument if isinstance(argument, list) else [argument]
        if not all(name in _TYPES for name in names):
            raise _Unsupported
        types = frozenset(t for name in names for t in _TYPES[name])
        return lambda value: type(value) in types

    def _enum(self, argument: Any, schema: dict[str, Any]) -> Check:
        if not isinstance(argument, list):
            raise _Unsupported
        return _equal_to(argument)

    def _const(self, argument: Any, schema: dict[str, Any]) -> Check:
        return _equal_to([argument])

    def _pattern(self, argument: Any, schema: dict[str, Any]) -> Check:
        search = re.compile(argument).search  # as jsonschema's re.search(pattern, value)
        return lambda value: not isinstance(value, str) or search(value) is not None

    def _min_length(self, argument: Any, schema: dict[str, Any]) -> Check:
        low = _count(argument)
        return lambda value: not isinstance(value, str) or len(value) >= low

    def _max_length(self, argument: Any, schema: dict[str, Any]) -> Check:
        high = _count(argument)
        return lambda value: not isinstance(value, str) or len(value) <= high

    def _min_items(self, argument: Any, schema: dict[str, Any]) -> Check:
        low = _count(argument)
        return lambda value: not isinstance(value, list) or len(value) >= low

    def _minimum(self, argument: Any, schema: dict[str, Any]) -> Check:
        low = _number(argument)
        return lambda value: value >= low if type(value) in (int, float) else _not_number(value)

    def _maximum(self, argument: Any, schema: dict[str, Any]) -> Check:
        high = _number(argument)
        return lambda value: value <= high if type(value) in (int, float) else _not_number(value)

    def _required(self, argument: Any, schema: dict[str, Any]) -> Check:
        if not isinstance(argument, list):
            raise _Unsupported
        names = tuple(argument)
        return lambda value: not isinstance(value, dict) or all(n in value for n in names)

    def _properties(self, argument: Any, schema: dict[str, Any]) -> Check:
        if not isinstance(argument, dict):
            raise _Unsupported
        checks = [(name, self.compile(sub)) for name, sub in argument.items()]

        def check(value: Any) -> bool:
            if not isinstance(value, dict):
                return True
            for name, sub in checks:  # noqa: SIM110 - a loop, as in _all
                if name in value and not sub(value[name]):
                    return False
            return True

        return check

    def _additional_properties(self, argument: Any, schema: dict[str, Any]) -> Check:
        if "patternProperties" in schema:
            raise _Unsupported
        known = frozenset(schema.get("properties", {}))
        if argument is False:
            return lambda value: not isinstance(value, dict) or known.issuperset(value)
        sub = self.compile(argument)
        return lambda value: (
            not isinstance(value, dict)
            or all(sub(item) for name, item in value.items() if name not in known)
        )

    def _property_names(self, argument: Any, schema: dict[str, Any]) -> Check:
        sub = self.compile(argument)
        return lambda value: not isinstance(value, dict) or all(sub(name) for name in value)

    def _items(self, argument: Any, schema: dict[str, Any]) -> Check:
        sub = self.compile(argument)  # a schema: 2020-12's list form is prefixItems
        return lambda value: not isinstance(value, list) or all(sub(item) for item in value)

    def _unique_items(self, argument: Any, schema: dict[str, Any]) -> Check:
        if argument is False:
            return _yes
        if argument is not True:
            raise _Unsupported
        # Text alone compares as jsonschema compares it; anything else is left to jsonschema.
        return lambda value: (
            not isinstance(value, list)
            or (all(type(item) is str for item in value) and len(set(value)) == len(value))
        )

    def _format(self, argument: Any, schema: dict[str, Any]) -> Check:
        return self.formats.get(argument, _yes)

    def _ref(self, argument: Any, schema: dict[str, Any]) -> Check:
        if argument not in self.refs:
            self.refs[argument] = None  # being compiled: a reference to itself is unsupported
            self.refs[argument] = self.compile(self._target(argument))
        check = self.refs[argument]
        if check is None:
            raise _Unsupported
        return check

    def _target(self, ref: Any) -> Any:
        """The subschema a local JSON pointer (`#/$defs/semver`) names."""
        if not isinstance(ref, str) or not ref.startswith("#/"):
            raise _Unsupported
        target = self.root
        for part in ref[2:].split("/"):
            part = part.replace("~1", "/").replace("~0", "~")
            if not isinstance(target, dict) or part not in target:
                raise _Unsupported
            target = target[part]
        return target


def _count(argument: Any) -> int:
    if type(argument) is not int:
        raise _Unsupported
    return argument


def _number(argument: Any) -> float:
    if type(argument) not in (int, float):
        raise _Unsupported
    number: float = argument
    return number


def _not_number(value: Any) -> bool:
    """What jsonschema does not compare with a bound: anything but a number, and bool. (A
    number type other than int and float, which the YAML loader never makes, is unsure.)"""
    return isinstance(value, bool) or not isinstance(value, numbers.Number)
