"""Answer files: read a student's numbers and find the quantity each name stands for.

An answer file is a TOML or JSON table of ``name = number``::

    out_h1 = 0.5933
    "w_5^+" = 0.3589
    "dC/dW[2][1][1]" = 0.0822

A name is a canonical id (``a[1][1]``, ``dC/dW[2][1][1]``, ``W'[1][2][1]``, ``C``) or the ASCII
name of a symbol in the spec's notation, as ``tracer ids SPEC`` lists them (``out_h1``,
``w_5^+``, ``dE_total/dw_5`` in Mazur's; ``a^2_1``, ``w^3_12``, ``delta^2_1`` in Nielsen's).
Symbol names are matched loosely: ``_ ^ { } ( )`` and spaces are ignored, so ``w5+``, ``outh1``
and ``a21`` work, and capitals only matter when they tell two quantities apart. A loose name that
fits two quantities is refused with both spellings; an unknown name with the nearest valid one.
Every problem is one line ``file: what is wrong`` (a :class:`~tracer.errors.SpecError`).
"""

from __future__ import annotations

import difflib
import json
import math
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tracer import inputs
from tracer.errors import SpecError
from tracer.i18n import _
from tracer.ids import Ref, parse
from tracer.trace import Trace

SUFFIXES = (".toml", ".json")
_IGNORED = re.compile(r"[_^{}()\s]")
_EXAMPLE = '"a[1][1]" = 0.5933'


@dataclass(frozen=True)
class Answer:
    """Return-free record of one answer: the name as written, the quantity it names, the number."""

    name: str
    ref: Ref
    value: float


@dataclass(frozen=True)
class AnswerSheet:
    """Return-free record of one answer file: where it came from and its answers, in file order."""

    source: str
    answers: tuple[Answer, ...]


def normalise(name: str) -> str:
    """Return the loose form of a name: without ``_ ^ { } ( )`` and spaces.

    >>> normalise("w_5^+"), normalise("out_h1"), normalise("a^{2}_1"), normalise("dE_total/dw_5")
    ('w5+', 'outh1', 'a21', 'dEtotal/dw5')
    """
    return _IGNORED.sub("", name)


class Names:
    """Return-free index from every accepted name of one trace's quantities to the quantity.

    >>> from tracer import load_spec, trace
    >>> names = Names(trace(load_spec("mazur")))
    >>> str(names.resolve("w5+", "answers.toml")), str(names.resolve("OUT_H1", "answers.toml"))
    ("W'[2][1][1]", 'a[1][1]')
    """

    def __init__(self, trace: Trace, spec_label: str = "SPEC") -> None:
        self.spec_label = spec_label
        self.exact: dict[str, set[Ref]] = defaultdict(set)
        self.loose: dict[str, set[Ref]] = defaultdict(set)
        self.folded: dict[str, set[Ref]] = defaultdict(set)
        self.shown: dict[Ref, str] = {}
        for q in trace.quantities:
            symbol_name = trace.naming.name(q.ref)
            self.shown[q.ref] = symbol_name
            for name in (q.id, symbol_name):
                self.exact[name].add(q.ref)
            self.loose[normalise(symbol_name)].add(q.ref)
            self.folded[normalise(symbol_name).casefold()].add(q.ref)

    def resolve(self, name: str, source: str) -> Ref:
        """Return the quantity ``name`` stands for; SpecError naming ``source`` if none or several."""
        found = self.exact.get(name, set())
        if len(found) == 1:
            return next(iter(found))
        ref = parse(name)
        if ref is not None and ref in self.shown:
            return ref
        for table, key in (
            (self.exact, name.strip()),
            (self.loose, normalise(name)),
            (self.folded, normalise(name).casefold()),
        ):
            found = table.get(key, set())
            if len(found) == 1:
                return next(iter(found))
            if len(found) > 1:
                spellings = " or ".join(f'"{self.shown[r]}" ({r})' for r in sorted(found, key=str))
                raise SpecError(source, f'"{name}" could be {spellings}; write the name exactly')
        raise SpecError(source, f'"{name}" is not a quantity of this network; {self._hint(name)}')

    def _hint(self, name: str) -> str:
        """Return 'did you mean …' with the closest accepted name, in the style the student used.

        Ties go to the quantity that comes first in the worked example.
        """
        if "[" in name:
            choices = [(str(r), str(r)) for r in self.shown]
            key = name.replace(" ", "")
        else:
            choices = [(normalise(shown).casefold(), shown) for shown in self.shown.values()]
            key = normalise(name).casefold()
        matcher = difflib.SequenceMatcher(b=key)
        scores = []
        for index, (loose, shown) in enumerate(choices):
            matcher.set_seq1(loose)
            scores.append((matcher.ratio(), -index, shown))
        score, _, shown = max(scores, default=(0.0, 0, ""))
        if score >= 0.5:
            return f'did you mean "{shown}"?'
        return f"`tracer ids {self.spec_label}` lists the names"


def answer_files(path: Path) -> list[Path]:
    """Return the answer files to check: ``path`` itself, or the .toml/.json files in a folder, sorted.

    In a folder only regular files count; a named pipe given on its own is refused, not waited on.
    """
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in SUFFIXES)
        if not files:
            raise SpecError(str(path), _("no .toml or .json answer files in this folder"))
        return files
    if not path.exists():
        raise SpecError(str(path), _("no such file or folder"))
    inputs.check_regular(path, str(path))
    return [path]


def read_answers(path: Path, names: Names) -> AnswerSheet:
    """Return the answers of one TOML/JSON file, each name resolved; SpecError for anything unusable."""
    source = str(path)
    text = inputs.read_text(path, source, _("the answers"))
    if not text.strip():
        raise SpecError(source, f"empty file; give one answer per line, e.g. {_EXAMPLE}")
    table = _parse(text, path.suffix.lower() == ".json", source)
    if not table:
        raise SpecError(source, f"no answers; give one answer per line, e.g. {_EXAMPLE}")
    answers: list[Answer] = []
    named: dict[Ref, str] = {}
    for name, raw in table.items():
        value = _number(raw, name, source)
        ref = names.resolve(name, source)
        if ref in named:
            raise SpecError(source, f'"{named[ref]}" and "{name}" both name {ref}; give each answer once')
        named[ref] = name
        answers.append(Answer(name, ref, value))
    return AnswerSheet(source, tuple(answers))


def _parse(text: str, is_json: bool, source: str) -> dict[str, Any]:
    hint = f"names with [ ] / ^ + ' need quotes, e.g. {_EXAMPLE}"
    data = inputs.parse(text, is_json, source, hint)
    if not isinstance(data, dict):
        raise SpecError(source, 'the answers must be one table of names and numbers, e.g. {"C": 0.2984}')
    return data


def _number(raw: Any, name: str, source: str) -> float:
    """Return an answer's value as a float, refusing text, tables, booleans, NaN and infinity."""
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        if isinstance(raw, str):
            got = f"the text {json.dumps(raw)}; write the number without quotes"
        elif isinstance(raw, dict):
            got = 'a table; quote names that contain dots, e.g. "E.total" = 0.2984'
        else:
            got = (
                json.dumps(raw)
                if isinstance(raw, bool)
                else inputs.shown(raw)
                if isinstance(raw, list)
                else type(raw).__name__
            )
        raise SpecError(source, f'"{name}" must be a number, got {got}')
    try:
        value = float(raw)
    except OverflowError:
        value = math.inf
    if not math.isfinite(value):
        raise SpecError(source, f'"{name}" must be a finite number, got {value}')
    return value
