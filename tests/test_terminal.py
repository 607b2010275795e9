"""The terminal layout: display widths, prose and tables, and maths pictures fitted to the width.

Widths are checked by display width (``wcwidth``), not ``len()``: subscripts, combining marks and
Hangul. The whole worked example is run as ``tracer trace`` with ``COLUMNS`` set (not a TTY:
``shutil.get_terminal_size`` reads ``COLUMNS``), in process; one fresh process prints the same.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
import sympy as sp
from document_cases import PRESETS, rendered, traced

from tracer import from_dict, load_spec, trace
from tracer.cli import main
from tracer.display import Hadamard
from tracer.documents.blocks import Span
from tracer.documents.lesson import lesson
from tracer.documents.render import render_terminal
from tracer.documents.styles import PrettyStyle, typeset
from tracer.printing import DEFAULT_DECIMALS, MathPrinter
from tracer.terminal import beside, display_width, pad, table, wrap

NOTATIONS = ("nielsen", "ng", "mazur")
NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


def _printer(name: str = "mazur") -> MathPrinter:
    return MathPrinter(traced(name).naming)


# --- display width and the text helpers ---------------------------------------------------------


def test_display_width_counts_columns_not_characters():
    assert display_width("w²₁₂") == 4
    assert display_width("학습률") == 6  # a Hangul syllable takes two columns
    assert display_width("e\u0301") == 1  # a combining accent takes none
    assert display_width("\033[1;36mheading\033[0m") == 7  # colour codes take none
    assert display_width("ab\n학습") == 4  # the widest line


def test_pad_uses_display_width():
    assert pad("학습", 6) == "학습  "
    assert pad("δ²₁", 5, "right") == "  δ²₁"


def test_wrap_breaks_at_spaces_by_display_width_with_a_hanging_indent():
    text = "경사 하강법은 비용이 줄어드는 방향으로 가중치를 조금씩 움직인다"
    lines = wrap(text, 20, lead="• ").split("\n")
    assert lines[0].startswith("• 경사")
    assert all(line.startswith("  ") and not line.startswith("   ") for line in lines[1:])
    assert all(display_width(line) <= 20 for line in lines)
    assert " ".join(line[2:] for line in lines) == text  # every word kept, in order


def test_wrap_keeps_a_word_longer_than_the_line_whole():
    assert wrap("a 0.000000000001234 b", 8) == "a\n0.000000000001234\nb"


def test_table_pads_by_display_width_and_aligns_decimal_points():
    text = table([["단계", "비용"], ["10⁻¹", "0.25"], ["10⁻²", "-1.125"], ["h", "12"]])
    lines = text.split("\n")
    assert lines[0] == "단계  비용"
    points = {line.index(".") for line in lines[1:3]}
    assert len(points) == 1  # 0.25 and -1.125 have their points in one column
    assert lines[3].index("12") + 2 == points.pop()  # 12 ends where the others' points are
    assert lines[1].startswith("10⁻¹  ") and lines[3].startswith("h     ")


def test_beside_sets_pictures_on_a_shared_baseline():
    text, baseline = beside([("학습률 = ", 0), ("1\n─\n2", 1)])
    assert baseline == 1
    assert text.split("\n") == ["         1", "학습률 = ─", "         2"]


def test_typeset_measures_hangul_by_display_width():
    spans = [Span("학습률은 ", False), Span("1\n─\n2", True, 1), Span(" 이다.", False)]
    rows = typeset(spans, 40, "• ").split("\n")
    assert rows[1] == "• 학습률은 ─ 이다."
    assert rows[0].index("1") == display_width("• 학습률은 ")  # the numerator sits over the bar


# --- the printer: decimal points, the −1 factor -----------------------------------------------


def test_matrix_numbers_are_aligned_at_the_decimal_point():
    rows = _printer().pretty(sp.ImmutableMatrix([[0.5, 3.0], [-1.25, 0.75], [10.0, -2.0]])).split("\n")
    first, second, third = (row for row in rows if NUMBER.search(row))
    point = first.index(".")
    assert second.index(".") == point and third.index("10") + 2 == point  # 0.5, -1.25, 10
    assert first.rindex(" 3") + 2 == second.rindex(".") == third.rindex("-2") + 2  # 3, 0.75, -2


def test_a_factor_of_minus_one_is_shown_in_the_terminal():
    text = rendered("softmax", "term")
    assert "x₂⋅δ²₁ = -1⋅(-0.012602064) = 0.012602064" in text
    assert "x₂⋅δ²₃ = -1⋅0.092248682 = -0.092248682" in text


def test_a_negative_number_after_another_factor_is_in_parentheses_as_in_latex():
    # The chain rule's numbers ∂z/∂w⋅∂a/∂z⋅∂C/∂a printed 0.689974481⋅0.232933292⋅-1.261279219.
    x = sp.Symbol("x")
    printer = _printer()
    assert printer.pretty(sp.Mul(sp.Float(0.5), sp.Float(-1.25), evaluate=False)) == "0.5⋅(-1.25)"
    assert printer.pretty(sp.Mul(sp.Float(-0.5), x, evaluate=False)) == "-0.5⋅x"
    assert printer.pretty(sp.Mul(x, sp.Float(-1.2e-12), evaluate=False)) == "x⋅(-1.20⋅10⁻¹²)"
    assert "∂C/∂w³₁₁ = 0.689974481⋅0.232933292⋅(-1.261279219) = -0.202710308" in _one_one_one()


def _one_one_one() -> str:
    spec = {
        "layers": [1, 1, 1],
        "activations": "sigmoid",
        "loss": "sse",
        "learning_rate": 1.0,
        "weights": [[[0.8]], [[-1.5]]],
        "biases": [[0.0], [0.5]],
        "samples": [{"x": [1.0], "y": [1.0]}],
    }
    result = trace(from_dict(spec))
    return render_terminal(result, 9, 80, False)


def test_a_subscript_j_is_a_subscript_not_an_underscore():
    # SymPy has no subscript j: the softmax's definition and Jacobian read a_j, ∂aᵢ/∂z_j.
    printer = _printer()
    assert printer.pretty(sp.Symbol("a_j")) == "aⱼ"
    assert printer.pretty(sp.Symbol("z^(3)_j")) == "z⁽³⁾ⱼ"
    assert printer.pretty(sp.Symbol("a_i")) == "aᵢ"
    text = rendered("softmax", "term")
    assert "∂aᵢ/∂zⱼ = aⱼ⋅(1 - aⱼ)  for i = j;  -aᵢ⋅aⱼ  for i ≠ j" in text
    assert "_j" not in text


def test_mazurs_names_past_one_hidden_layer_are_subscripted_in_the_terminal():
    # A 2-2-2-1 network in Mazur's notation printed out_h1.1, b_h2.2 in the terminal.
    spec = {
        "notation": "mazur",
        "layers": [2, 2, 2, 1],
        "activations": "sigmoid",
        "loss": "quadratic",
        "learning_rate": 0.5,
        "weights": [[[0.1, 0.2], [0.3, 0.4]], [[0.5, 0.6], [0.7, 0.8]], [[0.9, 1.0]]],
        "biases": [[0.1, 0.1], [0.2, 0.2], [0.3]],
        "samples": [{"x": [1.0, 0.5], "y": [1.0]}],
    }
    text = render_terminal(trace(from_dict(spec)), 9, 80, False)
    assert "outₕ₁.₁ = σ(netₕ₁.₁)" in text and "bₕ₂.₂" in text
    assert not re.search(r"(out|net|b)_h", text)


def test_a_negation_is_still_a_minus_sign():
    x, y = sp.symbols("x y")
    printer = _printer()
    assert printer.pretty(-x) == "-x"
    assert printer.pretty(x - y) == "x - y"
    assert printer.pretty(-x * y) == "-x⋅y"


def test_a_drawn_number_is_not_moved_by_a_power_drawn_before_it():
    # SymPy raises the exponent it is handed for tanh(z)²; the printer's cache handed it its
    # own "2", and 2⋅(a − y) printed after it (the slope of sse) failed: IndexError.
    a, y, z = sp.symbols("a y z")
    printer = _printer()
    assert printer.pretty(1 - sp.tanh(z) ** 2) == "        2   \n1 - tanh (z)"
    assert printer.pretty(sp.Mul(2, a - y, evaluate=False)) == "2⋅(a - y)"


def test_a_tanh_network_with_the_squared_error_is_worked_out_in_the_terminal(tmp_path, capsys):
    spec = tmp_path / "tanh.toml"
    spec.write_text(
        'layers = [1, 1]\nactivations = "tanh"\nloss = "sse"\nlearning_rate = 0.1\n'
        "weights = [[[0.5]]]\nbiases = [[0.0]]\n[[samples]]\nx = [2.0]\ny = [0.0]\n"
    )
    assert main(["trace", str(spec), "--lang", "en"]) == 0
    assert "∂C/∂a²₁ = 2⋅(a²₁ - y₁) = 2⋅(0.761594156 - 0) = 1.523188312" in capsys.readouterr().out


def test_a_picture_drawn_before_is_not_moved_by_a_later_one():
    # SymPy sets tanh²'s exponent beside the function by moving the 2's baseline in place; the
    # printer draws each expression once, so a later 2 stood on a baseline it did not have, and
    # a tanh network with three outputs and the mse loss crashed in the terminal.
    z, a, y = sp.symbols("z a y")
    printer = _printer()
    assert printer.pretty(sp.tanh(z) ** 2) == "    2   \ntanh (z)"
    two_thirds = sp.Mul(sp.Rational(2, 3), a - y, evaluate=False)
    assert printer.pretty(two_thirds) == "2⋅(a - y)\n─────────\n    3    "
    spec = {
        "layers": [2, 1, 3],
        "activations": ["tanh", "tanh"],
        "loss": "mse",
        "learning_rate": 0.1,
        "samples": [{"x": [0.5, -0.25], "y": [0.1, 0.2, 0.3]}],
    }
    text = render_terminal(trace(from_dict(spec)), DEFAULT_DECIMALS, 80, colour=False)
    assert "tanh" in text


# --- fitting pictures to the width ---------------------------------------------------------------


def _numbers(text: str) -> list[str]:
    return NUMBER.findall(text)


def test_a_wide_sum_breaks_at_its_operators_never_inside_a_number():
    printer = _printer()
    values = [sp.Float(v) for v in (0.152133688, -0.107829316, 0.109531405, 0.133129669, 0.5, 0.25)]
    total = sp.Add(*[sp.UnevaluatedExpr(v) for v in values], evaluate=False)
    whole = printer.pretty(total)
    fitted = PrettyStyle(printer, 40).math(total)
    lines = fitted.split("\n")
    assert len(lines) > 1 and all(display_width(line) <= 40 for line in lines)
    assert all(line[:2] in ("+ ", "- ") for line in lines[1:])  # each continuation starts with its operator
    assert _numbers(fitted.replace("\n", " ")) == _numbers(whole)  # the same numbers, none cut


def test_a_wide_chain_continues_under_its_first_part_and_breaks_a_fraction_under_one_bar():
    steps = {s.id: s for s in lesson(traced("xor"), PrettyStyle(_printer("xor"), 56)).steps()}
    assert all(display_width(line) <= 56 for line in steps["z[1][1]#1"].equation.split("\n"))
    average = steps["C"]  # the batch cost, the average of four samples' costs
    lines = average.equation.split("\n")
    assert all(display_width(line) <= 56 for line in lines)
    bars = [line for line in lines if "─" * 10 in line]
    assert any(line.startswith("    = ") for line in bars)  # the numbers' fraction continues the chain
    assert any(line.lstrip().startswith("+ 0.") for line in lines)  # its numerator broken at a plus
    assert _numbers(average.equation.replace("\n", " ")).count("0.152133688") == 1


def test_a_wide_product_of_matrices_breaks_between_its_factors():
    style = PrettyStyle(_printer(), 40)
    u = sp.ImmutableMatrix([[0.138498562], [-0.038098237]])
    v = sp.ImmutableMatrix([[0.593269992, 0.596884378]])
    picture = style.math(Hadamard(u, u, v))
    assert all(display_width(line) <= 40 for line in picture.split("\n"))
    assert any(line.lstrip().startswith("⊙ ") for line in picture.split("\n")[1:])


def test_a_matrix_wider_than_the_width_is_shown_in_blocks_of_whole_columns():
    style = PrettyStyle(_printer(), 40)
    wide = sp.ImmutableMatrix([[0.1 * (i + j) - 0.55 for j in range(9)] for i in range(2)])
    picture = style.math(wide)
    assert all(display_width(line) <= 40 for line in picture.split("\n"))
    assert "columns 1–" in picture and "–9" in picture
    shown = sorted(float(n) for n in _numbers(picture.replace("columns", "")) if "." in n)
    assert shown == sorted(round(float(v), 9) for v in wide if round(float(v), 9) != int(v))


def _pictures(doc) -> list[str]:
    """Return every maths picture of a document: steps, displays, and the maths in sentences and tables."""
    pictures = []
    for section in doc.sections:
        for block in section.blocks:
            sentences = ()
            if block.kind == "steps":
                pictures += [step.equation for step in block.steps]
            elif block.kind == "equations":
                pictures.append(block.picture)
            elif block.kind == "paragraph":
                sentences = (block.spans,)
            elif block.kind == "bullets":
                sentences = block.items
            elif block.kind == "table":
                sentences = (*block.head, *(cell for row in block.rows for cell in row))
            pictures += [span.text for sentence in sentences for span in sentence if span.math]
    return pictures


@pytest.mark.parametrize("notation", NOTATIONS)
@pytest.mark.parametrize("name", PRESETS)
def test_every_picture_of_every_document_fits_sixty_columns(name, notation):
    # A 60-column terminal: pictures are indented by up to four columns.
    result = trace(load_spec(name, notation))
    doc = lesson(result, PrettyStyle(MathPrinter(result.naming), 56))
    wide = [line for text in _pictures(doc) for line in text.split("\n") if display_width(line) > 56]
    assert not wide


# --- the whole worked example, as a user runs it ------------------------------------------------


def _trace_output(name: str, notation: str, columns: int, monkeypatch, capsys) -> str:
    """Return what ``tracer trace`` prints with ``COLUMNS`` set (the command's own ``main``)."""
    monkeypatch.setenv("COLUMNS", str(columns))
    monkeypatch.setenv("NO_COLOR", "1")
    assert main(["trace", name, "--notation", notation]) == 0
    return capsys.readouterr().out


def test_trace_in_a_fresh_process_prints_what_the_command_prints_in_process(monkeypatch, capsys):
    # The width tests below run the command in process (42 fresh processes took a minute);
    # a fresh process, as a user runs it, prints the same bytes.
    env = {**os.environ, "COLUMNS": "60", "NO_COLOR": "1"}
    command = [sys.executable, "-m", "tracer", "trace", "softmax", "--notation", "ng"]
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=True)
    assert done.stdout == _trace_output("softmax", "ng", 60, monkeypatch, capsys)


@pytest.mark.parametrize("notation", NOTATIONS)
@pytest.mark.parametrize("name", PRESETS)
def test_trace_prints_no_line_wider_than_eighty_columns(name, notation, monkeypatch, capsys):
    lines = _trace_output(name, notation, 80, monkeypatch, capsys).split("\n")
    wide = [line for line in lines if display_width(line) > 80]
    assert len(lines) > 100
    assert not wide


@pytest.mark.parametrize("notation", NOTATIONS)
@pytest.mark.parametrize("name", PRESETS)
def test_trace_prints_no_line_wider_than_sixty_columns(name, notation, monkeypatch, capsys):
    lines = _trace_output(name, notation, 60, monkeypatch, capsys).split("\n")
    wide = [line for line in lines if display_width(line) > 60]
    assert len(lines) > 100
    assert not wide


HOMEWORK = "net_h1 = 0.3775\nnet_o1 = 0.7456\nout_o1 = 0.6782\nE_total = 0.3\n"


@pytest.mark.parametrize(
    "words",
    [["trace", "mazur"], ["check", "mazur", "HOMEWORK"], ["train", "xor", "--steps", "200"]],
    ids=["trace", "check", "train"],
)
def test_a_command_piped_into_a_pager_fits_the_terminal_standard_error_writes_to(words, tmp_path):
    # `tracer trace mazur | less` in a 60-column terminal: standard output is a pipe and COLUMNS
    # is not exported, so shutil.get_terminal_size said 80 and every long line wrapped.
    import fcntl
    import pty
    import struct
    import termios

    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 50, 60, 0, 0))
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    (tmp_path / "homework.toml").write_text(HOMEWORK, encoding="utf-8")
    words = ["homework.toml" if w == "HOMEWORK" else w for w in words]  # a path cannot wrap
    command = [sys.executable, "-m", "tracer", *words, "--lang", "en"]
    try:
        done = subprocess.run(
            command,
            stdout=subprocess.PIPE,
            stderr=follower,
            text=True,
            env={**env, "NO_COLOR": "1"},
            cwd=tmp_path,
        )
    finally:
        os.close(follower)
        os.close(leader)
    lines = done.stdout.split("\n")
    assert done.returncode in (0, 1) and len(lines) > 20  # check's 1: a wrong answer
    assert max(display_width(line) for line in lines) <= 60
    assert max(display_width(line) for line in lines) > 55
