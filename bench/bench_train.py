"""Time ``tracer train``'s loop against a minimal hand-written NumPy loop doing the same updates.

10,000 full-batch steps of gradient descent on the ``xor`` preset (2-2-1 sigmoid, 4 samples,
η = 2). tracer's loop (:func:`tracer.train.descent.descend`) runs the equations through
``tracer.evaluate.Network`` — strategy objects for the activation and the loss, BP1–BP4 written
once — and records per step the cost, the gradient length ‖∇C‖ and the watched weights. The hand
loop below is the textbook version with everything inlined; it records the cost per step and
nothing else. Both are run alternately, several times; the best of each is compared, in wall
time and in CPU time (CPU time moves less when other work shares the machine).
Target: tracer's loop at most 1.5× the hand loop. OPENBLAS_CORETYPE, if set, affects both alike.

    python bench/bench_train.py [--steps 10000] [--repeat 7]
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np

from tracer import load_spec
from tracer.train.descent import descend
from tracer.train.landscape import default_watch

X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
Y = np.array([[0.0], [1.0], [1.0], [0.0]])


def hand_loop(steps: int, eta: float) -> np.ndarray:
    """Return the costs of ``steps`` full-batch steps on XOR, everything written out by hand."""
    W1 = np.array([[0.2, -0.4], [0.7, 0.1]])
    b1 = np.array([0.1, -0.3])
    W2 = np.array([[0.5, -0.6]])
    b2 = np.array([0.2])
    n = len(X)
    losses = np.empty(steps + 1)
    for k in range(steps + 1):
        A1 = 1.0 / (1.0 + np.exp(-(X @ W1.T + b1)))
        A2 = 1.0 / (1.0 + np.exp(-(A1 @ W2.T + b2)))
        losses[k] = np.sum(0.5 * (Y - A2) ** 2) / n
        if k == steps:
            break
        d2 = (A2 - Y) * A2 * (1.0 - A2)
        d1 = (d2 @ W2) * A1 * (1.0 - A1)
        W2 -= eta * (d2.T @ A1 / n)
        b2 -= eta * (d2.sum(axis=0) / n)
        W1 -= eta * (d1.T @ X / n)
        b1 -= eta * (d1.sum(axis=0) / n)
    return losses


def main() -> None:
    """Print the time of each loop, the ratio, and that both reach the same cost."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    spec = load_spec("xor")
    watch = default_watch(spec)
    runs = {
        "tracer": lambda: descend(spec, spec.learning_rate, args.steps, watch=watch).losses,
        "hand": lambda: hand_loop(args.steps, spec.learning_rate),
    }
    wall: dict[str, list[float]] = {name: [] for name in runs}
    cpu: dict[str, list[float]] = {name: [] for name in runs}
    results = {}
    for _ in range(args.repeat):
        for name, loop in runs.items():
            start, start_cpu = time.perf_counter(), time.process_time()
            results[name] = loop()
            wall[name].append(time.perf_counter() - start)
            cpu[name].append(time.process_time() - start_cpu)
    ours, theirs = results["tracer"], results["hand"]
    gap = float(np.max(np.abs(ours - theirs)))
    print(f"xor, {args.steps} full-batch steps, best of {args.repeat} runs each, alternating")
    print(f"OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE', '(not set)')}")
    print(f"  {'':<24} {'wall':>8} {'CPU':>8}  CPU per step")
    for name, label in (("tracer", "tracer.train.descent.descend"), ("hand", "hand-written NumPy loop")):
        best, best_cpu = min(wall[name]), min(cpu[name])
        print(f"  {label:<24} {best:7.3f}s {best_cpu:7.3f}s  {1e6 * best_cpu / args.steps:.1f} µs")
    ratio, ratio_cpu = min(wall["tracer"]) / min(wall["hand"]), min(cpu["tracer"]) / min(cpu["hand"])
    print(f"  ratio {ratio:.2f}× wall, {ratio_cpu:.2f}× CPU (target ≤ 1.5×)")
    print(f"  final cost {ours[-1]:.12g} both; largest difference between the two loops {gap:.1e}")


if __name__ == "__main__":
    main()
