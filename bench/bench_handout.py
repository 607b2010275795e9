"""Time handouts as the teacher runs them: 100 variants against one, and PDF against Markdown.

Run: ``python3 bench/bench_handout.py [repetitions] [md|pdf|both]`` (default 5, both). Every run
is the real command, ``tracer handout mazur --variants N --seed 1 --format F -o DIR``, as a fresh
process into a fresh temporary folder, the commands of one comparison alternating; the medians of
wall-clock time and of CPU time (user + system of the process and of the TeX runs it waits for,
which a busy machine disturbs less) are compared.

- ``md``: 100 variants against 1 in Markdown. A variant's cost is its draws, its trace and two
  Markdown documents, its SVG, answers and spec files; the derivation is done once per network
  shape. Target: at most 10×.
- ``pdf``: 30 and 100 variants as PDF against the same variants as Markdown. The combined sheets
  and keys are typeset once each (two TeX runs in parallel) and split per variant. Target: at
  most 3×.
"""

from __future__ import annotations

import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from fresh import environment


def run(variants: int, format: str = "md") -> tuple[float, float]:
    """Return the wall-clock and CPU seconds of one ``tracer handout`` run with this many variants."""
    with tempfile.TemporaryDirectory(prefix="bench-handout-") as folder:
        command = [sys.executable, "-m", "tracer", "handout", "mazur", "--variants", str(variants)]
        command += ["--seed", "1", "--format", format, "-o", str(Path(folder) / "out")]
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=environment())
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        files = len(list((Path(folder) / "out").iterdir()))
    per_variant = 5 if format == "md" else 4  # exercise, key, answers, spec (+ svg beside Markdown)
    assert files == per_variant * variants + 4, files  # + the 2 combined files, the index, the manifest
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def compare(runs: list[tuple[int, str]], repetitions: int) -> dict[tuple[int, str], tuple[float, float]]:
    """Return the median wall-clock and CPU seconds of each (variants, format), runs alternating."""
    wall: dict[tuple[int, str], list[float]] = {r: [] for r in runs}
    cpu: dict[tuple[int, str], list[float]] = {r: [] for r in runs}
    for _ in range(repetitions):
        for variants, format in runs:
            seconds, used = run(variants, format)
            wall[variants, format].append(seconds)
            cpu[variants, format].append(used)
    medians = {r: (statistics.median(wall[r]), statistics.median(cpu[r])) for r in runs}
    for (variants, format), (seconds, used) in medians.items():
        print(
            f"{variants:>3} variant{'' if variants == 1 else 's'} {format:>3}: median {seconds:.3f} s wall, "
            f"{used:.3f} s CPU over {repetitions} runs (fresh processes)"
        )
    return medians


def ratio(medians: dict, top: tuple[int, str], bottom: tuple[int, str], target: str) -> None:
    """Print the wall-clock and CPU ratios of two medians."""
    wall = medians[top][0] / medians[bottom][0]
    cpu = medians[top][1] / medians[bottom][1]
    names = f"{top[0]} {top[1]} / {bottom[0]} {bottom[1]}"
    print(f"{names} = {wall:.2f}× wall, {cpu:.2f}× CPU (target ≤ {target})")


def main(repetitions: int = 5, which: str = "both") -> None:
    """Print the medians and ratios of the comparisons asked for."""
    run(1)  # warm the file cache and Jinja's compiled templates once
    if which in ("md", "both"):
        medians = compare([(1, "md"), (100, "md")], repetitions)
        ratio(medians, (100, "md"), (1, "md"), "10×")
    if which in ("pdf", "both"):
        for variants in (30, 100):
            medians = compare([(variants, "md"), (variants, "pdf")], repetitions)
            ratio(medians, (variants, "pdf"), (variants, "md"), "3×")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5, sys.argv[2] if len(sys.argv) > 2 else "both")
