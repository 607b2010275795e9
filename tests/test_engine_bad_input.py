"""Bad input through the command line: exit status 2, one line naming the field, nothing written.

Every case is a malformed spec (or a missing one) given to ``tracer trace SPEC -o OUT``. The
answer must be exit status 2, exactly one line on stderr of the form ``tracer: FIELD: …``, no
traceback, nothing on stdout and no output file (not even a temporary one). Most cases run
in-process through ``tracer.cli.main``; a sample of them also as a real ``python -m tracer``.
"""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path

import pytest
from engine_networks import MAZUR_DATA

from tracer.cli import main

BASE_TOML = """layers = [2, 2, 2]
activations = "sigmoid"
loss = "quadratic"
learning_rate = 0.5
weights = [[[0.15, 0.2], [0.25, 0.3]], [[0.4, 0.45], [0.5, 0.55]]]
biases = [[0.35, 0.35], [0.6, 0.6]]

[[samples]]
x = [0.05, 0.1]
y = [0.01, 0.99]
"""
SOFTMAX_CE = {"activations": ["sigmoid", "softmax"], "loss": "cross_entropy"}


def spec(*drop: str, **changes) -> str:
    """Return the JSON text of Mazur's spec without the keys ``drop`` and with ``changes``."""
    data = copy.deepcopy(MAZUR_DATA)
    for key in drop:
        del data[key]
    data.update(changes)
    return json.dumps(data)


def sample(x=(0.05, 0.1), y=(0.01, 0.99), **more) -> list[dict]:
    return [{"x": list(x), "y": list(y), **more}]


# (case id, file name, file text, field the message must start with, fragment it must contain)
CASES = [
    ("missing layers", "s.json", spec("layers"), "layers", "missing"),
    ("missing activations", "s.json", spec("activations"), "activations", "missing"),
    ("missing learning rate", "s.json", spec("learning_rate"), "learning_rate", "missing"),
    ("missing samples", "s.json", spec("samples"), "samples", "missing"),
    ("layers as text", "s.json", spec(layers="2-2-2"), "layers", "[2, 2, 2]"),
    ("layer of 0 neurons", "s.json", spec(layers=[2, 0, 2]), "layers[1]", "≥ 1"),
    ("fractional neurons", "s.json", spec(layers=[2, 2.5, 2]), "layers[1]", "whole number"),
    ("absurdly large layer", "s.json", spec("weights", "biases", layers=[2, 10**8, 2]), "layers", "at most"),
    ("activations as a number", "s.json", spec(activations=3), "activations", "one name"),
    ("too few activations", "s.json", spec(activations=["sigmoid"]), "activations", "list of 2"),
    (
        "activation typo",
        "s.json",
        spec(activations=["sigmod", "tanh"]),
        "activations[1]",
        'did you mean "sigmoid"',
    ),
    (
        "activation typo for all",
        "s.json",
        spec(activations="sigmod"),
        "activations[1]",
        'did you mean "sigmoid"',
    ),
    ("activation not text", "s.json", spec(activations=["tanh", 1]), "activations[2]", "text"),
    (
        "softmax not at the output",
        "s.json",
        spec(activations=["softmax", "sigmoid"]),
        "activations[1]",
        "output",
    ),
    ("loss typo", "s.json", spec(loss="quadratc"), "loss", 'did you mean "quadratic"'),
    ("loss hyphen", "s.json", spec(loss="cross-entropy"), "loss", 'did you mean "cross_entropy"'),
    ("loss not text", "s.json", spec(loss=5), "loss", "text"),
    ("cross-entropy after tanh", "s.json", spec(activations="tanh", loss="cross_entropy"), "loss", "softmax"),
    (
        "binary cross-entropy after softmax",
        "s.json",
        spec(activations=["sigmoid", "softmax"], loss="binary_cross_entropy"),
        "loss",
        "sigmoid",
    ),
    ("learning rate 0", "s.json", spec(learning_rate=0), "learning_rate", "greater than 0"),
    ("negative learning rate", "s.json", spec(learning_rate=-0.5), "learning_rate", "greater than 0"),
    ("learning rate as text", "s.json", spec(learning_rate="fast"), "learning_rate", "number"),
    ("learning rate as a boolean", "s.json", spec(learning_rate=True), "learning_rate", "number"),
    ("whole number beyond float64", "s.json", spec(learning_rate=10**400), "learning_rate", "finite"),
    ("update_biases as text", "s.json", spec(update_biases="yes"), "update_biases", "true or false"),
    (
        "weight matrix 3×2 for 2→2",
        "s.json",
        spec(weights=[[[0.15, 0.2], [0.25, 0.3]], [[0.4, 0.45], [0.5, 0.55], [0.1, 0.2]]]),
        "weights[2]",
        "3×2 given, layers 2→2 need 2×2",
    ),
    (
        "one weight matrix for two layers",
        "s.json",
        spec(weights=[[[0.15, 0.2], [0.25, 0.3]]]),
        "weights",
        "give 2",
    ),
    (
        "weights not rows",
        "s.json",
        spec(weights=[[0.15, 0.2, 0.25, 0.3], [[0.4, 0.45], [0.5, 0.55]]]),
        "weights[1]",
        "rows",
    ),
    (
        "ragged weight rows",
        "s.json",
        spec(weights=[[[0.15, 0.2], [0.25, 0.3]], [[0.4, 0.45], [0.5]]]),
        "weights[2][2]",
        "1 number",
    ),
    (
        "weight as text",
        "s.json",
        spec(weights=[[[0.15, 0.2], [0.25, 0.3]], [["0.4", 0.45], [0.5, 0.55]]]),
        "weights[2][1][1]",
        "number",
    ),
    ("bias vector too short", "s.json", spec(biases=[[0.35], [0.6, 0.6]]), "biases[1]", "1 numbers given"),
    ("one bias vector for two layers", "s.json", spec(biases=[[0.35, 0.35]]), "biases", "give 2"),
    ("no samples", "s.json", spec(samples=[]), "samples", "at least one"),
    (
        "sample without y",
        "s.json",
        spec(samples=[{"x": [0.05, 0.1]}]),
        "samples[1]",
        "x (input) and y (target)",
    ),
    ("sample with an extra key", "s.json", spec(samples=sample(z=[1])), "samples[1]", "exactly the keys"),
    ("input of the wrong size", "s.json", spec(samples=sample(x=[0.05])), "samples[1].x", "needs 2"),
    ("target as text", "s.json", spec(samples=[{"x": [0.05, 0.1], "y": "0.01"}]), "samples[1].y", "list"),
    (
        "cross-entropy target above 1",
        "s.json",
        spec(**SOFTMAX_CE, samples=sample(y=[1.5, -0.5])),
        "samples[1].y[1]",
        "[0, 1]",
    ),
    (
        "softmax cross-entropy targets not adding up to 1",
        "s.json",
        spec(**SOFTMAX_CE, samples=sample(y=[0.5, 0.6])),
        "samples[1].y",
        "add up to 1",
    ),
    (
        "binary cross-entropy target below 0",
        "s.json",
        spec(loss="binary_cross_entropy", samples=sample(y=[0.5, -0.1])),
        "samples[1].y[2]",
        "[0, 1]",
    ),
    (
        "unknown top-level key",
        "s.json",
        spec(learning_rat=0.5),
        "learning_rat",
        'did you mean "learning_rate"',
    ),
    ("notation typo", "s.json", spec(notation="nelsen"), "notation", 'did you mean "nielsen"'),
    ("negative seed", "s.json", spec("weights", seed=-1), "seed", "≥ 0"),
    (
        "init range upside down",
        "s.json",
        spec("weights", init_range=[1, -1]),
        "init_range",
        "low must be below high",
    ),
    ("init decimals too many", "s.json", spec("weights", init_decimals=20), "init_decimals", "0 to 12"),
    ("leaky slope as text", "s.json", spec(leaky_relu_slope="small"), "leaky_relu_slope", "number"),
    ("title as a number", "s.json", spec(title=3), "title", "text"),
    (
        "overflow to inf",
        "s.json",
        spec(activations="identity", weights=[[[1e300, 0.2], [0.25, 0.3]], [[1e300, 0.45], [0.5, 0.55]]]),
        "samples[1]",
        "overflow",
    ),
    (
        "sigmoid output exactly 1 under binary cross-entropy",
        "s.json",
        spec(
            loss="binary_cross_entropy",
            weights=[[[0.15, 0.2], [0.25, 0.3]], [[80, 80], [0.5, 0.55]]],
            samples=sample(y=[0, 1]),
        ),
        "samples[1]",
        "ln(0)",
    ),
    (
        "JSON NaN",
        "s.json",
        spec().replace('"learning_rate": 0.5', '"learning_rate": NaN'),
        "learning_rate",
        "finite",
    ),
    ("JSON Infinity", "s.json", spec().replace("0.15", "Infinity"), "weights[1][1][1]", "finite"),
    ("JSON -Infinity", "s.json", spec().replace("0.35, 0.35", "-Infinity, 0.35"), "biases[1][1]", "finite"),
    ("invalid JSON", "s.json", spec()[:-5], "s.json", "not valid JSON"),
    ("JSON list, not a table", "s.json", "[1, 2, 3]", "s.json", "table"),
    (
        "JSON integer of 5000 digits",
        "s.json",
        spec().replace("0.5,", "1" + "0" * 5000 + ","),
        "s.json",
        "not valid JSON",
    ),
    (
        "TOML nan",
        "s.toml",
        BASE_TOML.replace("x = [0.05, 0.1]", "x = [nan, 0.1]"),
        "samples[1].x[1]",
        "finite",
    ),
    (
        "TOML inf",
        "s.toml",
        BASE_TOML.replace("learning_rate = 0.5", "learning_rate = inf"),
        "learning_rate",
        "finite",
    ),
    (
        "TOML -inf",
        "s.toml",
        BASE_TOML.replace("y = [0.01, 0.99]", "y = [-inf, 0.99]"),
        "samples[1].y[1]",
        "finite",
    ),
    ("invalid TOML", "s.toml", BASE_TOML.replace("loss = ", "loss == "), "s.toml", "not valid TOML"),
    (
        "TOML date for a number",
        "s.toml",
        BASE_TOML.replace("= 0.5", "= 1979-05-27"),
        "learning_rate",
        "number",
    ),
    ("empty file", "s.toml", "", "layers", "missing"),
    (
        "published number for no quantity",
        "s.toml",
        BASE_TOML.replace("[[samples]]", '[published]\n"a[3][1]" = "0.5"\n\n[[samples]]'),
        "published.a[3][1]",
        "not a quantity of this network",
    ),
    (
        "published number not a string",
        "s.toml",
        BASE_TOML.replace("[[samples]]", '[published]\n"a[1][1]" = 0.5\n\n[[samples]]'),
        "published.a[1][1]",
        "as a string",
    ),
    (
        "published id that is no id",
        "s.toml",
        BASE_TOML.replace("[[samples]]", '[published]\n"out_h1" = "0.5"\n\n[[samples]]'),
        "published.out_h1",
        "quantity id",
    ),
]


def run_in_process(capsys, argv: list[str]) -> tuple[int, str, str]:
    status = main(argv)
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def assert_refused(status: int, out: str, err: str, field: str, fragment: str, folder: Path) -> None:
    assert status == 2
    assert out == ""
    assert "Traceback" not in err
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith(f"tracer: {field}: "), lines[0]
    assert fragment in lines[0], lines[0]
    assert list(folder.iterdir()) == [], "an output (or temporary) file was written"


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_malformed_spec_is_refused_in_one_line(tmp_path, capsys, case):
    _, name, text, field, fragment = case
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    out_folder = tmp_path / "out"
    out_folder.mkdir()
    status, out, err = run_in_process(
        capsys, ["trace", str(path), "--format", "json", "-o", str(out_folder / "t.json")]
    )
    # A file that does not parse is named by its path.
    assert_refused(status, out, err, str(path) if field == name else field, fragment, out_folder)


def test_spec_that_is_not_utf8_is_refused(tmp_path, capsys):
    path = tmp_path / "latin1.toml"
    path.write_bytes('title = "café"\n'.encode("latin-1") + BASE_TOML.encode())
    out_folder = tmp_path / "out"
    out_folder.mkdir()
    status, out, err = run_in_process(capsys, ["trace", str(path), "-o", str(out_folder / "t.json")])
    assert_refused(status, out, err, str(path), "UTF-8", out_folder)


def test_spec_with_a_byte_order_mark_is_read(tmp_path, capsys):
    path = tmp_path / "bom.toml"
    path.write_bytes(b"\xef\xbb\xbf" + BASE_TOML.encode())
    status, _, err = run_in_process(capsys, ["trace", str(path), "-o", str(tmp_path / "t.json")])
    assert (status, err) == (0, "")


@pytest.mark.parametrize(
    ("source", "fragment"), [("no/such/spec.toml", "no file or preset"), ("mazr", "presets: ")]
)
def test_missing_file_or_preset_is_refused(tmp_path, capsys, source, fragment):
    status, out, err = run_in_process(capsys, ["trace", source, "-o", str(tmp_path / "t.json")])
    assert_refused(status, out, err, "spec", fragment, tmp_path)
    assert "mazur" in err  # the presets are listed


def test_output_into_a_missing_folder_is_refused(tmp_path, capsys):
    status, out, err = run_in_process(capsys, ["trace", "mazur", "-o", str(tmp_path / "nowhere" / "t.json")])
    assert_refused(status, out, err, "-o", "does not exist", tmp_path)


def test_output_onto_a_folder_is_refused(tmp_path, capsys):
    target = tmp_path / "folder"
    target.mkdir()
    status, out, err = run_in_process(capsys, ["trace", "mazur", "-o", str(target)])
    assert_refused(status, out, err, "-o", "folder", target)


def test_bad_input_through_a_real_process(tmp_path):
    # A real `python -m tracer`: exit status, stderr and files as a user sees them. The runs
    # go in parallel; each is a fresh interpreter.
    chosen = ["weight matrix 3×2 for 2→2", "JSON NaN", "invalid TOML", "overflow to inf"]
    runs = []
    for number, case in enumerate(c for c in CASES if c[0] in chosen):
        folder = tmp_path / str(number)
        folder.mkdir()
        path = folder / case[1]
        path.write_text(case[2], encoding="utf-8")
        (folder / "out").mkdir()
        command = [
            sys.executable,
            "-m",
            "tracer",
            "trace",
            str(path),
            "--format",
            "json",
            "-o",
            str(folder / "out" / "t.json"),
        ]
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        runs.append((case, path, folder / "out", process))
    missing = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tracer",
            "trace",
            str(tmp_path / "absent.toml"),
            "-o",
            str(tmp_path / "t.json"),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert len(runs) == len(chosen)
    for (_, name, _, field, fragment), path, out_folder, process in runs:
        out, err = process.communicate(timeout=120)
        assert_refused(
            process.returncode, out, err, str(path) if field == name else field, fragment, out_folder
        )
    out, err = missing.communicate(timeout=120)
    assert missing.returncode == 2 and out == "" and len(err.splitlines()) == 1
    assert err.startswith("tracer: spec: no file or preset") and not (tmp_path / "t.json").exists()
