"""Answer files for ``tracer check``: names in every notation, loose spellings, and bad input."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from check_students import computed, work, write

from tracer import load_spec, trace
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
