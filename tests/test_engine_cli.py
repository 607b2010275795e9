"""The commands around the engine: presets, show-spec, ids, the JSON shape, determinism, drawn weights."""

from __future__ import annotations

import contextlib
import json
import os
import stat
import subprocess
import sys
import threading
import tomllib
from importlib import resources

import pytest

from tracer import load_spec, trace
from tracer.cli import main
from tracer.ids import parse
from tracer.spec import from_dict, preset_names

QUANTITY_KEYS = {
    "id",
    "symbol_latex",
    "symbol_text",
    "formula_latex",
    "substituted_latex",
    "value",
    "depends_on",
}
DRAWN = {
    "layers": [3, 4, 2],
    "activations": "tanh",
    "learning_rate": 0.1,
    "seed": 7,
    "init_range": [-0.5, 0.25],
    "init_decimals": 3,
    "samples": [{"x": [0.1, 0.2, 0.3], "y": [0.5, -0.5]}],
}


def run(capsys, *argv: str) -> str:
    assert main(list(argv)) == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    return captured.out


def test_presets_lists_every_preset_file_with_its_title(capsys):
    files = sorted(
        p.name[:-5] for p in (resources.files("tracer") / "presets").iterdir() if p.name.endswith(".toml")
    )
    assert files == preset_names() and "mazur" in files
    lines = run(capsys, "presets").splitlines()
    assert [line.split()[0] for line in lines] == files
    for name, line in zip(files, lines, strict=True):
        title = tomllib.loads(
            (resources.files("tracer") / "presets" / f"{name}.toml").read_text(encoding="utf-8")
        )["title"]
        assert line.endswith(title)


@pytest.mark.parametrize("name", preset_names())
def test_show_spec_prints_toml_that_loads_to_the_same_spec(capsys, name):
    text = run(capsys, "show-spec", name)
    assert from_dict(tomllib.loads(text)) == load_spec(name)


def test_show_spec_of_an_unknown_preset_suggests_the_nearest(capsys):
    assert main(["show-spec", "mazr"]) == 2
    err = capsys.readouterr().err
    assert err.splitlines() == ['tracer: preset: no preset "mazr"; did you mean "mazur"?']


@pytest.mark.parametrize("name", ["mazur", "xor", "softmax"])
def test_ids_lists_every_quantity_with_its_symbol(capsys, name):
    rows = [line.split() for line in run(capsys, "ids", name).splitlines()]
    result = trace(load_spec(name))
    assert [row[0] for row in rows] == [q.id for q in result.quantities]
    assert all(len(row) >= 2 and parse(row[0]) is not None for row in rows)
    symbols = {row[0]: row[1] for row in rows}
    if name == "mazur":  # Mazur's own names
        assert (
            symbols["W[2][1][1]"] == "w₅" and symbols["z[1][1]"] == "netₕ₁" and symbols["a[2][2]"] == "outₒ₂"
        )
    if name == "xor":
        assert symbols["a[0][2]#3"] == "x⁽³⁾₂"


@pytest.mark.parametrize("name", ["mazur", "xor", "relu"])
@pytest.mark.parametrize("notation", ["nielsen", "ng", "mazur"])
def test_json_output_has_the_documented_shape(tmp_path, capsys, name, notation):
    out = tmp_path / "t.json"
    run(capsys, "trace", name, "--notation", notation, "--format", "json", "-o", str(out))
    document = json.loads(out.read_text(encoding="utf-8"))
    assert set(document) == {"spec", "quantities"}
    spec = load_spec(name, notation)
    assert from_dict(document["spec"]) == spec
    result = trace(spec)
    assert [q["id"] for q in document["quantities"]] == [q.id for q in result.quantities]
    earlier: set[str] = set()
    for entry, q in zip(document["quantities"], result.quantities, strict=True):
        assert set(entry) >= QUANTITY_KEYS
        assert entry["value"] == q.value  # full float64, not the printed digits
        assert isinstance(entry["symbol_latex"], str) and isinstance(entry["symbol_text"], str)
        assert entry["symbol_latex"] and entry["symbol_text"]
        assert set(entry["depends_on"]) <= earlier
        if q.given:
            assert entry["formula_latex"] is None and entry["substituted_latex"] is None
        elif q.formula is not None:
            assert isinstance(entry["formula_latex"], str) and isinstance(entry["substituted_latex"], str)
        earlier.add(entry["id"])


def test_json_to_stdout_is_the_same_as_to_a_file(tmp_path, capsys):
    out = tmp_path / "t.json"
    run(capsys, "trace", "softmax", "--format", "json", "-o", str(out))
    assert run(capsys, "trace", "softmax", "--format", "json") == out.read_text(encoding="utf-8")


def test_output_is_byte_identical_across_processes(tmp_path):
    # Different hash seeds: nothing may depend on set or dict order of strings.
    spec = tmp_path / "drawn.json"
    spec.write_text(json.dumps({**DRAWN, "samples": DRAWN["samples"] * 2}), encoding="utf-8")
    processes = []
    for source in ("softmax", str(spec)):
        for seed in ("1", "2"):
            target = tmp_path / f"{os.path.basename(source)}.{seed}.json"
            command = [sys.executable, "-m", "tracer", "trace", source, "--format", "json", "-o", str(target)]
            env = {**os.environ, "PYTHONHASHSEED": seed}
            processes.append((target, subprocess.Popen(command, env=env, stderr=subprocess.PIPE)))
    for _, process in processes:
        _, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
    contents = [target.read_bytes() for target, _ in processes]
    for first, second in zip(contents[::2], contents[1::2], strict=True):
        assert first == second and len(first) > 1000


def test_omitted_weights_are_drawn_reproducibly_from_the_seed():
    spec = from_dict(DRAWN)
    assert spec == from_dict(json.loads(json.dumps(DRAWN)))
    assert spec != from_dict({**DRAWN, "seed": 8})
    low, high = DRAWN["init_range"]
    numbers = [w for matrix in spec.weights for row in matrix for w in row] + [
        b for bs in spec.biases for b in bs
    ]
    assert len(numbers) == 4 * 3 + 4 + 2 * 4 + 2
    assert all(low <= v <= high and round(v, 3) == v for v in numbers)
    assert len(set(numbers)) > len(numbers) // 2  # drawn, not a constant
    assert [len(m) for m in spec.weights] == [4, 2] and [len(m[0]) for m in spec.weights] == [3, 4]
    whole = from_dict({**DRAWN, "init_decimals": 0, "init_range": [-3, 3]})
    assert all(float(w).is_integer() for m in whole.weights for row in m for w in row)


def test_given_weights_are_kept_and_only_the_biases_drawn():
    weights = [[[0.1, 0.2, 0.3]] * 4, [[0.5, 0.5, 0.5, 0.5]] * 2]
    spec = from_dict({**DRAWN, "weights": weights})
    assert [[list(r) for r in m] for m in spec.weights] == weights
    assert spec.biases == from_dict({**DRAWN, "weights": weights}).biases
    low, high = DRAWN["init_range"]
    assert all(low <= b <= high for bs in spec.biases for b in bs)


def test_drawn_weights_are_written_into_the_json_spec(tmp_path, capsys):
    source = tmp_path / "drawn.json"
    source.write_text(json.dumps(DRAWN), encoding="utf-8")
    out = tmp_path / "t.json"
    run(capsys, "trace", str(source), "--format", "json", "-o", str(out))
    written = json.loads(out.read_text(encoding="utf-8"))["spec"]
    assert from_dict(written) == load_spec(str(source))
    again = trace(from_dict(written))
    assert again.values == trace(load_spec(str(source))).values


def test_output_to_a_pipe_writes_into_it_and_leaves_it_a_pipe(tmp_path, capsys):
    # Like -o /dev/null: a file that is not a regular file is written to, never replaced.
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    try:
        assert main(["trace", "neuron", "--format", "json", "-o", str(fifo)]) == 0
    finally:
        reader.join(timeout=10)
        if reader.is_alive():  # nothing opened the pipe for writing: unblock the reader, never block
            with contextlib.suppress(OSError):  # no reader left either: nothing to unblock
                os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
            reader.join(timeout=10)
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe"]
    assert json.loads(received[0])["quantities"][0]["id"] == "a[0][1]"


@pytest.mark.parametrize(
    ("argv", "names"),
    [
        (["trace", "mazur", "--decimals", "99"], "--decimals"),
        (["trace"], "SPEC_OR_PRESET"),
        (["bogus"], "COMMAND"),
        (["check", "mazur", "answers.toml", "--rtol", "0.1", "--decimals", "3"], "--decimals"),
    ],
)
def test_a_command_line_mistake_is_one_line_with_exit_status_2(capsys, argv, names):
    with pytest.raises(SystemExit) as stop:
        main(argv)
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and names in err and "Traceback" not in err
