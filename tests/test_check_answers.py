"""Answer files for ``tracer check``: names in every notation, loose spellings, and bad input."""

from __future__ import annotations

import tomllib
from types import SimpleNamespace

import pytest
from check_students import computed, work, write

from tracer import from_dict, load_spec, trace
from tracer.check.answers import Names, normalise, read_answers
from tracer.check.grading import CORRECT, check
from tracer.cli import main
from tracer.errors import SpecError
from tracer.ids import Ref
from tracer.notation import notation


@pytest.fixture(scope="module")
def mazur_names():
    return Names(trace(load_spec("mazur")), "mazur")


@pytest.mark.parametrize("preset", ["mazur", "xor", "softmax"])
@pytest.mark.parametrize("style", ["nielsen", "ng", "mazur"])
def test_notation_names_in_all_three_notations(preset, style, tmp_path):
    result = trace(load_spec(preset, style))
    values = work(result)
    exact = computed(result, values, names="notation")
    loose = {normalise(name): value for name, value in exact.items()}
    for answers in (exact, loose):
        outcome = check(result, write(tmp_path, "answers.toml", answers))
        assert outcome.exit_status == 0
        assert len(outcome.grades[0].marks) == len(exact)


@pytest.mark.parametrize(
    ("written", "ref"),
    [
        ("w5+", Ref("W'", 2, 1, 1)),
        ("w_5^+", Ref("W'", 2, 1, 1)),
        ("w_{5}^{+}", Ref("W'", 2, 1, 1)),
        ("out_h1", Ref("a", 1, 1)),
        ("outh1", Ref("a", 1, 1)),
        ("Out_H1", Ref("a", 1, 1)),
        ("E_total", Ref("C")),
        ("Etotal", Ref("C")),
        ("E_total^+", Ref("C'")),
        ("dE_total/dw_5", Ref("dC/dW", 2, 1, 1)),
        ("a[1][1]", Ref("a", 1, 1)),
        ("dC/dW[2][1][1]", Ref("dC/dW", 2, 1, 1)),
        ("W'[1][2][1]", Ref("W'", 1, 2, 1)),
        ("C", Ref("C")),
        ("C[1]", Ref("C_term", j=1)),
    ],
)
def test_mazur_names_and_canonical_ids(mazur_names, written, ref):
    assert mazur_names.resolve(written, "answers.toml") == ref


@pytest.mark.parametrize(
    ("style", "written", "ref"),
    [
        ("nielsen", "a^2_1", Ref("a", 1, 1)),
        ("nielsen", "a21", Ref("a", 1, 1)),
        ("nielsen", "w^3_12", Ref("W", 2, 1, 2)),
        ("nielsen", "delta^2_1", Ref("delta", 1, 1)),
        ("nielsen", "dC/dw^3_12", Ref("dC/dW", 2, 1, 2)),
        ("ng", "a^(2)_1", Ref("a", 1, 1)),
        ("ng", "W^(2)_12", Ref("W", 2, 1, 2)),
        ("ng", "J", Ref("C")),
    ],
)
def test_nielsen_and_ng_names(style, written, ref):
    names = Names(trace(load_spec("mazur", style)))
    assert names.resolve(written, "answers.toml") == ref


def test_a_loose_name_that_fits_two_quantities_is_refused():
    # Nielsen's a^2_11 (layer 1, neuron 11) and a^21_1 (layer 20, neuron 1) both loosen to a211.
    layers = (1, 11, *([1] * 19))
    naming = notation("nielsen").bind(layers)
    refs = [Ref("a", 1, 11), Ref("a", 20, 1)]
    quantities = [SimpleNamespace(ref=r, id=str(r)) for r in refs]
    names = Names(SimpleNamespace(quantities=quantities, naming=naming))
    assert names.resolve("a^2_11", "f.toml") == Ref("a", 1, 11)
    assert names.resolve("a^21_1", "f.toml") == Ref("a", 20, 1)
    with pytest.raises(SpecError, match=r'"a211" could be "a\^2_11" \(a\[1\]\[11\]\) or "a\^21_1"'):
        names.resolve("a211", "f.toml")


def test_unknown_name_suggests_the_nearest_one(tmp_path, capsys):
    path = write(tmp_path, "answers.toml", {"out_h3": 0.5})
    assert main(["check", "mazur", str(path)]) == 2
    err = capsys.readouterr().err
    assert err == f'tracer: {path}: "out_h3" is not a quantity of this network; did you mean "out_h1"?\n'


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            'out_h1 = "0.59"\n',
            '"out_h1" must be a number, got the text "0.59"; write the number without quotes',
        ),
        ("out_h1 = true\n", '"out_h1" must be a number, got true'),
        ("out_h1 = [0.5]\n", '"out_h1" must be a number, got [0.5]'),
        ("out_h1 = nan\n", '"out_h1" must be a finite number, got nan'),
        ("out_h1 = inf\n", '"out_h1" must be a finite number, got inf'),
        ("E.total = 0.3\n", '"E" must be a number, got a table'),
        ("", "empty file"),
        ("  \n\n", "empty file"),
        ("a[1][1] = 0.5\n", "not valid TOML"),
        ('out_h1 = 0.59\n"a[1][1]" = 0.59\n', '"out_h1" and "a[1][1]" both name a[1][1]'),
        ("xyzzy = 1\n", "`tracer ids mazur` lists the names"),
        ('"a[3][1]" = 1\n', '"a[3][1]" is not a quantity of this network; did you mean'),
    ],
)
def test_bad_answer_files_exit_2_with_one_line_naming_file_and_key(tmp_path, capsys, text, message):
    path = tmp_path / "answers.toml"
    path.write_text(text, encoding="utf-8")
    assert main(["check", "mazur", str(path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1
    assert captured.err.startswith(f"tracer: {path}: ")
    assert message in captured.err


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"a[1][1]": NaN}', '"a[1][1]" must be a finite number'),
        ("[0.5, 0.6]", "one table of names and numbers"),
        ('{"out_h1": 0.5933,}', "not valid JSON"),
        ("{}", "no answers"),
    ],
)
def test_bad_json_answer_files(tmp_path, capsys, text, message):
    path = tmp_path / "answers.json"
    path.write_text(text, encoding="utf-8")
    assert main(["check", "mazur", str(path)]) == 2
    assert message in capsys.readouterr().err


def test_json_answers_and_missing_files(tmp_path, capsys, mazur_names):
    path = tmp_path / "answers.json"
    path.write_text('{"out_h1": 0.5933, "w5+": 0.3589}', encoding="utf-8")
    sheet = read_answers(path, mazur_names)
    assert [a.name for a in sheet.answers] == ["out_h1", "w5+"]
    assert main(["check", "mazur", str(tmp_path / "nowhere.toml")]) == 2
    assert "no such file or folder" in capsys.readouterr().err
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["check", "mazur", str(empty)]) == 2
    assert "no .toml or .json answer files" in capsys.readouterr().err


def test_per_sample_names_of_a_batch(tmp_path):
    result = trace(load_spec("xor"))
    names = Names(result)
    assert names.resolve("a[1][1]#2", "f") == Ref("a", 1, 1, sample=2)
    assert names.resolve("a^2(2)_1", "f") == Ref("a", 1, 1, sample=2)
    outcome = check(result, write(tmp_path, "a.toml", {"a^2(2)_1": result["a[1][1]#2"].value}))
    assert outcome.grades[0].marks[0].status == CORRECT


@pytest.mark.parametrize(
    ("written", "ref"),
    [
        ("δₒ₁", Ref("delta", 2, 1)),  # as the terminal report prints it
        ("δ_o1", Ref("delta", 2, 1)),  # the Greek letter with the ASCII subscript
        ("w₅", Ref("W", 2, 1, 1)),
        ("w⁺₅", Ref("W'", 2, 1, 1)),
        ("w5⁺", Ref("W'", 2, 1, 1)),
        ("∂Eₜₒₜₐₗ/∂w₅", Ref("dC/dW", 2, 1, 1)),
        ("∂E_total/∂w5", Ref("dC/dW", 2, 1, 1)),
        ("E⁺ₜₒₜₐₗ", Ref("C'")),
        ("η", Ref("eta")),
    ],
)
def test_names_as_tracer_prints_them_in_unicode(mazur_names, written, ref):
    assert mazur_names.resolve(written, "answers.toml") == ref


def test_unicode_names_of_optimizer_state_and_steps(tmp_path):
    spec = {
        "notation": "mazur",
        "layers": [2, 2, 2],
        "activations": "sigmoid",
        "learning_rate": 0.01,
        "weights": [[[0.15, 0.2], [0.25, 0.3]], [[0.4, 0.45], [0.5, 0.55]]],
        "biases": [[0.35, 0.35], [0.6, 0.6]],
        "samples": [{"x": [0.05, 0.1], "y": [0.01, 0.99]}],
        "optimizer": {"name": "adam"},
    }
    adam = trace(from_dict(spec), steps=2)
    names = Names(adam)
    assert names.resolve("m̂(w₅)⁽ᵗ⁼²⁾", "f") == Ref("m_hat", 2, 1, 1, step=2)
    assert names.resolve("δₕ₁⁽ᵗ⁼²⁾", "f") == Ref("delta", 1, 1, step=2)
    nielsen = Names(trace(load_spec("xor")))
    assert nielsen.resolve("δ³⁽²⁾₁", "f") == Ref("delta", 2, 1, sample=2)
    assert nielsen.resolve("δ^3(2)_1", "f") == Ref("delta", 2, 1, sample=2)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("net_o1 = 1,1059", '"net_o1" must be a number, got 1,1059; write it as the number 1.1059'),
        ("out_h1 = 59.33%", '"out_h1" must be a number, got 59.33%; write it as the number 0.5933'),
        (
            "out_h1 = 1/2",
            '"out_h1" must be a number, got 1/2; write a fraction in quotes, "1/2", or the number 0.5',
        ),
        ("out_h1 = .5933", '"out_h1" must be a number, got .5933; write it as the number 0.5933'),
        ("out_h1 = \u22120.5", '"out_h1" must be a number, got \u22120.5; write it as the number -0.5'),
        ("out_h1 = 0.59 0.6", '"out_h1" must be a number, got 0.59 0.6; write a number, e.g. 0.5933'),
        ('net_o1 = "1,1059"', '"net_o1" must be a number, got "1,1059"; write it as the number 1.1059'),
        ('out_h1 = "abc"', '"out_h1" must be a number, got "abc"; write a number, e.g. 0.5933'),
        ("net_o1 =   # later", '"net_o1" has no number after =; write one, or leave the line out'),
        (
            'E_total = 0.2984\nnet_o1 = 1.1\n"E_total" = 0.3',
            '"E_total" is given twice (lines 1 and 3); give each answer once',
        ),
        ("δ_o1 = 0.1", "names with [ ] / ^ + ' or letters such as δ need quotes"),
    ],
)
def test_a_number_written_as_a_student_would_gets_the_fix(tmp_path, capsys, line, message):
    path = tmp_path / "answers.toml"
    path.write_text(line + "\n", encoding="utf-8")
    assert main(["check", "mazur", str(path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == f"tracer: {path}: {message}\n" or message in captured.err
    assert captured.err.count("\n") == 1
    assert not (tmp_path / "answers.md").exists()


def test_an_exact_handouts_answers_are_fractions_in_quotes(tmp_path, capsys):
    # An --exact sheet says "give your answers as fractions", but no answers file could hold one:
    # 3/2 is no TOML and "3/2" was refused as text.
    assert (
        main(
            ["handout", "relu", "--variants", "1", "--exact", "--hand-in", "file", "-o", str(tmp_path / "h")]
        )
        == 0
    )
    sheet = (tmp_path / "h" / "variant-01-exercise.md").read_text(encoding="utf-8")
    assert 'write your fraction in quotes after each = (e.g. "3/2")' in sheet
    key = tomllib.loads((tmp_path / "h" / "variant-01-answers.toml").read_text(encoding="utf-8"))
    fractions = {}
    for line in (tmp_path / "h" / "variant-01-answers.toml").read_text(encoding="utf-8").splitlines():
        if "#" in line and not line.startswith("#"):
            name, comment = line.split(" = ")[0].strip('"'), line.split("# ")[1]
            fractions[name] = comment
    assert any("/" in f for f in fractions.values()) and set(fractions) == set(key)
    answers = tmp_path / "student.toml"
    answers.write_text("".join(f'"{k}" = "{f}"\n' for k, f in fractions.items()), encoding="utf-8")
    assert main(["check", str(tmp_path / "h" / "variant-01-spec.toml"), str(answers)]) == 0
    capsys.readouterr()
