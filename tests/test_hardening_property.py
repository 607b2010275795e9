"""Random mutations of every preset through every subcommand: a clean exit, one line, no leftovers.

For each mutated spec (a key removed, a value replaced by something odd: a huge or tiny number,
NaN, text, a list, an empty table) every subcommand must exit 0, 1 or 2; for 2 say one line on
stderr and leave no file; never raise (a traceback); and leave its input files as they were.
"""

from __future__ import annotations

import contextlib
import io
import json
import shutil
import tempfile
import tomllib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracer.cli import main
from tracer.spec import preset_names, preset_text

NUMBERS = st.one_of(
    st.floats(-10, 10),
    st.sampled_from([0.0, 1e-300, 1e15, 1e30, -1e200, 1e300, 700.0, -745.0]),
    st.integers(-2, 1000),
)
ODD = st.one_of(
    st.integers(-3, 6),
    st.sampled_from([0, -1, 10**30, 1e308, -1e308, 1e-320, float("nan"), float("inf"), 0.5, 1000.0]),
    st.floats(allow_nan=True, allow_infinity=True, width=64),
    st.text(max_size=6),
    st.booleans(),
    st.lists(st.integers(-2, 4), max_size=3),
    st.builds(list),
    st.builds(dict),
    st.builds(lambda: [[1.0, 2.0], [3.0]]),  # fresh objects: a mutation never makes a cycle
)


def _paths(value, prefix=()):
    """Yield the path of every key and list item in a spec, e.g. ("samples", 0, "x", 1)."""
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, item in items:
        yield (*prefix, key)
        yield from _paths(item, (*prefix, key))


@st.composite
def mutated_specs(draw) -> dict:
    """Return a preset as data with one to three random mutations."""
    spec = tomllib.loads(preset_text(draw(st.sampled_from(preset_names()))))
    for _ in range(draw(st.integers(1, 3))):
        paths = list(_paths(spec))
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        *above, last = path
        parent = spec
        for key in above:
            parent = parent[key]
        number = isinstance(parent[last], int | float) and not isinstance(parent[last], bool)
        if number and draw(st.booleans()):  # keep the shape, change the number: the spec may still run
            parent[last] = draw(NUMBERS)
        elif draw(st.booleans()) and isinstance(parent, dict):
            del parent[last]
        else:
            parent[last] = draw(ODD)
    return spec


def _run(argv: list[str]) -> tuple[int, str]:
    """Return the exit status and stderr of ``tracer ARGV`` run in-process (stdout discarded)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            status = main(argv)
        except SystemExit as stop:
            status = stop.code
    return status, err.getvalue()


COMMANDS = {
    "trace-term": ["trace", "{spec}", "-o", "{out}/t.txt"],
    "trace-md": ["trace", "{spec}", "--format", "md", "-o", "{out}/t.md"],
    "trace-tex": ["trace", "{spec}", "--format", "tex", "-o", "{out}/t.tex"],
    "trace-json": ["trace", "{spec}", "--format", "json"],
    "ids": ["ids", "{spec}"],
    "check": ["check", "{spec}", "{answers}", "--format", "json", "-o", "{out}/c.json"],
    "handout": ["handout", "{spec}", "--variants", "2", "-o", "{out}/h"],
    "train": ["train", "{spec}", "--steps", "5", "--format", "md", "-o", "{out}/r.md"],
}
if shutil.which("pdflatex") or shutil.which("latexmk"):
    COMMANDS["trace-pdf"] = ["trace", "{spec}", "--format", "pdf", "-o", "{out}/t.pdf"]


@pytest.mark.parametrize("command", COMMANDS)
@settings(max_examples=6, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(spec=mutated_specs())
def test_a_mutated_spec_gets_a_clean_answer_from_every_subcommand(command, spec):
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        source, answers, out = base / "spec.json", base / "answers.toml", base / "out"
        source.write_text(json.dumps(spec), encoding="utf-8")
        answers.write_text("C = 0.3\n", encoding="utf-8")
        out.mkdir()
        inputs = {path: path.read_bytes() for path in (source, answers)}
        argv = [w.format(spec=source, answers=answers, out=out) for w in COMMANDS[command]]
        status, err = _run(argv)
        assert status in (0, 1, 2), err
        assert "Traceback" not in err
        if status == 2:
            assert err.count("\n") == 1 and err.startswith("tracer"), err
            assert list(out.iterdir()) == [], "a refused run left files behind"
        assert {path: path.read_bytes() for path in inputs} == inputs
