"""Time a handout of 100 variants with their keys against a handout of one, as the teacher runs them.

Run: ``python3 bench/bench_handout.py [repetitions]``. Both are the real command,
``tracer handout mazur --variants N --seed 1 --format md -o DIR``, each run as a fresh process
(subprocess) in the same run of this script, alternating, into fresh temporary folders; the
medians of wall-clock time and of CPU time (user + system, which a busy machine disturbs less)
are compared. A variant's cost is its draws, its trace and two Markdown documents (the exercise
and the full worked example as its key), its SVG, answers and spec files; the derivation is done
once per network shape and shared by every variant. The target is at most 10× for 100 variants.
"""

from __future__ import annotations

import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SIZES = (1, 100)


def run(variants: int) -> tuple[float, float]:
    """Return the wall-clock and CPU seconds of one ``tracer handout`` run with this many variants."""
    with tempfile.TemporaryDirectory(prefix="bench-handout-") as folder:
        command = [sys.executable, "-m", "tracer", "handout", "mazur", "--variants", str(variants)]
        command += ["--seed", "1", "--format", "md", "-o", str(Path(folder) / "out")]
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        files = len(list((Path(folder) / "out").iterdir()))
    assert files == 5 * variants + 3, files  # exercise, key, svg, answers, spec; 2 combined + index
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main(repetitions: int = 5) -> None:
    """Print the median times of 1 and 100 variants and their ratio."""
    wall: dict[int, list[float]] = {n: [] for n in SIZES}
    cpu: dict[int, list[float]] = {n: [] for n in SIZES}
    run(1)  # warm the file cache and Jinja's compiled templates once
    for _ in range(repetitions):
        for n in SIZES:
            seconds, used = run(n)
            wall[n].append(seconds)
            cpu[n].append(used)
    for n in SIZES:
        print(
            f"{n:>3} variant{'' if n == 1 else 's'}: median {statistics.median(wall[n]):.3f} s wall, "
            f"{statistics.median(cpu[n]):.3f} s CPU over {repetitions} runs (fresh processes)"
        )
    ratio_wall = statistics.median(wall[100]) / statistics.median(wall[1])
    ratio_cpu = statistics.median(cpu[100]) / statistics.median(cpu[1])
    print(f"100 / 1 = {ratio_wall:.2f}× wall, {ratio_cpu:.2f}× CPU (target ≤ 10×)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
