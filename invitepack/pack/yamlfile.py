"""YAML as data only: safe constructors, plain data tags only, no anchors or aliases, no
duplicate keys, bounded nesting, text normalised to NFC, and the line and column of every
value so that schema errors can point at the source."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from invitepack.errors import LoadError, Location

JsonPath = tuple[str | int, ...]

# Deeper than any pack file needs; PyYAML composes recursively, so unbounded depth would crash.
MAX_DEPTH = 50
# The tags of plain data: anything else (!!python/..., !!binary, !!set, custom tags) is refused.
_STR = "tag:yaml.org,2002:str"
_DATA_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "seq", "map")
)


class _Loader(yaml.SafeLoader):
    """SafeLoader that refuses what `_refusal` refuses (an alias bomb is a few hundred bytes)
    while composing."""

    depth = 0  # the collections enclosing the node being composed

    def compose_node(self, parent: Any, index: Any) -> Any:
        refusal = _refusal(self.peek_event(), self.depth)  # type: ignore[no-untyped-call]
        if refusal is not None:
            raise refusal
        self.depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


class _FastLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """libyaml's parser when PyYAML has it (about 8 times faster than pure Python, which
    matters for `validate` on every commit). It cannot refuse anchors while composing, so
    `_check_events` refuses them (and deep nesting) on the event stream first."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        """The tag of a node without an explicit one, remembered: with no path resolvers it
        depends on these arguments alone, and every template repeats most of its keys and
        many of its plain values (`type`, `string`, `maxLength`, `true`), so libyaml's
        composer, which asks for each node, rarely needs the regular expressions."""
        if self.yaml_path_resolvers:  # none in PyYAML's own loaders; a tag may then vary
            return super().resolve(kind, value, implicit)
        key = (kind, value, implicit)
        tag = _TAGS.get(key)
        if tag is None:
            tag = super().resolve(kind, value, implicit)
            if (value is None or len(value) <= _TAGGED_LENGTH) and len(_TAGS) < _TAGGED_COUNT:
                _TAGS[key] = tag
        return tag


# Short scalars only, and a bounded number of them: the cache never holds a file's long text.
_TAGS: dict[tuple[Any, Any, Any], Any] = {}
_TAGGED_LENGTH = 64
_TAGGED_COUNT = 4096


# Dates stay text: a template's values are strings, and datetime objects are not JSON.
_Loader.yaml_implicit_resolvers = _FastLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_HAS_LIBYAML = _FastLoader.__mro__[1] is not yaml.SafeLoader
# libyaml 0.2.5 and later refuse nesting past 1,000 levels while parsing: composing a hostile
# document at once, before _check_events, cannot then recurse without bound in C.
_COMPOSES_SAFELY = _HAS_LIBYAML and yaml._yaml.get_version() >= (0, 2, 5)


def _check_events(text: str) -> None:
    """Refuse what `_refusal` refuses on the event stream, before anything is composed."""
    depth = 0
    for event in yaml.parse(text, Loader=_FastLoader):
        refusal = _refusal(event, depth)
        if refusal is not None:
            raise refusal
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def _refusal(event: Any, enclosing: int) -> _Refused | None:
    """Why valid YAML is refused as data, or None: an alias or an anchor, or a collection
    nested MAX_DEPTH deep (`enclosing` collections around it). Both parsers ask this, so
    libyaml and pure Python refuse the same things."""
    if isinstance(event, yaml.AliasEvent):
        return _refused(
            "YAML aliases (*name) are not allowed: write the value out in full", event.start_mark
        )
    if getattr(event, "anchor", None):
        return _refused(
            "YAML anchors (&name) are not allowed: write the value out in full", event.start_mark
        )
    if isinstance(event, yaml.CollectionStartEvent) and enclosing + 1 >= MAX_DEPTH:
        return _refused(f"YAML nested more than {MAX_DEPTH} levels deep", event.start_mark)
    return None


class _Refused(yaml.MarkedYAMLError):
    """Valid YAML that invitepack refuses as data."""


_SYNTAX_HINT = (
    "check indentation and quoting; quote text containing ': ' or starting with '{', '[', "
    "'*', '&' or '@'"
)


def _refused(problem: str, mark: Any) -> _Refused:
    return _Refused(problem=problem, problem_mark=mark)


@dataclass
class YamlDocument:
    """Parsed data, where each part of it stands in the source, and the source text of each
    unquoted scalar (so that a hint can quote `1.10` rather than the float 1.1 YAML made of it)."""

    data: Any
    path: Path | None
    positions: dict[JsonPath, tuple[int, int]] = field(default_factory=dict)
    plain_scalars: dict[JsonPath, str] = field(default_factory=dict)

    def as_written(self, json_path: Iterable[str | int], value: Any) -> Any:
        """A value as its source spelled it, for values that are text until a template's
        schema types them (a variables or data file): `zip: 01234` is '01234', not the
        octal 668, and `version: 1.10` is '1.10'. Quoted text, null, lists and mappings are
        returned as they are."""
        if isinstance(value, (bool, int, float)):
            return self.plain_scalars.get(tuple(json_path), value)
        return value

    def location(self, json_path: Iterable[str | int]) -> Location:
        """The source location of a JSON path, or of its nearest ancestor that has one."""
        parts = tuple(json_path)
        while parts not in self.positions and parts:
            parts = parts[:-1]
        line, column = self.positions.get(parts, (1, 1))
        return Location(self.path, line, column)


_NON_PRINTABLE = yaml.reader.Reader.NON_PRINTABLE


def parse_yaml(text: str, path: Path | None, first_line: int = 1) -> YamlDocument:
    """Parse one YAML document whose first line is line first_line of the file at path."""
    # Control characters are refused, with their position, before parsing: what PyYAML's
    # Reader(text) refuses, found by the Reader's own pattern without building a Reader.
    refused = _NON_PRINTABLE.search(text)
    if refused is not None:
        position = refused.start()
        line = text.count("\n", 0, position) + first_line
        column = position - text.rfind("\n", 0, position)
        raise LoadError(
            f"invalid YAML: control character U+{ord(refused.group()):04X} is not allowed",
            Location(path, line, column),
            hint="remove it; write line breaks and tabs as they are, and other characters in "
            "a quoted string as \\uXXXX",
        ) from None
    if _COMPOSES_SAFELY and "&" not in text and "*" not in text:
        # No '&' or '*', so no anchor or alias, and _construct refuses deep nesting itself:
        # libyaml composes at once, without _check_events' parse of its own (half the time).
        # Whatever goes wrong is reported by the checked parse, exactly as it always was.
        try:
            return _load(_FastLoader(text), path, first_line)
        except yaml.YAMLError:
            pass
    try:
        if _HAS_LIBYAML:
            _check_events(text)
        loader: Any = _FastLoader(text) if _HAS_LIBYAML else _Loader(text)
    except yaml.MarkedYAMLError as exc:
        raise _load_error(exc, path, first_line) from None
    try:
        return _load(loader, path, first_line)
    except yaml.MarkedYAMLError as exc:
        raise _load_error(exc, path, first_line) from None
    except yaml.YAMLError as exc:
        raise LoadError(f"invalid YAML: {exc}", Location(path, first_line, 1)) from None


def _load(loader: Any, path: Path | None, first_line: int) -> YamlDocument:
    """Compose and construct one document, raising what PyYAML or _construct raise."""
    try:
        node = loader.get_single_node()
        doc = YamlDocument(None, path)
        doc.data = _construct(loader, node, (), doc, first_line - 1) if node is not None else None
        return doc
    finally:
        loader.dispose()


def _load_error(exc: yaml.MarkedYAMLError, path: Path | None, first_line: int) -> LoadError:
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + first_line if mark else first_line
    column = mark.column + 1 if mark else 1
    problem = exc.problem or exc.context or "invalid YAML"
    if "maximum nesting depth" in problem:  # libyaml's own, lower-level bound on the same thing
        problem = f"YAML nested more than {MAX_DEPTH} levels deep"
    hint = None if isinstance(exc, _Refused) or "nested" in problem else _SYNTAX_HINT
    return LoadError(f"invalid YAML: {problem}", Location(path, line, column), hint)


def _construct(loader: _Loader, node: Any, path: JsonPath, doc: YamlDocument, offset: int) -> Any:
    mark = node.start_mark
    doc.positions[path] = (mark.line + 1 + offset, mark.column + 1)
    tag = node.tag
    if tag not in _DATA_TAGS:
        raise _refused(
            f"the YAML tag {tag!r} is not allowed: values are text, numbers, "
            "true/false, lists and mappings",
            mark,
        )
    # Scalars first: most nodes are scalars, and they need none of the collections' checks.
    if isinstance(node, yaml.ScalarNode):
        if not node.style:  # plain (unquoted): None from PyYAML, "" from libyaml
            doc.plain_scalars[path] = node.value
        return _scalar(loader, node)
    if len(path) + 1 >= MAX_DEPTH:
        raise _refused(f"YAML nested more than {MAX_DEPTH} levels deep", mark)
    if isinstance(node, yaml.MappingNode):
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise _refused("YAML merge keys (<<) are not allowed", key_node.start_mark)
            key = _scalar(loader, key_node)
            if not isinstance(key, str):
                raise _refused(
                    f"keys must be text, not {type(key).__name__} ({key!r}); quote the key",
                    key_node.start_mark,
                )
            if key in result:
                raise _refused(f"duplicate key {key!r}", key_node.start_mark)
            result[key] = _construct(loader, value_node, (*path, key), doc, offset)
        return result
    return [_construct(loader, item, (*path, i), doc, offset) for i, item in enumerate(node.value)]


def _scalar(loader: _Loader, node: Any) -> Any:
    """One scalar's value; text normalised to NFC so that it matches values, which are too."""
    if not isinstance(node, yaml.ScalarNode) or node.tag not in _DATA_TAGS:
        raise _refused("keys must be plain text; quote the key", node.start_mark)
    if node.tag == _STR:
        # What SafeConstructor's construct_yaml_str returns, sooner.
        return unicodedata.normalize("NFC", node.value)
    try:
        # The tag's SafeConstructor function, as construct_object would call it (a data tag's
        # scalar has no children, so its bookkeeping for recursion has nothing to do).
        value = loader.yaml_constructors[node.tag](loader, node)
    except ValueError:  # Python refuses to read integers of more than 4,300 digits
        raise _refused(
            "this number is too long to read; quote it if it is text", node.start_mark
        ) from None
    return unicodedata.normalize("NFC", value) if isinstance(value, str) else value
