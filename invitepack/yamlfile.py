"""YAML as data only: safe constructors, no anchors or aliases, no duplicate keys, and the
line and column of every value so that schema errors can point at the source."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from invitepack.errors import LoadError, Location

JsonPath = tuple[str | int, ...]


class _Loader(yaml.SafeLoader):
    """SafeLoader that refuses anchors and aliases (an alias bomb is a few hundred bytes)."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            raise _refused("YAML aliases (*name) are not allowed: write the value out in full", event.start_mark)
        if getattr(event, "anchor", None):
            raise _refused("YAML anchors (&name) are not allowed: write the value out in full", event.start_mark)
        return super().compose_node(parent, index)


# Dates stay text: a template's values are strings, and datetime objects are not JSON.
_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class _Refused(yaml.MarkedYAMLError):
    """Valid YAML that invitepack refuses as data."""


_SYNTAX_HINT = "check indentation and quoting; quote text containing ': ' or starting with '{', '[', '*', '&' or '@'"


def _refused(problem: str, mark: Any) -> _Refused:
    return _Refused(problem=problem, problem_mark=mark)


@dataclass
class YamlDocument:
    """Parsed data and where each part of it stands in the source."""

    data: Any
    path: Path | None
    positions: dict[JsonPath, tuple[int, int]] = field(default_factory=dict)

    def location(self, json_path: Iterable[str | int]) -> Location:
        """The source location of a JSON path, or of its nearest ancestor that has one."""
        parts = tuple(json_path)
        while parts not in self.positions and parts:
            parts = parts[:-1]
        line, column = self.positions.get(parts, (1, 1))
        return Location(self.path, line, column)


def parse_yaml(text: str, path: Path | None, first_line: int = 1) -> YamlDocument:
    """Parse one YAML document whose first line is line first_line of the file at path."""
    offset = first_line - 1
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        doc = YamlDocument(None, path)
        doc.data = _construct(loader, node, (), doc, offset) if node is not None else None
        return doc
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 + offset if mark else first_line
        column = mark.column + 1 if mark else 1
        problem = exc.problem or exc.context or "invalid YAML"
        hint = None if isinstance(exc, _Refused) else _SYNTAX_HINT
        raise LoadError(f"invalid YAML: {problem}", Location(path, line, column), hint) from None
    except yaml.YAMLError as exc:
        raise LoadError(f"invalid YAML: {exc}", Location(path, first_line, 1)) from None
    finally:
        loader.dispose()


def _construct(loader: _Loader, node: Any, path: JsonPath, doc: YamlDocument, offset: int) -> Any:
    doc.positions[path] = (node.start_mark.line + 1 + offset, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise _refused("YAML merge keys (<<) are not allowed", key_node.start_mark)
            key = loader.construct_object(key_node, deep=True)
            if not isinstance(key, str):
                raise _refused(
                    f"keys must be text, not {type(key).__name__} ({key!r}); quote the key",
                    key_node.start_mark,
                )
            if key in result:
                raise _refused(f"duplicate key {key!r}", key_node.start_mark)
            result[key] = _construct(loader, value_node, (*path, key), doc, offset)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_construct(loader, item, (*path, i), doc, offset) for i, item in enumerate(node.value)]
    return loader.construct_object(node, deep=True)
