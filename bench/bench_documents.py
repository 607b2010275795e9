"""Time ``tracer trace mazur --format md`` (in English and with ``--lang ko``) against the bare imports.

Run: ``python3 bench/bench_documents.py [repetitions]``. Each command runs as a fresh process,
the commands interleaved; the medians of wall-clock time and of CPU time (user + system, which a
busy machine disturbs less) are compared. Commands run with Python's bytecode caches on, as a
user's do (``bench/fresh.py``). The target is at most 1.5× the time of
``python -c "import sympy, numpy, jinja2"``, which dominates start-up.
"""

from __future__ import annotations

import resource
import statistics
import subprocess
import sys
import time

from fresh import environment

COMMANDS = {
    "imports": [sys.executable, "-c", "import sympy, numpy, jinja2"],
    "trace md": [sys.executable, "-m", "tracer", "trace", "mazur", "--format", "md"],
    "trace term": [sys.executable, "-m", "tracer", "trace", "mazur", "--format", "term"],
    "trace md ko": [sys.executable, "-m", "tracer", "trace", "mazur", "--format", "md", "--lang", "ko"],
}


def run(command: list[str]) -> tuple[float, float]:
    """Return the wall-clock and CPU seconds of one run of ``command``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=environment())
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main(repetitions: int = 9) -> None:
    """Print the median times of each command and the ratios of the documents to the imports."""
    wall: dict[str, list[float]] = {name: [] for name in COMMANDS}
    cpu: dict[str, list[float]] = {name: [] for name in COMMANDS}
    for command in COMMANDS.values():
        run(command)  # warm the file cache, the bytecode caches and Jinja's compiled templates once
    for _ in range(repetitions):
        for name, command in COMMANDS.items():
            seconds, used = run(command)
            wall[name].append(seconds)
            cpu[name].append(used)
    medians = {name: (statistics.median(wall[name]), statistics.median(cpu[name])) for name in COMMANDS}
    for name, (seconds, used) in medians.items():
        print(f"{name:<11} median {seconds:.3f} s wall, {used:.3f} s CPU over {repetitions} runs")
    base_wall, base_cpu = medians["imports"]
    for name in ("trace md", "trace term", "trace md ko"):
        seconds, used = medians[name]
        ratios = f"{seconds / base_wall:.2f} wall, {used / base_cpu:.2f} CPU"
        print(f"{name} / imports = {ratios} (target for md, English and Korean: ≤ 1.5)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 9)
