"""Issue 14, one test per reproduction: nothing lost, nothing half-written, no traceback, no hang.

Every refusal is exit status 2 with exactly one line on stderr, and leaves every file as it was.
Most runs are in-process (``tracer.cli.main``); signals and time-outs run a fresh process.
"""

from __future__ import annotations

import errno
import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tracer import output
from tracer.cli import main
from tracer.documents import pdf
from tracer.documents.publish import FORMATS
from tracer.errors import SpecError
from tracer.output import FORMATS as OUTPUT_FORMATS
from tracer.output import MANIFEST
from tracer.spec import preset_text

SIGMOID_BCE_1000 = """
layers = [1, 1]
activations = "sigmoid"
loss = "binary_cross_entropy"
learning_rate = 0.5
weights = [[[1000.0]]]
biases = [[0.0]]
[[samples]]
x = [1.0]
y = [0.0]
"""


def run(capsys, *argv: str) -> tuple[int, str, str]:
    """Return the exit status, stdout and stderr of ``tracer ARGV`` run in-process."""
    try:
        status = main(list(argv))
    except SystemExit as stop:  # argparse's own refusals
        status = stop.code
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def refused(capsys, *argv: str) -> str:
    """Return the one line of a refusal, asserting exit status 2 and nothing on stdout."""
    status, out, err = run(capsys, *argv)
    assert status == 2, err
    assert out == "" and err.count("\n") == 1 and err.startswith("tracer"), err
    assert "Traceback" not in err
    return err


def snapshot(folder: Path) -> dict[str, bytes]:
    """Return every file under ``folder`` (hidden ones too) by relative path."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def mazur_spec(tmp_path) -> Path:
    path = tmp_path / "my.toml"
    path.write_text(preset_text("mazur"), encoding="utf-8")
    return path


@pytest.fixture
def homework(tmp_path) -> Path:
    path = tmp_path / "hw.toml"
    path.write_text("out_h1 = 0.5933\nnet_h1 = 0.3775\n", encoding="utf-8")
    return path


# ── Data loss and wrong results ─────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    "argv",
    [
        ["trace", "{spec}", "--format", "json", "-o", "{spec}"],
        ["train", "{spec}", "--steps", "3", "-o", "{spec}"],
        ["train", "{spec}", "--steps", "3", "--format", "md", "--plots", "{stem}", "-o", "x.md"],
        ["check", "{spec}", "{homework}", "-o", "{spec}"],
        ["check", "mazur", "{homework}", "-o", "{homework}"],
    ],
)
def test_an_output_that_is_an_input_is_refused_and_the_input_kept(
    capsys, tmp_path, monkeypatch, mazur_spec, homework, argv
):
    monkeypatch.chdir(tmp_path)
    stem = str(mazur_spec.with_suffix(""))
    (tmp_path / "my-loss.png").symlink_to(mazur_spec)  # --plots my: a picture would land on the spec
    before = snapshot(tmp_path)
    words = [w.format(spec=mazur_spec, homework=homework, stem=stem) for w in argv]
    assert "is an input of this command" in refused(capsys, *words)
    assert snapshot(tmp_path) == before


def test_a_handout_over_its_own_spec_is_refused(capsys, tmp_path):
    folder = tmp_path / "hv"
    assert run(capsys, "handout", "mazur", "--variants", "2", "-o", str(folder))[0] == 0
    before = snapshot(tmp_path)
    first, second = (str(folder / f"variant-0{k}-spec.toml") for k in (1, 2))
    line = refused(capsys, "handout", first, "--variants", "2", "-o", str(folder))
    assert "is an input of this command" in line
    line = refused(capsys, "handout", second, "--variants", "1", "-o", str(folder))
    assert "input of this command and would be removed" in line
    assert snapshot(tmp_path) == before


def test_a_handout_refuses_a_folder_with_other_files_unless_forced(capsys, tmp_path):
    folder = tmp_path / "class"
    folder.mkdir()
    (folder / "README.md").write_text("the teacher's own notes\n", encoding="utf-8")
    line = refused(capsys, "handout", "mazur", "--variants", "1", "-o", str(folder))
    assert "not a handout of tracer's (README.md)" in line and "--force" in line
    assert snapshot(folder) == {"README.md": b"the teacher's own notes\n"}
    assert run(capsys, "handout", "mazur", "--variants", "1", "-o", str(folder), "--force")[0] == 0
    assert "variant-01-spec.toml" in snapshot(folder)


def test_a_previous_handout_is_replaced_exactly_stale_files_removed(capsys, tmp_path):
    folder = tmp_path / "hv"
    assert run(capsys, "handout", "mazur", "--variants", "3", "-o", str(folder))[0] == 0
    assert "variant-03-spec.toml" in snapshot(folder)
    assert run(capsys, "handout", "mazur", "--variants", "2", "-o", str(folder))[0] == 0
    files = snapshot(folder)
    listed = json.loads(files.pop(MANIFEST))["files"]
    assert sorted(files) == listed and not any(name.startswith("variant-03") for name in files)
    # Making one variant again keeps the others (and the manifest still lists them all).
    assert run(capsys, "handout", "mazur", "--variant", "1", "-o", str(folder))[0] == 0
    again = snapshot(folder)
    assert json.loads(again.pop(MANIFEST))["files"] == listed and again == files


def test_a_failed_write_leaves_no_file_and_restores_what_it_replaced(capsys, tmp_path, monkeypatch):
    folder = tmp_path / "hv"
    assert run(capsys, "handout", "mazur", "--variants", "1", "-o", str(folder))[0] == 0
    before = snapshot(tmp_path)
    calls = []
    real = os.replace

    def full_disk_on_the_fifth_rename(source, target):
        calls.append(target)
        if len(calls) == 5:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(source, target)

    monkeypatch.setattr(output.os, "replace", full_disk_on_the_fifth_rename)
    line = refused(capsys, "handout", "mazur", "--variants", "1", "--seed", "9", "-o", str(folder))
    assert "No space left on device" in line
    monkeypatch.setattr(output.os, "replace", real)
    assert snapshot(tmp_path) == before  # the previous handout, whole; no temporary folder left
    fresh = tmp_path / "new"

    def broken_disk(path, content):
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(output, "_write", broken_disk)
    refused(capsys, "train", "xor", "--steps", "5", "--format", "md", "-o", str(tmp_path / "t.md"))
    refused(capsys, "handout", "mazur", "--variants", "1", "-o", str(fresh))
    assert snapshot(tmp_path) == before and not fresh.exists()


def test_markdown_never_overwrites_its_own_diagram(capsys, tmp_path):
    line = refused(capsys, "trace", "mazur", "--format", "md", "-o", str(tmp_path / "x.svg"))
    assert "written beside it; give -o x.md" in line
    assert list(tmp_path.iterdir()) == []


def test_an_infinite_starting_cost_gets_the_same_refusal_from_every_command(capsys, tmp_path):
    spec = tmp_path / "bce.toml"
    spec.write_text(SIGMOID_BCE_1000, encoding="utf-8")
    lines = {
        refused(capsys, "trace", str(spec)),
        refused(capsys, "train", str(spec), "--steps", "5"),
        refused(capsys, "train", str(spec), "--steps", "5", "--format", "md", "-o", str(tmp_path / "t.md")),
        refused(capsys, "ids", str(spec)),
    }
    assert len(lines) == 1 and "would need ln(0)" in lines.pop()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bce.toml"]


def test_watching_one_parameter_twice_is_refused(capsys):
    line = refused(capsys, "train", "xor", "--steps", "5", "--watch", "W[1][1][1],W[1][1][1]")
    assert "W[1][1][1] is named twice" in line


# ── No traceback ────────────────────────────────────────────────────────────────────────────


def test_a_flat_cost_surface_is_drawn(capsys, tmp_path):
    spec = tmp_path / "flat.toml"
    spec.write_text(preset_text("neuron").replace("x = [1.5]", "x = [1000.0]"), encoding="utf-8")
    report = f"{tmp_path}/n.md"
    status, _, err = run(capsys, "train", str(spec), "--steps", "20", "--format", "md", "-o", report)
    assert status == 0 and err == ""  # no matplotlib warning either
    assert (tmp_path / "n-descent.svg").read_bytes().startswith(b"<?xml")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["train", "xor", "--seed", "-1"], "--seed: must be a whole number from 0 to"),
        (["train", "xor", "--steps", "99999999999999999999999"], "--steps: must be a whole number from 1 to"),
        (["train", "xor", "--steps", "1000000000000"], "--steps: must be a whole number from 1 to"),
        (["train", "xor", "--steps", "many"], "--steps: must be a whole number"),
        (["handout", "mazur", "--variants", "x", "-o", "h"], "--variants: must be a whole number"),
        (["trace", "mazur", "--decimals", "-3"], "--decimals: must be a whole number from 0 to 15"),
    ],
)
def test_bad_options_are_one_line_without_internal_names(capsys, argv, message):
    line = refused(capsys, *argv)
    assert message in line and "invalid" not in line and "_steps" not in line


UNWRITABLE = ["/proc/self/x", "/dev/full", "/tmp/" + "n" * 300]


@pytest.mark.parametrize("target", UNWRITABLE)
@pytest.mark.parametrize(
    "argv",
    [
        ["trace", "neuron", "--format", "json", "-o"],
        ["trace", "neuron", "--format", "md", "-o"],
        ["train", "neuron", "--steps", "3", "-o"],
        ["check", "mazur", "{homework}", "-o"],
        ["handout", "mazur", "--variants", "1", "-o"],
    ],
)
def test_an_unwritable_output_is_one_line_in_every_subcommand(capsys, homework, argv, target):
    words = [w.format(homework=homework) for w in argv]
    suffix = ".md" if "md" in words and target.startswith("/tmp") else ""
    refused(capsys, *words, target + suffix)


def test_reports_write_every_writer_or_nothing(capsys, tmp_path, monkeypatch):
    from tracer import reports

    def broken():
        raise SpecError("preset", "a writer that fails")

    first = lambda: {"a.md": "a\n", "sub/b.md": "b\n"}  # noqa: E731
    monkeypatch.setattr(reports, "WRITERS", (first, broken))
    assert "a writer that fails" in refused(capsys, "reports", str(tmp_path))
    assert list(tmp_path.iterdir()) == []
    monkeypatch.setattr(reports, "WRITERS", (first,))
    assert run(capsys, "reports", str(tmp_path))[0] == 0
    assert snapshot(tmp_path) == {"a.md": b"a\n", "sub/b.md": b"b\n"}


@pytest.mark.parametrize("target", ["/proc/self", "/dev/full"])
def test_reports_into_an_unwritable_folder_is_one_line(capsys, monkeypatch, target):
    from tracer import reports

    monkeypatch.setattr(reports, "WRITERS", (lambda: {"a.md": "a\n"},))
    refused(capsys, "reports", target)


def test_a_huge_initial_range_is_refused(capsys, tmp_path):
    spec = tmp_path / "wide.toml"
    spec.write_text(
        'layers = [2, 1]\nactivations = "sigmoid"\nlearning_rate = 0.5\ninit_range = [-1e308, 1e308]\n'
        "[[samples]]\nx = [1.0, 2.0]\ny = [1.0]\n",
        encoding="utf-8",
    )
    assert "init_range: high − low is beyond float64" in refused(capsys, "trace", str(spec))


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("digits.toml", "out_h1 = " + "9" * 5000 + "\n", "not valid TOML"),
        ("digits.json", '{"out_h1": ' + "9" * 5000 + "}", "not valid JSON"),
        ("deep.json", "[" * 100_000 + "]" * 100_000, "nested too deeply"),
        ("deep.toml", "x = " + "[" * 100_000 + "]" * 100_000 + "\n", "nested too deeply"),
        ("twice.json", '{"out_h1": 0.5933, "out_h1": 0.9}', '"out_h1" is given twice'),
    ],
)
def test_absurd_answer_files_are_one_line(capsys, tmp_path, name, text, message):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    assert message in refused(capsys, "check", "mazur", str(path))


def test_a_json_spec_with_a_key_twice_is_refused(capsys, tmp_path):
    spec = tmp_path / "twice.json"
    spec.write_text('{"layers": [1, 1], "layers": [2, 2]}', encoding="utf-8")
    assert '"layers" is given twice' in refused(capsys, "trace", str(spec))


def test_an_answer_file_with_a_byte_order_mark_is_read(capsys, tmp_path):
    path = tmp_path / "bom.toml"
    path.write_bytes("\ufeffnet_h1 = 0.3775\n".encode())
    status, out, err = run(capsys, "check", "mazur", str(path))
    assert status == 0 and "correct" in out and err == ""


# ── No hang, no silent wait ─────────────────────────────────────────────────────────────────


def test_a_named_pipe_is_refused_not_waited_on(capsys, tmp_path):
    fifo = tmp_path / "fifo.toml"
    os.mkfifo(fifo)
    assert "is not a regular file" in refused(capsys, "check", "mazur", str(fifo))
    assert "is not a regular file" in refused(capsys, "trace", str(fifo))


def test_a_folder_is_refused_as_a_spec(capsys):
    assert "'/etc' is a folder; give a file" in refused(capsys, "ids", "/etc")


def test_hopeless_draws_fail_after_a_hundred(capsys, tmp_path, monkeypatch):
    from tracer.handout import model

    spec = tmp_path / "saturated.toml"
    saturated = "\n[randomize]\nweights = {low = 40.0, high = 50.0, step = 1.0}\n"
    spec.write_text(preset_text("mazur") + saturated, encoding="utf-8")
    draws = []
    real = model.draw_spec
    monkeypatch.setattr(model, "draw_spec", lambda *args: draws.append(1) or real(*args))
    line = refused(capsys, "handout", str(spec), "--variants", "30", "-o", str(tmp_path / "h"))
    assert "no good exercise in 100 draws, mostly rejected as saturated" in line
    assert len(draws) == 100  # not 30 variants × 2000 draws
    assert not (tmp_path / "h").exists()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["train", "xor", "--steps", "10000000"], "would take about"),
        (["train", "xor", "--steps", "10", "--plots", "/nonexistent/p"], "does not exist"),
    ],
)
def test_limits_are_met_before_any_work(capsys, monkeypatch, argv, message):
    def never(*args, **kwargs):
        raise AssertionError("the training started")

    monkeypatch.setattr("tracer.train.model.train", never)
    assert message in refused(capsys, *argv)


def test_long_titles_and_many_samples_are_refused_up_front(capsys, tmp_path):
    spec = tmp_path / "long.toml"
    spec.write_text(preset_text("neuron").replace('title = "', 'title = "' + "x" * 100_000), encoding="utf-8")
    assert "title: 100" in refused(capsys, "train", str(spec))
    many = tmp_path / "many.json"
    samples = [{"x": [0.5], "y": [0.5]}] * 101
    network = {"layers": [1, 1], "activations": "sigmoid", "learning_rate": 1, "samples": samples}
    many.write_text(json.dumps(network), encoding="utf-8")
    assert "a worked example shows at most 100" in refused(capsys, "trace", str(many))


@pytest.mark.parametrize(
    ("layers", "format"), [([2, 200, 2], "pdf"), ([1] * 101, "tex"), ([2, 161, 1], "pdf")]
)
def test_a_network_too_large_for_a_tex_page_is_refused_before_tex_runs(
    capsys, tmp_path, monkeypatch, layers, format
):
    def never(*args, **kwargs):
        raise AssertionError("the work started")

    for name in ("tracer.cli.trace", "tracer.handout.model.make_handout", "tracer.documents.pdf._run"):
        monkeypatch.setattr(name, never)
    spec = tmp_path / "large.json"
    network = {"layers": layers, "activations": "sigmoid", "learning_rate": 0.5}
    network["samples"] = [{"x": [0.5] * layers[0], "y": [0.5] * layers[-1]}]
    spec.write_text(json.dumps(network), encoding="utf-8")
    for command in (["trace", str(spec)], ["handout", str(spec), "--variants", "1"]):
        line = refused(capsys, *command, "--format", format, "-o", f"{tmp_path}/out.{format}")
        assert "does not fit on a TeX page" in line
    assert sorted(p.name for p in tmp_path.iterdir()) == ["large.json"]


def test_the_picture_title_is_one_short_line():
    from dataclasses import replace

    from tracer.spec import load_spec
    from tracer.train.model import train
    from tracer.train.plots import TITLE, _title

    shown = _title(train(replace(load_spec("neuron"), title="A very long title " * 10), 2))
    assert len(shown) == TITLE and shown.endswith("…") and "\n" not in shown


# ── Signals and time-outs: a fresh process ──────────────────────────────────────────────────


def fake_tex(folder: Path, seconds: int) -> dict[str, str]:
    """Return an environment whose pdflatex writes its pid into ``folder``/pid and sleeps."""
    bin_folder = folder / "bin"
    bin_folder.mkdir()
    script = bin_folder / "pdflatex"
    script.write_text(f'#!/bin/sh\necho $$ > "{folder}/pid"\nexec sleep {seconds}\n', encoding="utf-8")
    script.chmod(0o755)
    return {**os.environ, "PATH": f"{bin_folder}:{os.environ['PATH']}", "TMPDIR": str(folder)}


def wait_for(path: Path, seconds: float = 60) -> None:
    end = time.monotonic() + seconds
    while not path.exists() or not path.read_text().strip():
        assert time.monotonic() < end, f"{path} never appeared"
        time.sleep(0.1)


def start(command: list[str], **options) -> subprocess.Popen:
    """Start ``command`` as a terminal would, with Ctrl-C's signal at its default.

    A shell without job control starts background jobs with SIGINT ignored, and a child inherits
    that: the test would then say nothing about tracer when the suite itself runs in the background.
    """
    return subprocess.Popen(command, stderr=subprocess.PIPE, text=True, preexec_fn=_default_ctrl_c, **options)


def _default_ctrl_c() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def test_sigterm_during_a_pdf_stops_tex_and_removes_the_temporary_folder(tmp_path):
    environment = fake_tex(tmp_path, 120)
    command = [sys.executable, "-m", "tracer", "trace", "mazur", "--format", "pdf", "-o", f"{tmp_path}/x.pdf"]
    process = start(command, env=environment)
    wait_for(tmp_path / "pid")
    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 143 and err == ""
    assert gone(int((tmp_path / "pid").read_text()))
    assert not list(tmp_path.glob("tracer-pdf-*")) and not (tmp_path / "x.pdf").exists()


def test_ctrl_c_during_a_pdf_is_quiet_exit_130(tmp_path):
    environment = fake_tex(tmp_path, 120)
    command = [sys.executable, "-m", "tracer", "trace", "mazur", "--format", "pdf", "-o", f"{tmp_path}/x.pdf"]
    process = start(command, env=environment)
    wait_for(tmp_path / "pid")
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130 and err == ""
    assert gone(int((tmp_path / "pid").read_text())) and not list(tmp_path.glob("tracer-pdf-*"))


def test_ctrl_c_during_a_long_training_is_quiet_exit_130(tmp_path):
    command = [
        sys.executable,
        "-m",
        "tracer",
        "train",
        "xor",
        "--steps",
        "1000000",
        "-o",
        f"{tmp_path}/t.txt",
    ]
    process = start(command)
    warning = process.stderr.readline()  # the estimate comes before the training starts
    assert "this training will take about" in warning
    time.sleep(1)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130 and err == ""
    assert list(tmp_path.iterdir()) == []


def test_a_tex_run_past_its_time_limit_is_one_line(capsys, tmp_path, monkeypatch):
    environment = fake_tex(tmp_path, 60)
    monkeypatch.setenv("PATH", environment["PATH"])
    monkeypatch.setattr(pdf, "TEX_SECONDS", 1)
    line = refused(capsys, "trace", "neuron", "--format", "pdf", "-o", str(tmp_path / "n.pdf"))
    assert "ran longer than 1 seconds" in line
    assert gone(int((tmp_path / "pid").read_text())) and not (tmp_path / "n.pdf").exists()


# ── Clear messages ──────────────────────────────────────────────────────────────────────────


def test_overflow_messages_name_their_cause(capsys, tmp_path):
    text = preset_text("mazur")
    target = tmp_path / "target.toml"
    target.write_text(text.replace("y = [0.01, 0.99]", "y = [1e300, 0.99]"), encoding="utf-8")
    assert "the target y[1] = 1e300 makes the cost overflow" in refused(capsys, "trace", str(target))
    rate = tmp_path / "rate.toml"
    rate.write_text(
        'layers = [1, 1]\nactivations = "identity"\nlearning_rate = 1e200\n'
        "weights = [[[1.0]]]\nbiases = [[0.0]]\n[[samples]]\nx = [1.0]\ny = [3.0]\n",
        encoding="utf-8",
    )
    line = refused(capsys, "trace", str(rate))
    assert "use a smaller learning rate" in line and "smaller weights or inputs" not in line


def test_an_output_under_a_file_says_the_file_is_a_file(capsys, mazur_spec):
    line = refused(capsys, "trace", "mazur", "--format", "json", "-o", f"{mazur_spec}/x.json")
    assert f"'{mazur_spec}' is a file, not a folder" in line


def test_large_numbers_print_in_scientific_notation(capsys):
    status, out, _ = run(capsys, "train", "xor", "--steps", "3", "--learning-rates", "1e30")
    assert status == 0 and "1e30" in out and "1000000000000000019884624838656" not in out


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_handout_shows_its_draws_on_a_terminal(capsys, tmp_path, monkeypatch):
    stream = Terminal()
    monkeypatch.setattr(sys, "stderr", stream)
    assert main(["handout", "mazur", "--variants", "2", "-o", str(tmp_path / "h")]) == 0
    shown = stream.getvalue()
    assert "drawing variant 1 of 2: 1 draw so far" in shown and "drawing variant 2 of 2" in shown
    assert shown.endswith("\r\033[K")  # the line is cleared before the summary


def test_progress_counts_the_steps_asked_for(capsys, tmp_path, monkeypatch):
    stream = Terminal()
    monkeypatch.setattr(sys, "stderr", stream)
    report = str(tmp_path / "t.txt")
    assert (
        main(
            [
                "train",
                "xor",
                "--steps",
                "300",
                "--learning-rates",
                "0.5,2",
                "--watch",
                "W[2][1][1]",
                "-o",
                report,
            ]
        )
        == 0
    )
    shown = stream.getvalue()
    # The descent picture reads the paths of the training run, so the steps asked are all there is.
    assert "training: 600 of 600 steps" in shown
    assert "of 1200" not in shown and "drawing the descent" not in shown


def test_dash_writes_a_text_format_to_standard_output(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    status, out, _ = run(capsys, "trace", "neuron", "--format", "json", "-o", "-")
    assert status == 0 and json.loads(out)["quantities"]
    status, out, _ = run(capsys, "train", "neuron", "--steps", "3", "--format", "md", "-o", "-")
    assert status == 0 and out.startswith("# Training")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("format", FORMATS)
def test_every_trace_format_to_a_terminal_is_written_or_refused_in_one_line(capsys, monkeypatch, format):
    stream = Terminal()
    monkeypatch.setattr(sys, "stdout", stream)
    status = main(["trace", "neuron", "--format", format])
    err = capsys.readouterr().err
    if OUTPUT_FORMATS[format].terminal:
        assert status == 0 and stream.getvalue() and err == ""
    else:
        assert status == 2 and stream.getvalue() == "" and len(err.splitlines()) == 1
