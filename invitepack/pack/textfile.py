"""Reading user files as text: UTF-8 only, size-bounded, with a position for every problem."""

from __future__ import annotations

import codecs
from pathlib import Path

from invitepack.errors import LoadError, Location

_BOM = b"\xef\xbb\xbf"
_UTF8_HINT = "save it as UTF-8; Latin-1 and Windows-1252 files must be converted first"


def _position(data: bytes, offset: int, encoding: str = "utf-8") -> tuple[int, int]:
    """1-based line and column (in characters, as editors count them) of a byte offset."""
    line_start = data.rfind(b"\n", 0, offset) + 1
    line = data.count(b"\n", 0, offset) + 1
    column = len(data[line_start:offset].decode(encoding, errors="replace")) + 1
    return line, column


def decode_bytes(
    data: bytes,
    path: Path | None,
    what: str = "file",
    *,
    encoding: str = "utf-8",
    first_line: int = 1,
    hint: str = _UTF8_HINT,
) -> str:
    """Decode user data, refusing a NUL byte (a binary file) and bytes the encoding cannot
    decode, each with its line and column; `first_line` is the line data starts on (a data
    file is decoded a line at a time, so that rows stream). The one decoding of user files:
    read_text's and a batch's rows. Raises LookupError for an unknown encoding."""
    name = "UTF-8" if codecs.lookup(encoding).name == "utf-8" else encoding
    if not encoding.lower().replace("_", "-").startswith("utf-16"):
        nul = data.find(b"\x00")
        if nul != -1:
            line, column = _position(data, nul, encoding)
            raise LoadError(
                f"this {what} contains a NUL byte: it looks binary (or UTF-16), not {name} text",
                Location(path, line + first_line - 1, column),
                hint=f"point invitepack at a {name} text file",
            )
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        line, column = _position(data, exc.start, encoding)
        raise LoadError(
            f"this {what} is not valid {name} (byte 0x{data[exc.start]:02x})",
            Location(path, line + first_line - 1, column),
            hint=hint,
        ) from None


def decode_text(data: bytes, path: Path | None, what: str = "file") -> str:
    """Decode UTF-8 (a BOM is dropped, CRLF becomes LF); refuse anything else with a position."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise LoadError(
            f"this {what} is UTF-16, not UTF-8",
            Location(path, 1, 1),
            hint="save it as UTF-8 (most editors: 'Save with encoding' > UTF-8)",
        )
    text = decode_bytes(data.removeprefix(_BOM), path, what)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_text(
    path: Path, max_bytes: int, what: str = "file", limit_name: str = "max_file_bytes"
) -> str:
    """Read a UTF-8 text file of at most max_bytes, refusing larger ones before reading them;
    limit_name is the `[limits]` key the hint tells people to raise."""
    try:
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except FileNotFoundError:
        raise LoadError(f"no such {what}", Location(path)) from None
    except IsADirectoryError:
        raise LoadError(f"expected a {what}, found a folder", Location(path)) from None
    except (OSError, ValueError) as exc:  # ValueError: a NUL in the path
        raise LoadError(
            f"cannot read this {what}: {getattr(exc, 'strerror', None) or exc}", Location(path)
        ) from None
    if len(data) > max_bytes:
        raise LoadError(
            f"this {what} is larger than the limit of {max_bytes:,} bytes",
            Location(path),
            hint=f"raise limits.{limit_name} in the config if this is really intended",
        )
    return decode_text(data, path, what)


def read_note(name: str, max_bytes: int) -> tuple[Path, str]:
    """A note to check: from a file, or from stdin when name is `-` (read no further than the
    limit, so that a multi-megabyte input is refused at once)."""
    import sys

    if name == "-":
        data = sys.stdin.buffer.read(max_bytes + 1)
        if len(data) > max_bytes:
            raise LoadError(
                f"the note on stdin is larger than {max_bytes:,} bytes",
                hint="a note is a few hundred characters; raise limits.max_note_bytes only if "
                "this is intended",
            )
        return Path("<stdin>"), decode_text(data, Path("<stdin>"), "note")
    path = Path(name)
    return path, read_text(path, max_bytes, "note", limit_name="max_note_bytes")
