"""Time ``tracer train xor --format json`` end to end against a bare NumPy loop, per optimizer.

For gd, momentum and adam (PyTorch's conventions and defaults, η = the preset's 2 for gd and
momentum, 0.05 for adam), each as a fresh process the way a user runs it:

* tracer: ``tracer train xor --steps N --optimizers OPT --learning-rates R --format json -o /dev/null``
  (the whole command: the runs, the verdicts, the descent picture's surface, the JSON);
* bare: ``python bench/bench_optimizers.py --bare OPT N R``, a hand-written NumPy loop of the
  same optimizer on the same network, recording the cost of each step and nothing else.

Start-up is subtracted by running each with 1 step as well: per step = (time(N) − time(1)) / (N − 1),
each time the least of ``--repeat`` runs (alternating tracer and bare), in CPU time of the child
process (user + system): on a machine other jobs share, the least is the steadiest figure.
Target: tracer within 1.5× the bare loop per step, for each optimizer.

    python bench/bench_optimizers.py [--steps 10000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import math
import resource
import subprocess
import sys
import time
from pathlib import Path

from fresh import environment

RATES = {"gd": 2.0, "momentum": 2.0, "adam": 0.05}
HERE = Path(__file__).resolve()


def bare_loop(name: str, steps: int, eta: float) -> list[float]:
    """Return the costs of ``steps`` full-batch steps on XOR with one optimizer, written by hand."""
    import numpy as np

    x = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    y = np.array([[0.0], [1.0], [1.0], [0.0]])
    params = [
        np.array([[0.2, -0.4], [0.7, 0.1]]),
        np.array([0.1, -0.3]),
        np.array([[0.5, -0.6]]),
        np.array([0.2]),
    ]
    state = [[np.zeros_like(p), np.zeros_like(p)] for p in params]
    n = len(x)
    losses = []
    for t in range(1, steps + 2):
        W1, b1, W2, b2 = params
        a1 = 1.0 / (1.0 + np.exp(-(x @ W1.T + b1)))
        a2 = 1.0 / (1.0 + np.exp(-(a1 @ W2.T + b2)))
        losses.append(float(np.sum(0.5 * (y - a2) ** 2)) / n)
        if t == steps + 1:
            break
        d2 = (a2 - y) * a2 * (1.0 - a2)
        d1 = (d2 @ W2) * a1 * (1.0 - a1)
        grads = [d1.T @ x / n, d1.sum(axis=0) / n, d2.T @ a1 / n, d2.sum(axis=0) / n]
        for p, g, s in zip(params, grads, state, strict=True):
            if name == "gd":
                p -= eta * g
            elif name == "momentum":  # PyTorch's SGD, momentum 0.9: the buffer starts as g
                s[0] = g.copy() if t == 1 else 0.9 * s[0] + g
                p -= eta * s[0]
            else:  # PyTorch's Adam
                s[0] = 0.9 * s[0] + 0.1 * g
                s[1] = 0.999 * s[1] + 0.001 * g * g
                m_hat, v_hat = s[0] / (1 - 0.9**t), s[1] / (1 - 0.999**t)
                p -= eta * m_hat / (np.sqrt(v_hat) + 1e-8)
    return losses


def cpu_of(command: list[str]) -> float:
    """Return the CPU seconds (user + system) a fresh process running ``command`` takes."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=environment())
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def commands(name: str, steps: int) -> dict[str, list[str]]:
    rate = str(RATES[name])
    tracer = [sys.executable, "-m", "tracer", "train", "xor", "--steps", str(steps), "--optimizers", name]
    tracer += ["--learning-rates", rate, "--format", "json", "-o", "/dev/null"]
    return {"tracer": tracer, "bare": [sys.executable, str(HERE), "--bare", name, str(steps), rate]}


def main() -> None:
    """Print per-step CPU time of tracer and of the bare loop, and their ratio, per optimizer."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--bare", nargs=3, metavar=("OPT", "STEPS", "RATE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.bare:
        name, steps, rate = args.bare
        losses = bare_loop(name, int(steps), float(rate))
        print(losses[-1])
        return
    start = time.perf_counter()
    print(
        f"xor, {args.steps} full-batch steps, CPU time per step (start-up subtracted), least of", args.repeat
    )
    print(f"  {'optimizer':<10} {'tracer':>10} {'bare loop':>10}  ratio (target ≤ 1.5×)")
    for name in RATES:
        long, short = commands(name, args.steps), commands(name, 1)
        full: dict[str, list[float]] = {"tracer": [], "bare": []}
        startup: dict[str, list[float]] = {"tracer": [], "bare": []}
        for _ in range(args.repeat):
            for who in ("tracer", "bare"):
                full[who].append(cpu_of(long[who]))
                startup[who].append(cpu_of(short[who]))
        ours, theirs = ((min(full[w]) - min(startup[w])) / (args.steps - 1) for w in ("tracer", "bare"))
        ratio = ours / theirs if theirs > 0 else math.inf
        print(f"  {name:<10} {1e6 * ours:8.1f}µs {1e6 * theirs:8.1f}µs  {ratio:.2f}×")
    print(f"  ({time.perf_counter() - start:.0f} s in all)")


if __name__ == "__main__":
    main()
