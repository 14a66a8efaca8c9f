"""The quick schema check (invitepack/pack/quickcheck.py) passes a document only when jsonschema
finds it valid, and passes every valid front matter of the built-in pack and the golden pack,
so that validate skips jsonschema for them."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from conftest import DATA, builtin_pack
from hypothesis import given, settings
from hypothesis import strategies as st

from invitepack.pack.frontmatter import split_front_matter
from invitepack.pack.quickcheck import compile_check
from invitepack.pack.schemas import SCHEMA_NAMES, _as_checked, _quick_check, validator
from invitepack.pack.yamlfile import parse_yaml


def _front_matters() -> list[Any]:
    """Every parsable front matter of the built-in pack and the golden pack's templates."""
    found = []
    for folder in (builtin_pack(), DATA / "validate-pack" / "templates"):
        for path in sorted(folder.rglob("*.md")):
            try:
                split = split_front_matter(path.read_text(encoding="utf-8"), path)
                found.append(parse_yaml(split.front_matter, path).data)
            except Exception:  # noqa: BLE001 - broken on purpose: nothing to compare
                continue
    return found


FRONT_MATTERS = _front_matters()
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 300),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(["", "x", "1.0.0", "1.0", "object", "string", "a\n", "(a+)+", "([a-z"]),
    st.text(max_size=8),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner),
    max_leaves=6,
)


def _paths(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    paths = [prefix]
    if isinstance(data, dict):
        for key, value in data.items():
            paths += _paths(value, (*prefix, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            paths += _paths(value, (*prefix, index))
    return paths


def _replaced(data: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    changed = copy.deepcopy(data)
    parent = changed
    for part in path[:-1]:
        parent = parent[part]
    parent[path[-1]] = value
    return changed


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_every_bundled_schema_compiles(name):
    assert compile_check(_as_checked(name), {}) is not None


def test_valid_front_matters_pass_without_jsonschema():
    valid = [data for data in FRONT_MATTERS if validator("template").is_valid(data)]
    assert len(valid) > 40
    assert all(_quick_check("template")(data) for data in valid)


def test_invalid_front_matters_of_the_golden_pack_fail():
    invalid = [data for data in FRONT_MATTERS if not validator("template").is_valid(data)]
    assert invalid and not any(_quick_check("template")(data) for data in invalid)


@settings(max_examples=400, deadline=None)
@given(st.data())
def test_a_changed_value_passes_only_if_jsonschema_passes_it(data):
    document = data.draw(st.sampled_from(FRONT_MATTERS))
    path = data.draw(st.sampled_from(_paths(document)))
    changed = _replaced(document, path, data.draw(VALUES))
    if _quick_check("template")(changed):
        assert validator("template").is_valid(changed), (path, changed)


@pytest.mark.parametrize(
    ("schema", "document"),
    [
        ({"const": False}, 0),
        ({"enum": [1]}, True),
        ({"enum": [1]}, 1.0),
        ({"type": "integer"}, 2.0),
        ({"uniqueItems": True}, [1, 1.0]),
        ({"minimum": 1}, 1j),
        ({"type": "object", "additionalProperties": False, "patternProperties": {}}, {}),
        ({"$ref": "#"}, {}),
        ({"not": {}}, 1),
    ],
)
def test_what_it_is_unsure_of_goes_to_jsonschema(schema, document):
    check = compile_check(schema, {})
    assert check is None or not check(document)
