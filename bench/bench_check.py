"""Time ``tracer check``: a folder of 200 answer files in one invocation against a single file.

Each run is a fresh ``python -m tracer check`` process, so the times include what a teacher
waits for: starting Python, importing SymPy, deriving the network once, then grading and
rendering every file. The 200 files are a class's homework on Mazur's network, every computed
quantity to 4 decimals: in the *mixed* class a third make one early mistake and carry it forward
(some 40 carried-forward steps to print each), a third make three slips, a third are all right;
in the *all right* class nobody errs, which leaves the fixed cost of reading, grading and
listing. Target: the folder takes at most 3× the single file. Both wall-clock and CPU time
(user + system of the child process) are printed: CPU time moves less when the machine is busy.

    python bench/bench_check.py [--files 200] [--repeat 5]
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from fresh import environment

from tracer import load_spec, trace
from tracer.evaluate import cost_after_update
from tracer.trace import Trace

SPEC = "mazur"


def student(result: Trace, rng: random.Random, mixed: bool = True) -> dict[str, float]:
    """Return one student's answers: each step from their own numbers, rounded to 4 decimals.

    In a ``mixed`` class a third slip early and carry it forward, a third make three slips.
    """
    computed = [q for q in result.quantities if not q.given and q.ref.kind != "C'"]
    kind = rng.randrange(3) if mixed else 2
    early = rng.choice(computed[:8]) if kind == 0 else None
    slips = set(rng.sample(range(len(computed)), 3)) if kind == 1 else set()
    values = {q.ref: q.value for q in result.quantities if q.given}
    answers: dict[str, float] = {}
    for index, q in enumerate(computed):
        value = round(q.recompute(values), 4)
        if q is early or index in slips:
            value = round(value + rng.choice([-1, 1]) * rng.uniform(0.01, 0.2), 4)
        values[q.ref] = value
        answers[q.id] = value
    answers["C'"] = round(cost_after_update(result.spec, values), 4)
    return answers


def write_class(folder: Path, count: int, mixed: bool = True, seed: int = 0) -> list[Path]:
    """Return the paths of ``count`` answer files written into ``folder``."""
    result = trace(load_spec(SPEC))
    rng = random.Random(seed)
    paths = []
    for number in range(1, count + 1):
        path = folder / f"student{number:03d}.toml"
        lines = [f'"{name}" = {value!r}' for name, value in student(result, rng, mixed).items()]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


def seconds(arguments: list[str], repeat: int) -> tuple[float, float]:
    """Return the median wall and CPU (user + system) time of ``python -m tracer check …``."""
    walls, cpus = [], []
    command = [sys.executable, "-m", "tracer", "check", *arguments]
    for run in range(repeat + 1):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        done = subprocess.run(command, capture_output=True, env=environment())
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if done.returncode not in (0, 1):
            raise SystemExit(done.stderr.decode())
        if run > 0:  # run 0 fills the file and bytecode caches, untimed
            walls.append(wall)
            cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(walls), statistics.median(cpus)


def main() -> None:
    """Print the time of one file, of the folder, and their ratio, for each output format."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    print(f"{SPEC}, {args.files} answer files of 46 answers each, median of {args.repeat} runs")
    print(f"class      format  clock  1 file  {args.files} files  ratio")
    for mixed in (True, False):
        with tempfile.TemporaryDirectory() as temporary:
            folder = Path(temporary) / "answers"
            folder.mkdir()
            paths = write_class(folder, args.files, mixed)
            label = "mixed" if mixed else "all right"
            for format in ("term", "md", "json"):
                one = seconds([SPEC, str(paths[0]), "--format", format], args.repeat)
                many = seconds([SPEC, str(folder), "--format", format], args.repeat)
                for clock, a, b in (("wall", one[0], many[0]), ("cpu", one[1], many[1])):
                    print(f"{label:<9}  {format:<6}  {clock:<5}  {a:4.2f} s  {b:6.2f} s   {b / a:.2f}×")


if __name__ == "__main__":
    main()
