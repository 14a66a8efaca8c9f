"""Unit tests, in-process: reading batch rows, and the structure errors of CSV, JSON Lines
and YAML data files, each with its line."""

from __future__ import annotations

import pytest

from invitepack.errors import LoadError
from invitepack.output.rows import RowSource


def source(tmp_path, name, content, **options):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return RowSource(path, **options)


def error(src, required=()):
    with pytest.raises(LoadError) as caught:
        src.scan(required)
    return caught.value


def test_csv_rows_carry_number_line_id_and_mapped_values(tmp_path):
    src = source(
        tmp_path,
        "people.csv",
        '\ufeffid,first,field\nA-1,Ada,"data\nengineering"\n\nA-2,Bo,\n',
        mapping={"first": "name"},
        id_column="id",
    )
    assert src.scan(["name"]) == 2
    first, second = src.rows()
    assert (first.number, first.line, first.id) == (1, 2, "A-1")
    assert first.values == {"id": "A-1", "name": "Ada", "field": "data\nengineering"}
    assert (second.number, second.line) == (2, 5)  # after a quoted line break and a blank line
    assert "field" not in second.values  # an empty cell is no value
    assert second.label() == "row 2 (id A-2)"


@pytest.mark.parametrize(
    ("content", "message", "line"),
    [
        ("", "the CSV file is empty", 1),
        ("name,,x\nAda,1,2\n", "column 2 has no name", 1),
        ("name,name\nAda,Bo\n", "duplicate column 'name'", 1),
        ("name,field\nAda,x\nBo\n", "row 2 has 1 fields but the header has 2", 3),
        ('name,field\nAda,x\nBo,"never closed\n', "a quoted field is never closed", 3),
        (b"name\nAda\n\x00\n", "a NUL byte", 3),
        (b"name\nAda\nZo\xe9\n", "not valid UTF-8 (byte 0xe9)", 3),
    ],
)
def test_csv_structure_errors_name_their_line(tmp_path, content, message, line):
    problem = error(source(tmp_path, "people.csv", content))
    assert message in problem.message
    assert problem.location is not None and problem.location.line == line


def test_csv_needs_a_column_for_each_required_variable_and_named_column(tmp_path):
    src = source(tmp_path, "people.csv", "first\nAda\n")
    assert "no column for required variable(s): name" in error(src, ["name"]).message
    mapped = source(tmp_path, "people.csv", "first\nAda\n", mapping={"first": "name"})
    assert mapped.scan(["name"]) == 1
    with pytest.raises(LoadError, match="no column named 'email'"):
        mapped.scan([], ["email"])


def test_another_encoding_is_read_when_named(tmp_path):
    src = source(tmp_path, "people.csv", "name\nZoé\n".encode("cp1252"), encoding="cp1252")
    assert [row.values for row in src.rows()] == [{"name": "Zoé"}]
    with pytest.raises(LoadError, match="unknown encoding"):
        source(tmp_path, "other.csv", "name\nAda\n", encoding="klingon").scan([])


def test_jsonl_rows_skip_blank_lines_and_keep_file_lines(tmp_path):
    src = source(tmp_path, "people.jsonl", '{"name": "Ada"}\n\n{"name": "Bo", "n": 3}\n')
    assert src.scan([]) == 2
    rows = list(src.rows())
    assert [(r.number, r.line) for r in rows] == [(1, 1), (2, 3)]
    # Numbers stay as written, for the template's schema to type (as a CSV cell is).
    assert rows[1].values == {"name": "Bo", "n": "3"}


def test_yaml_rows_keep_the_line_each_item_starts_on(tmp_path):
    src = source(tmp_path, "people.yaml", "- name: Ada\n  field: data\n- name: Bo\n")
    assert [(r.number, r.line, r.values["name"]) for r in src.rows()] == [
        (1, 1, "Ada"),
        (2, 3, "Bo"),
    ]


@pytest.mark.parametrize(
    ("name", "content", "message", "line"),
    [
        ("people.jsonl", '{"name": "Ada"}\n{"name": \n', "invalid JSON", 2),
        ("people.jsonl", '{"name": "Ada"}\n["Bo"]\n', "each line must be a JSON object", 2),
        ("people.jsonl", '{"name": "Ada"}\n{"name": ["Bo"]}\n', "column 'name' holds a list", 2),
        ("people.yaml", "name: Ada\n", "a YAML data file must be a list of mappings", 1),
        ("people.yaml", "- name: Ada\n- name: [Bo]\n", "row 2: column 'name' holds a list", 2),
        ("people.yaml", "- name: Ada\n- name: &x Bo\n", "anchors", 2),
        ("people.yaml", "- name: Ada\n  name: Bo\n", "duplicate key 'name'", 2),
        ("people.yaml", "- name: Ada\n- name: 'Bo\n", "invalid YAML", 3),
    ],
)
def test_jsonl_and_yaml_structure_errors_name_their_line(tmp_path, name, content, message, line):
    problem = error(source(tmp_path, name, content))
    assert message in problem.message
    assert problem.location is not None and problem.location.line == line


def test_unknown_file_types_and_missing_files_are_refused(tmp_path):
    with pytest.raises(LoadError, match=r"unknown data file type '\.xlsx'"):
        RowSource(tmp_path / "people.xlsx")
    with pytest.raises(LoadError, match="no such data file"):
        RowSource(tmp_path / "people.csv")
