"""``tracer check`` on the command line: exit status, the three formats, folders, README's example."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from check_students import computed, work, write

from tracer import load_spec, trace
from tracer.check.grading import check
from tracer.check.render import render_term
from tracer.cli import main
from tracer.documents.prose import markdown_escape

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def mazur():
    return trace(load_spec("mazur"))


@pytest.fixture
def class_folder(mazur, tmp_path):
    """Return a folder of three students: all right, one early slip, rounded at 4 decimals."""
    folder = tmp_path / "answers"
    folder.mkdir()
    write(folder, "alice.toml", computed(mazur, work(mazur), names="notation"))
    write(folder, "bob.toml", computed(mazur, work(mazur, {"z[1][2]": 0.05}, decimals=4)))
    (folder / "carol.json").write_text(json.dumps(computed(mazur, work(mazur, decimals=4))), encoding="utf-8")
    (folder / "notes.txt").write_text("not an answer file", encoding="utf-8")
    return folder


def run(capsys, *argv: str) -> tuple[int, str, str]:
    status = main(["check", *argv])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_exit_status_0_all_right_1_any_wrong(mazur, tmp_path, capsys):
    right = write(tmp_path, "right.toml", {"out_h1": 0.5933, "w5+": 0.3589})
    assert run(capsys, "mazur", str(right))[0] == 0
    wrong = write(tmp_path, "wrong.toml", {"out_h1": 0.5933, "w5+": 0.3689})
    assert run(capsys, "mazur", str(wrong))[0] == 1
    carried = write(tmp_path, "carried.toml", {"net_h1": 0.4775, "out_h1": 0.6172})
    status, out, _ = run(capsys, "mazur", str(carried))
    assert status == 1
    assert "carried forward from netₕ₁" in out


def test_a_folder_is_checked_file_by_file(class_folder, capsys):
    status, out, err = run(capsys, "mazur", str(class_folder), "--format", "json")
    assert status == 1
    assert err == ""
    document = json.loads(out)
    files = {Path(f["file"]).name: f for f in document["files"]}
    assert list(files) == ["alice.toml", "bob.toml", "carol.json"]
    assert files["alice.toml"]["all_correct"]
    assert files["carol.json"]["all_correct"]
    assert files["bob.toml"]["first_wrong"] == "z[1][2]"
    assert document["exit_status"] == 1


def test_a_bad_file_in_a_folder_is_named_and_the_rest_are_checked(class_folder, capsys):
    (class_folder / "dave.toml").write_text("out_h3 = 0.5\n", encoding="utf-8")
    status, out, err = run(capsys, "mazur", str(class_folder))
    assert status == 2
    hint = '"out_h3" is not a quantity of this network; did you mean "out_h1"?'
    assert err == f"tracer: {class_folder / 'dave.toml'}: {hint}\n"
    assert out.count("Checked against") == 3


def test_json_gives_every_field_per_answer(mazur, tmp_path, capsys):
    answers = computed(mazur, work(mazur, {"z[2][1]": -0.6}, decimals=4), names="notation")
    path = write(tmp_path, "answers.toml", answers)
    status, out, _ = run(capsys, "mazur", str(path), "--format", "json", "--rounded", "4")
    assert status == 1
    document = json.loads(out)
    assert document["rounded"] == 4
    assert document["tolerance"] == {"decimals": 4, "rtol": None}
    marks = {a["id"]: a for a in document["files"][0]["answers"]}
    wrong, carried, right = marks["z[2][1]"], marks["a[2][1]"], marks["z[1][1]"]
    assert wrong["status"] == "wrong" and wrong["root"] == "z[2][1]"
    assert wrong["name"] == "net_o1"
    assert wrong["expected"] == pytest.approx(1.105905967)
    assert wrong["difference"] == pytest.approx(wrong["given"] - wrong["expected"])
    assert wrong["formula_latex"].startswith("w_{5}")
    assert "0.593269992" in wrong["substituted_latex"]
    assert carried["status"] == "carried_forward" and carried["root"] == "z[2][1]"
    assert carried["yours_latex"] == r"\sigma{\left(0.5059 \right)}"
    assert right["status"] == "correct" and right["matched"] == "exact"
    assert right["formula_latex"] is None
    assert "rounded_expected" in right


def test_markdown_feedback_sheet(mazur, tmp_path, capsys):
    answers = computed(mazur, work(mazur, {"z[2][1]": -0.6}, decimals=4), names="notation")
    path = write(tmp_path, "answers.toml", answers)
    status, out, _ = run(capsys, "mazur", str(path), "--format", "md")
    assert status == 1
    assert out.startswith(f"## Feedback on {markdown_escape(str(path))}")
    assert "The first wrong step is $\\mathrm{net}_{o1}$ (net\\_o1)." in out
    assert "| ↪ | $\\mathrm{out}_{o1}$ |" in out
    assert "carried forward from $\\mathrm{net}_{o1}$" in out
    assert "&= \\sigma{\\left(0.5059 \\right)} \\\\\n&= 0.623844848" in out


def test_one_sheet_per_student_into_a_folder(class_folder, tmp_path, capsys):
    sheets = tmp_path / "sheets"
    sheets.mkdir()
    status, out, _ = run(capsys, "mazur", str(class_folder), "--format", "md", "-o", str(sheets))
    assert status == 1
    assert out == ""
    assert sorted(p.name for p in sheets.iterdir()) == ["alice.md", "bob.md", "carol.md"]
    assert "## Feedback on" in (sheets / "bob.md").read_text(encoding="utf-8")


def test_rtol_and_decimals_options(mazur, tmp_path, capsys):
    path = write(tmp_path, "answers.toml", {"out_h1": 0.59327})
    assert run(capsys, "mazur", str(path), "--rtol", "1e-5")[0] == 0
    assert run(capsys, "mazur", str(path), "--rtol", "1e-9")[0] == 1
    assert run(capsys, "mazur", str(path), "--decimals", "5")[0] == 0
    assert run(capsys, "mazur", str(path), "--decimals", "9")[0] == 1
    with pytest.raises(SystemExit):
        main(["check", "mazur", str(path), "--rtol", "1e-3", "--decimals", "3"])
    assert "not allowed with argument" in capsys.readouterr().err


def test_help_states_the_default_tolerance(capsys):
    with pytest.raises(SystemExit):
        main(["check", "--help"])
    assert "(default: 4)" in capsys.readouterr().out


def test_colour_only_when_asked(mazur, tmp_path, capsys):
    path = write(tmp_path, "answers.toml", {"out_h1": 0.5933, "net_o1": 2.0})
    result = check(mazur, path)
    assert "\033[" not in render_term(result, colour=False)
    assert "\033[31m" in render_term(result, colour=True)
    _, out, _ = run(capsys, "mazur", str(path))  # captured output is not a terminal
    assert "\033[" not in out


def _readme_example() -> tuple[str, str, str]:
    section = (ROOT / "README.md").read_text(encoding="utf-8").split("## Checking homework", 1)[1]
    section = section.split("\n## ", 1)[0]
    answers = re.search(r"```toml\n(.*?)```", section, re.S)[1]
    command, output = re.search(r"```console\n\$ (.*?)\n(.*?)```", section, re.S).groups()
    return answers, command, output


def test_readme_example_is_the_real_output(tmp_path, monkeypatch, capsys):
    answers, command, output = _readme_example()
    (tmp_path / "homework.toml").write_text(answers, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    words = command.split()
    assert words[:2] == ["tracer", "check"]
    assert main(words[1:]) == 1
    assert capsys.readouterr().out == output
