"""Answer files: read a student's numbers and find the quantity each name stands for.

An answer file is a TOML or JSON table of ``name = number``::

    out_h1 = 0.5933
    "w_5^+" = 0.3589
    "dC/dW[2][1][1]" = 0.0822

A name is a canonical id (``a[1][1]``, ``dC/dW[2][1][1]``, ``W'[1][2][1]``, ``C``) or the ASCII
name of a symbol in the spec's notation, as ``tracer ids SPEC`` lists them (``out_h1``,
``w_5^+``, ``dE_total/dw_5`` in Mazur's; ``a^2_1``, ``w^3_12``, ``delta^2_1`` in Nielsen's).
Symbol names are matched loosely: ``_ ^ { } ( )`` and spaces are ignored, so ``w5+``, ``outh1``
and ``a21`` work, and capitals only matter when they tell two quantities apart. A name copied from
tracer's own Unicode output works too (``δₒ₁``, ``w₅``, ``∂Eₜₒₜₐₗ/∂w₅``, ``w⁺₅``, ``m̂(w₅)⁽ᵗ⁼²⁾``),
and so does one that mixes the two (``δ_o1``, ``∂E_total/∂w5``). A loose name that
fits two quantities is refused with both spellings; an unknown name with the nearest valid one.
Every problem is one line ``file: what is wrong`` (a :class:`~tracer.errors.SpecError`).
"""

from __future__ import annotations

import difflib
import json
import math
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property
from pathlib import Path
from typing import Any

from tracer import inputs
from tracer.derive import symbol
from tracer.errors import SpecError
from tracer.i18n import _
from tracer.ids import Ref, parse
from tracer.printing import MathPrinter
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
    """Return the loose form of a name: sub- and superscripts as plain letters and digits (NFKC),
    without ``_ ^ { } ( )`` and spaces.

    >>> normalise("w_5^+"), normalise("out_h1"), normalise("a^{2}_1"), normalise("dE_total/dw_5")
    ('w5+', 'outh1', 'a21', 'dEtotal/dw5')
    >>> normalise("w₅"), normalise("δₒ₁"), normalise("δ_o1"), normalise("a²⁽²⁾₁")
    ('w5', 'δo1', 'δo1', 'a221')
    """
    return _IGNORED.sub("", unicodedata.normalize("NFKC", name))


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
        self._trace = trace
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
        tables = [
            (self.exact, name.strip()),
            (self.loose, normalise(name)),
            (self.folded, normalise(name).casefold()),
        ]
        if not name.isascii():
            unicode, folded = self._unicode
            tables += [(unicode, normalise(name)), (folded, normalise(name).casefold())]
        for table, key in tables:
            found = table.get(key, set())
            if len(found) == 1:
                return next(iter(found))
            if len(found) > 1:
                spellings = _(" or ").join(f'"{self.shown[r]}" ({r})' for r in sorted(found, key=str))
                raise SpecError(
                    source,
                    _('"{name}" could be {spellings}; write the name exactly').format(
                        name=name, spellings=spellings
                    ),
                )
        raise SpecError(
            source,
            _('"{name}" is not a quantity of this network; {hint}').format(name=name, hint=self._hint(name)),
        )

    @cached_property
    def _unicode(self) -> tuple[dict[str, set[Ref]], dict[str, set[Ref]]]:
        """Return the loose and case-folded forms of every symbol as tracer prints it in Unicode
        (``δₒ₁``, ``w⁺₅``, ``m̂(w₅)⁽ᵗ⁼²⁾``), made only when a name is not ASCII."""
        printer = MathPrinter(self._trace.naming)
        loose: dict[str, set[Ref]] = defaultdict(set)
        folded: dict[str, set[Ref]] = defaultdict(set)
        for ref in self.shown:
            text = normalise(printer.text(symbol(ref)))
            loose[text].add(ref)
            folded[text.casefold()].add(ref)
        return loose, folded

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
        score, _index, shown = max(scores, default=(0.0, 0, ""))
        if score >= 0.5:
            return _('did you mean "{name}"?').format(name=shown)
        return _("{command} lists the names").format(command=f"`tracer ids {self.spec_label}`")


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
        raise SpecError(
            source, _("empty file; give one answer per line, e.g. {example}").format(example=_EXAMPLE)
        )
    table = _parse(text, path.suffix.lower() == ".json", source)
    if not table:
        raise SpecError(
            source, _("no answers; give one answer per line, e.g. {example}").format(example=_EXAMPLE)
        )
    answers: list[Answer] = []
    named: dict[Ref, str] = {}
    for name, raw in table.items():
        value = _number(raw, name, source)
        ref = names.resolve(name, source)
        if ref in named:
            raise SpecError(
                source,
                _('"{first}" and "{second}" both name {id}; give each answer once').format(
                    first=named[ref], second=name, id=ref
                ),
            )
        named[ref] = name
        answers.append(Answer(name, ref, value))
    return AnswerSheet(source, tuple(answers))


def _parse(text: str, is_json: bool, source: str) -> dict[str, Any]:
    hint = _("names with [ ] / ^ + ' or letters such as δ need quotes, e.g. {example}").format(
        example=_EXAMPLE
    )
    data = inputs.parse(text, is_json, source, hint, lambda error: _toml_problem(text, error))
    if not isinstance(data, dict):
        raise SpecError(
            source,
            _("the answers must be one table of names and numbers, e.g. {example}").format(
                example='{"C": 0.2984}'
            ),
        )
    return data


_AT_LINE = re.compile(r"\(at line (\d+), column (\d+)\)$")
_KEY_VALUE = re.compile(r"""^\s*("(?:[^"\\]|\\.)*"|'[^']*'|[^=#"']*?)\s*=(.*)$""")


def _toml_problem(text: str, error: str) -> str | None:
    r"""Return what is wrong with the line of an answers file tomllib refused, naming its key and
    the fix (a value that is no TOML number, none at all, a key given twice), or None for others.

    >>> _toml_problem("net_o1 = 1,1059\n", "Expected newline (at line 1, column 11)")
    '"net_o1" must be a number, got 1,1059; write it as the number 1.1059'
    >>> _toml_problem("C = 0.3\nC = 0.2\n", "Cannot overwrite a value (at line 2, column 8)")
    '"C" is given twice (lines 1 and 2); give each answer once'
    """
    found = _AT_LINE.search(error)
    lines = text.splitlines()
    if found is None or not 1 <= int(found[1]) <= len(lines):
        return None
    number, column = int(found[1]), int(found[2])
    pair = _KEY_VALUE.match(lines[number - 1])
    if pair is None:
        return None
    key = pair[1].strip("\"'")
    if error.startswith("Cannot overwrite a value"):
        first = next(
            (
                i
                for i, line in enumerate(lines, 1)
                if (m := _KEY_VALUE.match(line)) and m[1].strip("\"'") == key
            ),
            number,
        )
        return _('"{name}" is given twice (lines {first} and {second}); give each answer once').format(
            name=key, first=first, second=number
        )
    if column <= len(lines[number - 1]) - len(pair[2]):  # the key itself is what tomllib refused
        return None
    value = re.sub(r"\s#.*$", "", pair[2]).strip()
    if not value:
        return _('"{name}" has no number after =; write one, or leave the line out').format(name=key)
    return _('"{name}" must be a number, got {value}').format(name=key, value=_not_a_number(value))


def _not_a_number(written: str, shown: str | None = None) -> str:
    """Return what a student wrote for a number (as ``shown``, if given), and how to write it so
    that it reads as one.

    Decimal commas, percentages, fractions, a bare leading point, a typographic minus and
    full-width digits are turned into the number they mean.

    >>> _not_a_number("59.33%"), _not_a_number("0,5")
    ('59.33%; write it as the number 0.5933', '0,5; write it as the number 0.5')
    >>> _not_a_number("1/2")
    '1/2; write a fraction in quotes, "1/2", or the number 0.5'
    >>> _not_a_number("abc")
    'abc; write a number, e.g. 0.5933'
    """
    shown = written if shown is None else shown
    meant = _meant(written)
    if _FRACTION.fullmatch(written) and meant is not None:
        return _("{text}; write a fraction in quotes, {quoted}, or the number {number}").format(
            text=shown, quoted=json.dumps(written.replace(" ", "")), number=meant
        )
    if meant is None:
        return _("{text}; write a number, e.g. {example}").format(text=shown, example="0.5933")
    return _("{text}; write it as the number {number}").format(text=shown, number=meant)


_FRACTION = re.compile(r"\s*[+-]?\d+\s*/\s*\d+\s*")
_WHOLE = re.compile(r"\s*[+-]?\d+\s*")


def _plain(text: str) -> bool:
    """Return True when ``text`` is a number as it stands (``"0.59"``): only its quotes are wrong."""
    try:
        float(text)
    except ValueError:
        return False
    return True


def _meant(written: str) -> str | None:
    """Return the number a non-TOML spelling stands for, in TOML's spelling, or None."""
    text = unicodedata.normalize("NFKC", written).replace("\N{MINUS SIGN}", "-").replace(" ", "")
    if re.fullmatch(r"[+-]?\d*,\d+", text):
        text = text.replace(",", ".")
    try:
        if text.endswith("%"):
            value = float(text[:-1]) / 100
        elif text.count("/") == 1:
            top, bottom = text.split("/")
            value = float(top) / float(bottom)
        else:
            value = float(text)
    except (ValueError, ZeroDivisionError):
        return None
    return f"{value:.12g}" if math.isfinite(value) else None


def _number(raw: Any, name: str, source: str) -> float:
    """Return an answer's value as a float, refusing text, tables, booleans, NaN and infinity."""
    if isinstance(raw, str) and (_FRACTION.fullmatch(raw) or _WHOLE.fullmatch(raw)):
        top, _slash, bottom = raw.partition("/")  # an exact handout's answer: "3/2", "-1", "0"
        if int(bottom or 1) != 0:
            return float(Fraction(int(top), int(bottom or 1)))
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        if isinstance(raw, str) and _plain(raw):
            got = _("the text {text}; write the number without quotes").format(text=json.dumps(raw))
        elif isinstance(raw, str):
            got = _not_a_number(raw, json.dumps(raw, ensure_ascii=False))
        elif isinstance(raw, dict):
            got = _('a table; quote names that contain dots, e.g. "E.total" = 0.2984')
        else:
            got = (
                json.dumps(raw)
                if isinstance(raw, bool)
                else inputs.shown(raw)
                if isinstance(raw, list)
                else type(raw).__name__
            )
        raise SpecError(source, _('"{name}" must be a number, got {value}').format(name=name, value=got))
    try:
        value = float(raw)
    except OverflowError:
        value = math.inf
    if not math.isfinite(value):
        raise SpecError(
            source, _('"{name}" must be a finite number, got {value}').format(name=name, value=value)
        )
    return value
