"""Text for a terminal, measured in display columns rather than characters.

A terminal gives a Hangul syllable two columns and a combining accent none, so ``len()`` is the
wrong measure of a line: ``display_width("δ²₁") == 3`` and ``display_width("학습률") == 6``.
Everything here measures with :func:`display_width` (the ``wcwidth`` tables), ignores the ANSI
colour codes of the ``paint`` filter, and never breaks inside a word or a number.

* :func:`wrap`: prose wrapped to a width, a lead (``"• "``) on the first line and the
  continuation lines indented under the text;
* :func:`table`: rows of cells, each column padded to its widest cell, numbers aligned at the
  decimal point, text cells wrapped when the table is wider than the terminal;
* :func:`beside`: multi-line pictures side by side on a shared baseline (a sentence of words and
  SymPy pictures, see :func:`tracer.documents.styles.typeset`).

>>> print(wrap("Nudge one parameter by a small amount.", 20, lead="• "))
• Nudge one
  parameter by a
  small amount.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable, Sequence
from functools import cache

_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_WORDS = re.compile(r"\S+")
_NUMBER = re.compile(r"^[-−]?\d+(?:\.(\d+))?$")


def terminal_columns(fallback: int = 80) -> int:
    """Return the width to fit terminal output to: ``COLUMNS``, else the terminal's own.

    The terminal is standard output's, else standard error's: piped into a pager
    (``tracer trace mazur | less``) the output is read in the terminal that standard error still
    writes to, where ``shutil.get_terminal_size`` falls back to 80 columns. With neither (a file,
    a test run) ``fallback``.
    """
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    for stream in (sys.__stdout__, sys.__stderr__):
        try:
            size = os.get_terminal_size(stream.fileno())  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            continue
        if size.columns > 0:
            return size.columns
    return fallback


@cache
def _char_width(char: str) -> int:
    """Return the columns of one character: 2 for a Hangul syllable, 0 for a combining mark or a
    control character."""
    from wcwidth import wcwidth  # 20 ms to import: only for text past ASCII (the terminal, text drawings)

    return max(wcwidth(char), 0)


def _line_width(line: str) -> int:
    plain = _ANSI.sub("", line) if "\x1b" in line else line
    if plain.isascii() and plain.isprintable():
        return len(plain)
    return sum(map(_char_width, plain))


def display_width(text: str) -> int:
    """Return the columns ``text`` takes in a terminal: its widest line, colour codes not counted.

    >>> display_width("δ²₁"), display_width("학습률"), display_width("x\\u0302"), display_width("ab\\ncde")
    (3, 6, 1, 3)
    """
    return max((_line_width(line) for line in text.split("\n")), default=0)


def pad(text: str, width: int, align: str = "left") -> str:
    """Return one line ``text`` padded with spaces to ``width`` columns (``align`` left, right or centre).

    >>> pad("학습", 6) + "|", pad("ab", 5, "right"), pad("ab", 6, "centre")
    ('학습  |', '   ab', '  ab  ')
    """
    room = max(width - display_width(text), 0)
    if align == "right":
        return " " * room + text
    if align == "centre":
        return " " * (room // 2) + text + " " * (room - room // 2)
    return text + " " * room


def wrap(text: str, width: int, lead: str = "", indent: int | None = None) -> str:
    """Return prose broken at spaces into lines of at most ``width`` columns.

    ``lead`` (a bullet ``"• "``) starts the first line; the later lines are indented by
    ``indent`` columns, by default the width of ``lead``, so that they sit under the text.
    A word wider than a line is kept whole on a line of its own. Blank lines (paragraphs)
    are kept.

    >>> print(wrap("가중치 w는 오차가 줄어드는 쪽으로 움직인다", 18, lead="- "))
    - 가중치 w는
      오차가 줄어드는
      쪽으로 움직인다
    """
    hanging = display_width(lead) if indent is None else indent
    paragraphs = text.split("\n")
    out: list[str] = []
    for number, paragraph in enumerate(paragraphs):
        words = _WORDS.findall(paragraph)
        first = lead if number == 0 else " " * hanging
        line, used = first, display_width(first)
        if not words:
            out.append(line.rstrip())
            continue
        empty = True
        for word in words:
            size = display_width(word)
            if not empty and used + 1 + size > width:
                out.append(line)
                line, used, empty = " " * hanging, hanging, True
            if empty:
                line, used, empty = line + word, used + size, False
            else:
                line, used = f"{line} {word}", used + 1 + size
        out.append(line)
    return "\n".join(out)


def _decimals(cell: str) -> tuple[int, int] | None:
    """Return the columns before and after the decimal point of a number, or None for words."""
    match = _NUMBER.match(cell)
    if match is None:
        return None
    after = len(match.group(1)) + 1 if match.group(1) else 0
    return display_width(cell) - after, after


def table(
    rows: Sequence[Sequence[str]],
    gap: int = 2,
    indent: int = 0,
    numeric: Sequence[bool] | None = None,
    width: int | None = None,
    paint: Sequence[Callable[[str], str]] = (),
) -> str:
    """Return rows of cells as aligned columns, ``gap`` spaces apart, each line indented.

    The first row is the head. Columns are as wide as their widest cell by display width. A
    numeric column (``numeric``; by default, one whose body cells are all numbers) has its
    numbers aligned at the decimal point; other cells are left-aligned. With ``width``, a table
    wider than that wraps the words of its text cells (the widest column first, never a number)
    onto more lines of the same row, and columns of numbers still too wide close up to one space
    apart. ``paint``, one function per body row, styles that row's
    first cell once it is laid out (colour codes take no columns). Trailing spaces are dropped.

    >>> print(table([["h", "cost"], ["10⁻¹", "0.25"], ["10⁻²", "-1.125"], ["10⁻³", "12"]]))
    h     cost
    10⁻¹   0.25
    10⁻²  -1.125
    10⁻³  12
    >>> print(table([["step", "difference quotient"], ["10⁻¹", "0.086"]], width=16))
    step  difference
          quotient
    10⁻¹  0.086
    """
    if not rows:
        return ""
    count = max(len(row) for row in rows)
    cells = [[*row, *[""] * (count - len(row))] for row in rows]
    body = cells[1:] if len(cells) > 1 else cells
    if numeric is None:
        numeric = [all(_decimals(row[c]) is not None for row in body if row[c]) for c in range(count)]
    for c in range(count):
        parts = [_decimals(row[c]) for row in body if row[c]]
        if numeric[c] and parts and all(p is not None for p in parts):
            before = max(p[0] for p in parts)  # type: ignore[index]
            after = max(p[1] for p in parts)  # type: ignore[index]
            for row in body:
                p = _decimals(row[c])
                if p is not None:
                    row[c] = " " * (before - p[0]) + row[c] + " " * (after - p[1])
    widths = [max(display_width(row[c]) for row in cells) for c in range(count)]
    if width is not None:
        widths = _narrowed(cells, widths, [bool(n) for n in numeric], width - indent - gap * (count - 1))
        if indent + sum(widths) + gap * (count - 1) > width:
            gap = 1  # the numbers alone are too wide: the columns close up rather than overflow
    lines = []
    for number, row in enumerate(cells):
        wrapped = [
            [cell] if display_width(cell) <= widths[c] else wrap(cell, widths[c]).split("\n")
            for c, cell in enumerate(row)
        ]
        for k in range(max(len(w) for w in wrapped)):
            parts = [pad(w[k] if k < len(w) else "", widths[c]) for c, w in enumerate(wrapped)]
            if number and paint and k == 0:
                parts[0] = paint[number - 1](parts[0])
            lines.append((" " * indent + (" " * gap).join(parts)).rstrip())
    return "\n".join(lines)


def _narrowed(cells: list[list[str]], widths: list[int], numeric: list[bool], room: int) -> list[int]:
    """Return column widths that fit ``room`` columns by wrapping text cells at spaces, if they can.

    The widest text column gives way first, down to its longest word.
    """
    widths = list(widths)
    least = []
    for c in range(len(widths)):
        # A number is never broken; the words of a heading may be, even over numbers.
        texts = [cells[0][c]] if numeric[c] else [row[c] for row in cells]
        longest = max(display_width(unit) for text in texts for unit in _units(text) or [""])
        numbers = max((display_width(row[c]) for row in cells[1:]), default=0) if numeric[c] else 0
        least.append(max(longest, numbers))
    while sum(widths) > room:
        shrinkable = [c for c in range(len(widths)) if widths[c] > least[c]]
        if not shrinkable:
            break
        c = max(shrinkable, key=lambda k: widths[k])
        target = max(least[c], widths[c] - (sum(widths) - room))
        widths[c] = max(display_width("\n".join(_fill(row[c], target))) for row in cells)
    return widths


def _units(cell: str) -> list[str]:
    """Return the pieces a table cell may be broken between: its words, or, in a list of
    equations such as ``i₁ = 0.5, i₂ = -1``, the items after each comma."""
    if ", " in cell:
        return [unit.strip() for unit in re.split(r"(?<=,) ", cell)]
    return cell.split()


def _fill(cell: str, width: int) -> list[str]:
    """Return a cell's pieces (:func:`_units`) set in lines of at most ``width`` columns where they fit."""
    lines: list[str] = []
    for unit in _units(cell):
        if lines and display_width(lines[-1]) + 1 + display_width(unit) <= width:
            lines[-1] += " " + unit
        else:
            lines.append(unit)
    return lines or [""]


def beside(pictures: Sequence[tuple[str, int]]) -> tuple[str, int]:
    """Return multi-line pictures set side by side, each ``(text, baseline)``, on one baseline.

    A picture's baseline is the row (from 0 at the top) that the others line up with, such as a
    fraction's bar. Rows are padded by display width, so a Hangul word beside a fraction keeps
    the columns of the fraction straight. Returns the joined text and its baseline.

    >>> text, baseline = beside([("학습률 ", 0), ("1\\n─\\n2", 1)])
    >>> baseline
    1
    >>> print(text.replace(" ", "·"))
    ·······1
    학습률·─
    ·······2
    """
    blocks = [(text.split("\n"), baseline) for text, baseline in pictures]
    above = max((baseline for _, baseline in blocks), default=0)
    below = max((len(rows) - baseline for rows, baseline in blocks), default=1)
    out = [""] * (above + below)
    for rows, baseline in blocks:
        width = max((display_width(row) for row in rows), default=0)
        top = above - baseline
        for i in range(above + below):
            k = i - top
            out[i] += pad(rows[k], width) if 0 <= k < len(rows) else " " * width
    return "\n".join(out), above
