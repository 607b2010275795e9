"""`tracer train` on the command line: the report in each format, its pictures, its errors."""

import json
import re

import pytest

from tracer import load_spec
from tracer.cli import main
from tracer.optimizers import parse_optimizer


def run(capsys, *argv: str) -> tuple[int, str, str]:
    status = main(["train", *argv])
    out, err = capsys.readouterr()
    return status, out, err


def test_terminal_report_in_a_pipe_is_plain(capsys):
    status, out, err = run(capsys, "basins", "--steps", "60", "--learning-rates", "1,10,30")
    assert status == 0 and err == ""  # no progress shown: stderr is not a terminal
    assert "η = 1: converged" in out and "η = 10: oscillating" in out and "η = 30: converged" in out
    assert "settled clearly higher than η = 30" in out
    assert "tracer trace basins" in out
    chart = out[out.index("\nC\n") :]
    assert "●" not in chart and "*" in chart


def test_markdown_report_writes_its_pictures_beside_it(capsys, tmp_path):
    target = tmp_path / "xor-rates.md"
    status, out, _ = run(
        capsys, "xor", "--steps", "200", "--learning-rates", "2,500", "--format", "md", "-o", str(target)
    )
    assert status == 0 and out == ""
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == [
        "xor-rates-descent.png",
        "xor-rates-descent.svg",
        "xor-rates-loss.png",
        "xor-rates-loss.svg",
        "xor-rates.md",
    ]
    text = target.read_text(encoding="utf-8")
    assert "](xor-rates-loss.svg)" in text and "](xor-rates-descent.svg)" in text
    assert "- $\\eta = 500$: saturated" in text
    assert "`tracer trace xor`" in text
    assert "--watch 'W[2][1][1],W[2][1][2]'" in text  # quoted for the shell


def test_html_report_is_one_page_with_its_plots_inside(capsys, tmp_path):
    target = tmp_path / "xor.html"
    status, out, _ = run(
        capsys, "xor", "--steps", "50", "--optimizers", "gd,adam", "--format", "html", "-o", str(target)
    )
    assert status == 0 and out == "" and [p.name for p in tmp_path.iterdir()] == ["xor.html"]
    page = target.read_text(encoding="utf-8")
    main = page[page.index("<main") : page.index("</main>")]
    assert main.count("<svg") == 2 and "<?xml" not in main and "<img" not in main
    ids = re.findall(r' id="([^"]+)"', page)
    assert ids and len(ids) == len(set(ids))  # the two plots share no id
    assert not re.search(r"(src|href)=\"https?:", page)
    assert "<code>tracer trace xor</code>" in page and '<span class="math">\\beta_{1} = 0.9' in page


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_terminal_report_fits_60_and_80_columns(lang):
    from tracer.i18n import speaking
    from tracer.terminal import display_width
    from tracer.train.model import train
    from tracer.train.render import render_term

    optimizers = [parse_optimizer(name) for name in ("gd", "adam")]
    with speaking(lang):
        training = train(load_spec("xor"), 100, [0.5, 5.0], source="xor", optimizers=optimizers)
        for width in (60, 80):
            text = render_term(training, width=width)
            wide = [line for line in text.splitlines() if display_width(line) > width]
            assert not wide, (width, wide)
            assert "\\\n    --optimizers" in text or width == 80  # the command breaks, and still pastes


def test_markdown_to_stdout_has_no_pictures(capsys):
    status, out, _ = run(capsys, "neuron", "--steps", "30", "--format", "md")
    assert status == 0 and "![" not in out and out.startswith("# Training: One neuron")


def test_json_report(capsys, tmp_path):
    status, out, _ = run(
        capsys,
        "xor",
        "--steps",
        "40",
        "--batch",
        "2",
        "--seed",
        "5",
        "--format",
        "json",
        "--plots",
        str(tmp_path / "p"),
    )
    document = json.loads(out)
    assert status == 0 and document["batch"] == 2 and document["seed"] == 5
    (only,) = document["runs"]
    assert len(only["losses"]) == 41 and only["verdict"]["kind"] in ("converged", "too slow", "oscillating")
    assert [p["rounded"] for p in only["predictions"]] != []
    assert document["pictures"] == [
        str(tmp_path / f"p-{n}") for n in ("loss.png", "loss.svg", "descent.png", "descent.svg")
    ]
    assert (tmp_path / "p-loss.png").is_file()


def test_a_run_that_overflows_is_json_null_not_inf(capsys):
    status, out, _ = run(capsys, "relu", "--steps", "200", "--learning-rates", "10", "--format", "json")
    losses = json.loads(out)["runs"][0]["losses"]
    assert status == 0 and losses[-1] is None and json.loads(out)["runs"][0]["verdict"]["kind"] == "diverging"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["xor", "--watch", "W[3][1][1]"], "--watch: W[3][1][1] is not in this 2-2-1 network"),
        (["xor", "--watch", "z[1][1]"], '--watch: "z[1][1]" is not a weight or bias id'),
        (["xor", "--watch", "W[1][1][1],W[1][1][2],b[1][1]"], "--watch: give one or two parameter ids"),
        (["nosuchpreset"], 'no file or preset named "nosuchpreset"'),
    ],
)
def test_bad_input_says_what_to_fix(capsys, argv, message):
    status, out, err = run(capsys, *argv, "--steps", "3")
    assert status == 2 and out == "" and message in err and "Traceback" not in err


@pytest.mark.parametrize(
    ("option", "value"), [("--batch", "0"), ("--learning-rates", "0,1"), ("--steps", "0")]
)
def test_bad_options_are_refused_by_the_parser(capsys, option, value):
    with pytest.raises(SystemExit) as exit_info:
        main(["train", "xor", option, value])
    assert exit_info.value.code == 2 and option in capsys.readouterr().err


def test_one_sample_is_not_all_1_samples(tmp_path):
    path = tmp_path / "one.md"
    assert main(["train", "mazur", "--steps", "5", "--format", "md", "-o", str(path)]) == 0
    text = path.read_text(encoding="utf-8")
    assert "5 steps of gradient descent on the 1 sample, each step" in text and "all 1 samples" not in text
    assert (
        main(["train", "mazur", "--steps", "5", "--optimizers", "gd,adam", "--format", "md", "-o", str(path)])
        == 0
    )
    assert "all 1 samples" not in path.read_text(encoding="utf-8")


def test_a_minibatch_comparison_of_optimizers_states_their_hyper_parameters(tmp_path):
    # With --batch the report said how the samples were taken but not which optimizer took each
    # step, nor its β, ε, μ: every hyper-parameter a run used is stated in every report.
    path = tmp_path / "batch.md"
    command = ["train", "xor", "--steps", "8", "--batch", "1", "--optimizers", "momentum,adam"]
    assert main([*command, "--format", "md", "-o", str(path)]) == 0
    text = path.read_text(encoding="utf-8")
    assert "Each run's optimizer turns the gradient into the step: momentum ($\\mu = 0.9$" in text
    assert "$\\beta_{1} = 0.9$, $\\beta_{2} = 0.999$" in text
