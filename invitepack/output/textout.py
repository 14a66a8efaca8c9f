"""Plain-text screens for people: tables and a template's description."""

from __future__ import annotations

import textwrap

from invitepack.pack.template import Template
from invitepack.render.budget import Budget
from invitepack.render.message import Message
from invitepack.render.values import option_name


def table(headers: list[str], rows: list[list[str]], max_width: int = 48) -> str:
    """Left-aligned columns; cells longer than max_width are cut with an ellipsis."""
    cells = [
        [c if len(c) <= max_width else c[: max_width - 1] + "…" for c in row]
        for row in [headers, *rows]
    ]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    return "\n".join(
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=False)).rstrip() for row in cells
    )


def _indent(text: str, width: int = 88) -> str:
    paragraphs = text.strip().split("\n\n")
    return "\n\n".join(
        textwrap.fill(" ".join(p.split()), width, initial_indent="  ", subsequent_indent="  ")
        for p in paragraphs
    )


def _wrap(text: str, indent: str, width: int = 88) -> list[str]:
    return textwrap.wrap(
        " ".join(text.split()), width, initial_indent=indent, subsequent_indent=indent
    ) or [indent.rstrip()]


def describe_template(
    template: Template,
    example: Message,
    budget: Budget,
    source: str | None = None,
    variants: list[str] | None = None,
) -> str:
    """What `invitepack show` prints: purpose, guidance, variables and an example, each
    wrapped to be read in a terminal (`render` prints a note as is, for pasting)."""
    required = set(template.required)
    others = [v for v in variants or [] if v != (template.variant or "default")]
    lines = [
        f"{template.id} {template.version}: {template.title}",
        f"  scenario {template.scenario}, channel {template.channel}"
        + (f", variant {template.variant}" if template.variant else "")
        + (f"; other variants: {', '.join(others)} (--variant NAME)" if others else "")
        + f"\n  file {template.path}"
        + (f" ({source})" if source else ""),
        "",
        _indent(template.description),
        "",
        "Guidance:",
        _indent(template.guidance),
        "",
        "Variables:",
    ]
    for name, spec in template.variables.get("properties", {}).items():
        notes = ["required" if name in required else "optional"]
        if "maxLength" in spec:
            notes.append(f"written for up to {spec['maxLength']} characters")
        lines.append(f"  {option_name(name)}  ({'; '.join(notes)})")
        lines += _wrap(str(spec.get("description", "")), "      ")
    lines += ["", f"Example 1 of {len(template.examples)} ({budget.describe()}):"]
    if example.subject is not None:
        lines += _wrap(f"Subject: {example.subject}", "  ")
    for line in example.body.split("\n"):
        lines += _wrap(line, "  ") if line else [""]
    return "\n".join(lines)
