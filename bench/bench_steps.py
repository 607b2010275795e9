"""Time the worked example of several steps, ``tracer trace SPEC --steps N``, in every format.

Run: ``python3 bench/bench_steps.py [repetitions]``. The spec is Mazur's network with Adam
(η = 0.01, ``reports/adam-mazur``); each command runs as a fresh process, the commands
interleaved, and the least CPU time (user + system) of the repetitions is kept (the steadiest
figure on a shared machine), with its wall-clock time. For each format the script prints the
time of 1, 3 and 10 steps and what each step after the first adds, as a share of the one-step
document: a later step shows fewer blocks than step 1 (no derivation, no matrix form), so it
should cost well under a whole document.
"""

from __future__ import annotations

import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from fresh import environment

FORMATS = ("json", "md", "term", "tex", "html")
STEPS = (1, 3, 10)
SPEC = """notation = "mazur"
layers = [2, 2, 2]
activations = "sigmoid"
learning_rate = 0.01
update_biases = false
weights = [[[0.15, 0.2], [0.25, 0.3]], [[0.4, 0.45], [0.5, 0.55]]]
biases = [[0.35, 0.35], [0.6, 0.6]]
[optimizer]
name = "adam"
[[samples]]
x = [0.05, 0.1]
y = [0.01, 0.99]
"""


def run(command: list[str]) -> tuple[float, float]:
    """Return the wall-clock and CPU seconds of one run of ``command``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=environment())
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main(repetitions: int = 3) -> None:
    """Print the least CPU time of each format and number of steps, and the cost of a later step."""
    with tempfile.TemporaryDirectory() as folder:
        spec = Path(folder) / "adam.toml"
        spec.write_text(SPEC, encoding="utf-8")
        commands = {
            (format, steps): [
                sys.executable, "-m", "tracer", "trace", str(spec), "--steps", str(steps),
                "--format", format, "-o", str(Path(folder) / f"out.{format}"),
            ]
            for format in FORMATS
            for steps in STEPS
        }  # fmt: skip
        best: dict[tuple[str, int], tuple[float, float]] = {}
        for _ in range(repetitions):
            for key, command in commands.items():
                wall, cpu = run(command)
                if key not in best or cpu < best[key][1]:
                    best[key] = (wall, cpu)
    print(f"least of {repetitions} runs, CPU seconds (wall in brackets)")
    head = "".join(f"{f'{n} steps':>18}" for n in STEPS)
    print(f"{'format':<6}{head}  per later step")
    for format in FORMATS:
        cells = "".join(f"{best[format, n][1]:>9.2f} ({best[format, n][0]:5.2f})" for n in STEPS)
        one, many = best[format, 1][1], best[format, STEPS[-1]][1]
        later = (many - one) / (STEPS[-1] - 1)
        print(f"{format:<6}{cells}  {later:.3f} s = {later / one:.2f}× the one-step document")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
