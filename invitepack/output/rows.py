"""Reading people's data for a batch: CSV, JSON Lines or YAML, one row per person.

Rows stream (CSV and JSONL are never held in memory whole), and `scan` checks the whole file's
structure first, so that a broken file is reported with its line before anything is written.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from invitepack.errors import LoadError, Location, printable

FORMATS = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".yaml": "yaml", ".yml": "yaml"}
_MAX_YAML_BYTES = 16 * 1024 * 1024


@dataclass(frozen=True)
class Row:
    """One person's values, with where the row stands in the file."""

    number: int  # 1-based, counting data rows only
    line: int  # the file line the row starts on
    values: dict[str, Any]
    id: str | None = None

    def label(self) -> str:
        """'row 17' or 'row 17 (id A-17)': how reports name a row without its values."""
        return f"row {self.number}" + (f" (id {printable(self.id)})" if self.id else "")


class RowSource:
    """A data file and how its columns map to a template's variables."""

    def __init__(
        self,
        path: Path,
        *,
        encoding: str = "utf-8",
        mapping: dict[str, str] | None = None,
        id_column: str | None = None,
    ):
        self.path = path
        self.encoding = encoding
        self.mapping = mapping or {}
        self.id_column = id_column
        suffix = path.suffix.lower()
        if suffix not in FORMATS:
            raise LoadError(
                f"unknown data file type {suffix or '(none)'!r}",
                Location(path),
                hint="use a .csv, .jsonl or .yaml file",
            )
        self.format = FORMATS[suffix]
        if not path.is_file():
            raise LoadError("no such data file", Location(path))

    # -- CSV ------------------------------------------------------------------------------

    def _lines(self, raw: BinaryIO) -> Iterator[str]:
        """Decode physical lines one at a time, so an encoding error names its line."""
        for number, data in enumerate(raw, start=1):
            if (
                number == 1
                and data.startswith(b"\xef\xbb\xbf")
                and self.encoding.lower().replace("-", "") in ("utf8", "utf8sig")
            ):
                data = data[3:]
            try:
                yield self._decoded(data, number)
            except LookupError:
                raise LoadError(
                    f"unknown encoding {self.encoding!r}",
                    hint="e.g. --encoding utf-8, cp1252, latin-1",
                ) from None

    def _decoded(self, data: bytes, number: int) -> str:
        """Line `number` as decode_bytes decodes it: `data.decode` when it holds no NUL byte
        and decodes (decode_bytes checks no more, and looks the codec up on every line); a
        line that does not goes to decode_bytes, which names the problem's place."""
        if b"\x00" not in data:
            try:
                return data.decode(self.encoding)
            except UnicodeDecodeError:
                pass
        from invitepack.pack.textfile import decode_bytes

        return decode_bytes(
            data,
            self.path,
            "data file",
            encoding=self.encoding,
            first_line=number,
            hint="save the file as UTF-8, or name its encoding with --encoding (e.g. cp1252)",
        )

    def _csv_records(self) -> Iterator[tuple[int, list[str]]]:
        with self.path.open("rb") as raw:
            reader = csv.reader(self._lines(raw), strict=True)
            start = 1
            while True:
                try:
                    record = next(reader)
                except StopIteration:
                    return
                except csv.Error as exc:
                    problem = (
                        "a quoted field is never closed"
                        if "unexpected end of data" in str(exc)
                        else str(exc)
                    )
                    raise LoadError(
                        f"invalid CSV: {problem}",
                        Location(self.path, start),
                        hint="check the quotes on this row",
                    ) from None
                if record:
                    yield start, record
                start = reader.line_num + 1

    def _csv_table(self) -> tuple[list[str], Iterator[tuple[int, int, list[str]]]]:
        """The checked header, and (number, line, fields) of each record after it, checked
        for its field count as it is read."""
        records = self._csv_records()
        try:
            _, header = next(records)
        except StopIteration:
            raise LoadError("the CSV file is empty", Location(self.path, 1)) from None
        header = [h.strip() for h in header]
        seen: set[str] = set()
        for index, name in enumerate(header, start=1):
            if not name:
                raise LoadError(
                    f"column {index} has no name",
                    Location(self.path, 1, None),
                    hint="give every column a header",
                )
            if name in seen:
                raise LoadError(
                    f"duplicate column {name!r}",
                    Location(self.path, 1),
                    hint="give each column its own name",
                )
            seen.add(name)
        return header, self._fitting(len(header), records)

    def _fitting(
        self, width: int, records: Iterator[tuple[int, list[str]]]
    ) -> Iterator[tuple[int, int, list[str]]]:
        for number, (line, record) in enumerate(records, start=1):
            if len(record) != width:
                raise LoadError(
                    f"row {number} has {len(record)} fields but the header has {width}",
                    Location(self.path, line),
                    hint="check for a missing or extra comma, or an unquoted comma inside a value",
                )
            yield number, line, record

    def _csv_rows(self) -> Iterator[Row]:
        header, records = self._csv_table()
        for number, line, record in records:
            yield self._row(number, line, dict(zip(header, record, strict=False)))

    # -- JSON Lines and YAML ----------------------------------------------------------------

    def _jsonl_rows(self) -> Iterator[Row]:
        number = 0
        with self.path.open("rb") as raw:
            for line, text in enumerate(self._lines(raw), start=1):
                if not text.strip():
                    continue
                try:
                    # Numbers stay as written (1.10, not 1.1), to be typed by the template's
                    # schema as a CSV cell is.
                    data = json.loads(text, parse_int=str, parse_float=str, parse_constant=str)
                except json.JSONDecodeError as exc:
                    raise LoadError(
                        f"invalid JSON: {exc.msg}", Location(self.path, line, exc.colno)
                    ) from None
                if not isinstance(data, dict):
                    raise LoadError(
                        "each line must be a JSON object of column: value",
                        Location(self.path, line, 1),
                    )
                number += 1
                yield self._row(number, line, data)

    def _yaml_rows(self) -> Iterator[Row]:
        from invitepack.pack.textfile import read_text
        from invitepack.pack.yamlfile import parse_yaml

        doc = parse_yaml(read_text(self.path, _MAX_YAML_BYTES, "data file"), self.path)
        if not isinstance(doc.data, list) or not all(isinstance(item, dict) for item in doc.data):
            raise LoadError(
                "a YAML data file must be a list of mappings (one per person)",
                Location(self.path, 1, 1),
            )
        for index, item in enumerate(doc.data):
            values = {key: doc.as_written([index, key], value) for key, value in item.items()}
            yield self._row(index + 1, doc.location([index]).line or 1, values)

    # -- common -------------------------------------------------------------------------------

    def _row(self, number: int, line: int, record: dict[str, Any]) -> Row:
        for key, value in record.items():
            if isinstance(value, (dict, list)):
                raise LoadError(
                    f"row {number}: column {key!r} holds a list or mapping, not a value",
                    Location(self.path, line),
                )
        ident = record.get(self.id_column) if self.id_column else None
        values = {
            self.mapping.get(key, key): value
            for key, value in record.items()
            if value not in (None, "")
        }
        return Row(number, line, values, None if ident in (None, "") else str(ident))

    def rows(self) -> Iterator[Row]:
        """Every row, streamed (YAML is read whole)."""
        return {"csv": self._csv_rows, "jsonl": self._jsonl_rows, "yaml": self._yaml_rows}[
            self.format
        ]()

    def scan(self, required: Iterable[str], columns: Iterable[str] = ()) -> int:
        """Check the whole file's structure before anything is written; return the row count.

        Raises LoadError naming the line of the first problem: encoding, quotes, ragged rows,
        duplicate columns; for CSV also a required variable or a named column (--id-column,
        --to-column) that no column provides. (JSONL and YAML rows may differ in their keys;
        a row missing a required value fails on its own.)
        """
        if self.format != "csv":
            return sum(1 for _ in self.rows())
        # One pass over the records, checked as rows() checks them, without making the rows.
        header, records = self._csv_table()
        count = sum(1 for _ in records)
        variables = {self.mapping.get(h, h) for h in header}
        missing = [name for name in required if name not in variables]
        if missing:
            raise LoadError(
                f"no column for required variable(s): {', '.join(missing)}",
                Location(self.path, 1),
                hint="add a column with that name, or map one with --map COLUMN=VARIABLE",
            )
        absent = [c for c in columns if c not in header]
        if absent:
            raise LoadError(
                f"no column named {absent[0]!r}",
                Location(self.path, 1),
                hint=f"the columns are: {', '.join(printable(h) for h in header)}",
            )
        return count
