"""Time ``tracer trace`` on networks of growing size, against the cost of importing its libraries.

Prints, in one run:

* the import floor: ``python -c "import sympy, numpy, jinja2"``, the least any tracer command
  can take (fresh processes, run alternately with each network's so both see the same load);
* for each network, the end-to-end time of ``python -m tracer trace SPEC --format json -o
  /dev/null`` (fresh processes, median), its ratio to the import floor, and the in-process time
  of derive + evaluate + JSON per parameter (the derivation cache cleared first), which should
  stay roughly flat: the work grows linearly with the number of parameters;
* every fresh process runs with Python's bytecode caches on, as a user's does (``bench/fresh.py``);
* the ratio 8-16-16-16-4 / 4-8-8-3 of the end-to-end times;
* for the small networks only, the naive alternative: compose the whole cost as one SymPy
  expression and ``sympy.diff`` it in every weight and bias (each run in a child process with
  a timeout, so it cannot hang).

Targets (issue 2): 4-8-8-3 end to end in at most 3× the import floor; 8-16-16-16-4 within 10×
the 4-8-8-3 time.

    python3 bench/bench_trace.py [--repeat 5] [--naive-timeout 60]
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import sympy as sp
from fresh import environment

from tracer import load_spec
from tracer.derive import derive
from tracer.documents.render import render_json
from tracer.trace import trace

# name -> (layers, activations); weights are drawn from the seed, so the files stay short.
NETWORKS = {
    "2-2-2": ([2, 2, 2], "sigmoid"),
    "2-3-2": ([2, 3, 2], "sigmoid"),
    "3-4-3": ([3, 4, 3], "sigmoid"),
    "4-8-8-3": ([4, 8, 8, 3], "sigmoid"),
    "8-16-16-16-4": ([8, 16, 16, 16, 4], "sigmoid"),
    "16-32-32-10": ([16, 32, 32, 10], "sigmoid"),
}
NAIVE = ("2-2-2", "2-3-2", "3-4-3")


def spec_text(layers: list[int], activations: str) -> str:
    """Return a TOML spec with drawn weights and one sample."""
    x = ", ".join(f"{0.1 * ((k % 7) - 3):.1f}" for k in range(layers[0]))
    y = ", ".join(f"{(j % 3) / 2:.1f}" for j in range(layers[-1]))
    return (
        f'title = "benchmark {"-".join(map(str, layers))}"\n'
        f"layers = {layers}\nactivations = {activations!r}\n".replace("'", '"')
        + 'loss = "quadratic"\nlearning_rate = 0.5\nseed = 1\ninit_range = [-0.5, 0.5]\n'
        f"[[samples]]\nx = [{x}]\ny = [{y}]\n"
    )


@dataclass(frozen=True)
class Timing:
    """Wall-clock and CPU seconds (user + system) of one measurement."""

    wall: float
    cpu: float

    def __truediv__(self, other: Timing) -> Timing:
        return Timing(self.wall / other.wall, self.cpu / other.cpu)


def median(timings: list[Timing]) -> Timing:
    return Timing(statistics.median(t.wall for t in timings), statistics.median(t.cpu for t in timings))


def once(command: list[str]) -> Timing:
    """Return the wall and CPU time of one fresh run of a command."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=environment())
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return Timing(wall, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)


def paired(command: list[str], floor: list[str], repeat: int) -> tuple[Timing, Timing]:
    """Return the median timings of a command and of the import floor, run alternately.

    Alternating keeps both under the same load when other work shares the machine. One untimed
    run of each first fills the file and bytecode caches.
    """
    once(command), once(floor)
    runs = [(once(command), once(floor)) for _ in range(repeat)]
    return median([t for t, _ in runs]), median([f for _, f in runs])


def in_process(path: str, repeat: int) -> Timing:
    """Return the median timing of derive (cache cleared) + evaluate + JSON for one spec."""
    spec = load_spec(path)
    timings = []
    for _ in range(repeat):
        derive.cache_clear()
        wall, cpu = time.perf_counter(), time.process_time()
        render_json(trace(spec))  # trace() is derive() + evaluate()
        timings.append(Timing(time.perf_counter() - wall, time.process_time() - cpu))
    return median(timings)


def closed_form_cost(layers: list[int]) -> tuple[sp.Expr, list[sp.Symbol]]:
    """Return the whole sigmoid/quadratic cost of one sample as one expression, and its parameters."""
    a: list[sp.Expr] = [sp.Symbol(f"x{k}") for k in range(layers[0])]
    parameters = []
    for l in range(1, len(layers)):
        z = []
        for j in range(layers[l]):
            w = [sp.Symbol(f"w{l}_{j}_{k}") for k in range(layers[l - 1])]
            b = sp.Symbol(f"b{l}_{j}")
            parameters += [*w, b]
            z.append(sum(wk * ak for wk, ak in zip(w, a, strict=True)) + b)
        a = [1 / (1 + sp.exp(-v)) for v in z]
    y = [sp.Symbol(f"y{j}") for j in range(layers[-1])]
    return sum((t - o) ** 2 for t, o in zip(y, a, strict=True)) / 2, parameters


def naive_diff(layers: list[int], queue: multiprocessing.Queue) -> None:
    """Put the time to compose the cost, sympy.diff it in every parameter and evaluate each."""
    start = time.perf_counter()
    cost, parameters = closed_form_cost(layers)
    point = {s: sp.Float(0.1) for s in cost.free_symbols}
    for p in parameters:
        float(sp.diff(cost, p).xreplace(point))
    queue.put(time.perf_counter() - start)


def naive(layers: list[int], timeout: float) -> float | None:
    """Return the naive time, or None if it took longer than ``timeout`` seconds."""
    queue: multiprocessing.Queue = multiprocessing.Queue()
    child = multiprocessing.Process(target=naive_diff, args=(layers, queue))
    child.start()
    child.join(timeout)
    if child.is_alive():
        child.terminate()
        child.join()
        return None
    return queue.get()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="fresh processes per timing (median)")
    parser.add_argument("--naive-timeout", type=float, default=60.0, help="seconds per naive sympy.diff run")
    args = parser.parse_args()

    python = sys.executable
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"python {sys.version.split()[0]}, sympy {sp.__version__}, {os.cpu_count()} cores, load {load}")
    print("end to end: a fresh `python -m tracer trace SPEC --format json -o /dev/null` (median);")
    print("÷ floor: the same over the import floor, the two run alternately;")
    print("in-process: derive (cache cleared) + evaluate + JSON. Each as wall / CPU seconds.\n")
    row = "{:>14} {:>6}  {:>15}  {:>13}  {:>15}  {:>17}"
    print(row.format("network", "params", "end to end", "÷ floor", "in-process", "per param (ms)"))
    floor_command = [python, "-c", "import sympy, numpy, jinja2"]
    floors: list[Timing] = []
    end_to_end: dict[str, Timing] = {}
    ratio: dict[str, Timing] = {}
    with tempfile.TemporaryDirectory() as folder:
        for name, (layers, activations) in NETWORKS.items():
            path = Path(folder) / f"{name}.toml"
            path.write_text(spec_text(layers, activations), encoding="utf-8")
            params = load_spec(str(path)).parameter_count
            command = [python, "-m", "tracer", "trace", str(path), "--format", "json", "-o", os.devnull]
            end_to_end[name], floor = paired(command, floor_command, args.repeat)
            floors.append(floor)
            ratio[name] = end_to_end[name] / floor
            inside = in_process(str(path), max(1, args.repeat // 2))
            e, r = end_to_end[name], ratio[name]
            print(
                row.format(
                    name,
                    params,
                    f"{e.wall:.2f} / {e.cpu:.2f}",
                    f"{r.wall:.2f} / {r.cpu:.2f}",
                    f"{inside.wall:.3f} / {inside.cpu:.3f}",
                    f"{1e3 * inside.wall / params:.2f} / {1e3 * inside.cpu / params:.2f}",
                )
            )

    f = median(floors)
    print(f"\nimport floor (import sympy, numpy, jinja2): {f.wall:.3f} s wall / {f.cpu:.3f} s CPU (median)")
    r = ratio["4-8-8-3"]
    print(f"4-8-8-3 end to end ÷ import floor: {r.wall:.2f}× wall / {r.cpu:.2f}× CPU (target ≤ 3×)")
    r = end_to_end["8-16-16-16-4"] / end_to_end["4-8-8-3"]
    print(f"8-16-16-16-4 ÷ 4-8-8-3 end to end: {r.wall:.2f}× wall / {r.cpu:.2f}× CPU (target ≤ 10×)")

    print(
        f"\nnaive: compose the whole cost, sympy.diff in every parameter (timeout {args.naive_timeout:g} s)"
    )
    for name in NAIVE:
        layers, _ = NETWORKS[name]
        seconds = naive(layers, args.naive_timeout)
        shown = "timed out" if seconds is None else f"{seconds:.3f} s"
        print(f"{name:>14}: {shown}")


if __name__ == "__main__":
    main()
