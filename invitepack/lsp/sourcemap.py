"""Where each character of a rendered note came from in the template's body.

A checker reports a span of the rendered note; an author needs the line of the template
that produced it. Jinja compiles a template into a generator and keeps a table from the
generated Python lines back to template lines, so rendering once more while watching which
line each piece of output is yielded from gives the map. Literal text is then found at its
column; a variable's value points at its `{{ ... }}`; anything else points at its line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from types import GeneratorType
from typing import Any

from invitepack.pack.template import Template
from invitepack.render.renderer import Renderer

Point = tuple[int, int]  # 0-based line and column in the file, in code points


@dataclass(frozen=True)
class Piece:
    """One piece of output: where it starts in the raw output, and where it came from."""

    start: int
    text: str
    line: int  # 0-based file line the piece was yielded from
    literal_at: int | None  # offset in the body source where the text stands verbatim
    expression: tuple[int, int] | None  # body offsets of the `{{ ... }}` that printed it


class SourceMap:
    """Maps offsets in a rendered body (as checkers see it) to places in the file."""

    def __init__(self, template: Template, pieces: list[Piece], lead: int):
        self.template = template
        self.pieces = pieces
        self.lead = lead  # characters stripped from the start of the raw output
        body = template.body
        self._line_starts = [0] + [i + 1 for i, c in enumerate(body) if c == "\n"]

    def _point(self, body_offset: int) -> Point:
        """A body offset as a (file line, column)."""
        index = max(i for i, start in enumerate(self._line_starts) if start <= body_offset)
        return (self.template.body_line - 1 + index, body_offset - self._line_starts[index])

    def _line_end(self, line: int) -> Point:
        index = line - (self.template.body_line - 1)
        lines = self.template.body.split("\n")
        text = lines[index] if 0 <= index < len(lines) else ""
        return (line, len(text))

    def _line_range(self, line: int) -> tuple[Point, Point]:
        end = self._line_end(line)
        index = line - (self.template.body_line - 1)
        lines = self.template.body.split("\n")
        text = lines[index] if 0 <= index < len(lines) else ""
        return ((line, len(text) - len(text.lstrip())), end)

    def _piece_at(self, offset: int) -> Piece | None:
        raw = offset + self.lead
        found = None
        for piece in self.pieces:
            if piece.start > raw:
                break
            if piece.text:
                found = piece
        return found

    def locate(self, span: tuple[int, int]) -> tuple[Point, Point]:
        """The file range that produced rendered body[span[0]:span[1]]."""
        start, end = span
        piece = self._piece_at(start)
        if piece is None:
            return self._line_range(self.template.body_line - 1)
        if piece.literal_at is not None:
            first = self._point(piece.literal_at + (start + self.lead - piece.start))
            last_piece = self._piece_at(max(end - 1, start))
            if last_piece is piece:
                last = self._point(
                    piece.literal_at + (max(end - 1, start) + self.lead - piece.start)
                )
                if last[0] == first[0]:
                    return first, (last[0], last[1] + 1)
            return first, self._line_end(first[0])
        if piece.expression is not None:
            return self._point(piece.expression[0]), self._point(piece.expression[1])
        return self._line_range(piece.line)


def _innermost_frame(generator: Any, filename: str) -> Any:
    """The deepest frame of the generator chain that runs code of the template's own file."""
    found = None
    current = generator
    while isinstance(current, GeneratorType):
        frame = current.gi_frame
        if frame is not None and frame.f_code.co_filename == filename:
            found = frame
        current = current.gi_yieldfrom
    return found


def _expressions(body: str) -> list[tuple[int, int, str]]:
    """Each `{{ ... }}` in the body: start, end, and the expression inside."""
    return [
        (m.start(), m.end(), m.group(1))
        for m in re.finditer(r"\{\{-?\s*(.*?)\s*-?\}\}", body, re.DOTALL)
    ]


def trace(renderer: Renderer, template: Template, values: dict[str, Any]) -> SourceMap:
    """Render the body again with `values` (as validated for a message) and map its output.

    Rendering was already done, checked and bounded by the Renderer; this pass only watches
    where output comes from, so it is run on values that rendered successfully."""
    compiled = renderer.compile(template.body, template.path, template.body_line)
    generator = compiled.root_render_func(compiled.new_context(dict(values)))
    filename = str(template.path)
    body = template.body
    line_starts = [0] + [i + 1 for i, c in enumerate(body) if c == "\n"]
    expressions = _expressions(body)
    by_value: dict[str, list[str]] = {}
    for name, value in values.items():
        by_value.setdefault(str(value), []).append(name)
    pieces: list[Piece] = []
    position = 0
    cursor = 0  # literal text appears in output order
    for chunk in generator:
        frame = _innermost_frame(generator, filename)
        template_line = (
            compiled.get_corresponding_lineno(frame.f_lineno) if frame is not None else 1
        )
        index = min(max(template_line - 1, 0), len(line_starts) - 1)
        line_start = line_starts[index]
        text = str(chunk)
        literal_at = expression = None
        names = by_value.get(text, []) if text.strip() else []
        on_line = [
            e
            for e in expressions
            if line_start
            <= e[0]
            < (line_starts[index + 1] if index + 1 < len(line_starts) else len(body) + 1)
        ]
        for start, end, inner in on_line:
            if any(re.match(rf"{re.escape(n)}\b", inner) for n in names):
                expression = (start, end)
                break
        if expression is None and text:
            # Output follows the source except in loops: look on from the last literal first.
            at = body.find(text, cursor)
            if at == -1:
                at = body.find(text, line_start)
            if at != -1:
                literal_at = at
                cursor = max(cursor, at + len(text))
        pieces.append(Piece(position, text, template.body_line - 1 + index, literal_at, expression))
        position += len(text)
    raw = "".join(p.text for p in pieces)
    # The note is the stripped output, NFC-normalised: offsets past a character that
    # normalisation merges drift by that much, which only moves a highlight.
    return SourceMap(template, pieces, len(raw) - len(raw.lstrip()))
