"""`tracer train`'s numbers: many steps of descent are many worked examples, and the verdicts are right.

The oracle for every step is the one-step worked example ``tracer.trace``: k full-batch steps
must give what k traced updates give, each fed the weights the one before produced.
"""

import dataclasses

import numpy as np
import pytest

from tracer import load_spec, trace
from tracer.errors import UsageError
from tracer.ids import Ref
from tracer.spec import NetworkSpec, Sample
from tracer.train.descent import batch_order, costs_at, descend
from tracer.train.landscape import default_watch, trainable
from tracer.train.model import is_classifier, table_steps, train
from tracer.train.verdict import CONVERGED, DIVERGING, OSCILLATING, SATURATED, TOO_SLOW, classify

W111 = Ref("W", 1, 1, 1)


def traced_step(spec: NetworkSpec) -> tuple[NetworkSpec, float, float]:
    """Return the spec with the weights after one traced update, and the cost before and after."""
    result = trace(spec)
    layers = spec.layers
    weights = tuple(
        tuple(
            tuple(result[f"W'[{l}][{j}][{k}]"].value for k in range(1, layers[l - 1] + 1))
            for j in range(1, layers[l] + 1)
        )
        for l in range(1, len(layers))
    )
    biases = tuple(
        tuple(result[f"b'[{l}][{j}]"].value for j in range(1, layers[l] + 1)) for l in range(1, len(layers))
    )
    return dataclasses.replace(spec, weights=weights, biases=biases), result["C"].value, result["C'"].value


@pytest.mark.parametrize(("preset", "rate"), [("xor", 2.0), ("mazur", 0.5), ("softmax", 0.5), ("ng", 0.3)])
def test_k_full_batch_steps_are_k_traced_updates(preset, rate):
    spec = dataclasses.replace(load_spec(preset), learning_rate=rate)
    k = 4
    history = descend(spec, rate, k)
    traced = spec
    for step in range(k):
        traced, before, after = traced_step(traced)
        assert history.losses[step] == pytest.approx(before, rel=1e-12)
        assert history.losses[step + 1] == pytest.approx(after, rel=1e-12)
    for ours, theirs in zip(history.weights, traced.weights, strict=True):
        np.testing.assert_allclose(ours, np.array(theirs), rtol=1e-12, atol=1e-15)
    for ours, theirs in zip(history.biases, traced.biases, strict=True):
        np.testing.assert_allclose(ours, np.array(theirs), rtol=1e-12, atol=1e-15)


def test_frozen_biases_stay_put_as_in_the_trace():
    spec = load_spec("basins")
    history = descend(spec, 1.0, 3)
    traced = spec
    for _ in range(3):
        traced, _, _ = traced_step(traced)
    assert history.biases[0].tolist() == [2.0] == list(traced.biases[0])
    assert history.weights[0][0, 0] == pytest.approx(traced.weights[0][0][0], rel=1e-12)


def test_batch_cost_and_step_are_the_average_of_the_per_sample_traces():
    spec = load_spec("xor")
    n = len(spec.samples)
    alone = [trace(dataclasses.replace(spec, samples=(s,))) for s in spec.samples]
    history = descend(spec, spec.learning_rate, 1)
    assert history.losses[0] == pytest.approx(sum(t["C"].value for t in alone) / n, rel=1e-14)
    # W' = W − η · (1/n) Σₓ ∂Cₓ/∂W: the mean of the per-sample updates is the batch update.
    for ref in trainable(spec):
        kind = "W'" if ref.kind == "W" else "b'"
        mean = sum(t[Ref(kind, ref.l, ref.j, ref.k)].value for t in alone) / n
        array = history.weights if ref.kind == "W" else history.biases
        index = (ref.j - 1, ref.k - 1) if ref.kind == "W" else (ref.j - 1,)
        assert array[ref.l - 1][index] == pytest.approx(mean, rel=1e-12)


def test_a_minibatch_step_is_the_trace_of_its_samples():
    spec = load_spec("xor")
    order = batch_order(4, 2, 3, seed=7)
    history = descend(spec, 2.0, 3, batches=order)
    traced = spec
    for rows in order:
        part = dataclasses.replace(traced, samples=tuple(spec.samples[i] for i in rows))
        stepped, _, _ = traced_step(part)
        traced = dataclasses.replace(stepped, samples=spec.samples)
    for ours, theirs in zip(history.weights, traced.weights, strict=True):
        np.testing.assert_allclose(ours, np.array(theirs), rtol=1e-12)
    whole = trace(traced)["C"].value  # the recorded loss is always the full batch's
    assert history.losses[-1] == pytest.approx(whole, rel=1e-12)


def test_batch_orders_are_fixed_without_a_seed_and_reproducible_with_one():
    fixed = [r.tolist() for r in batch_order(5, 2, 7, None)]
    assert fixed == [[0, 1], [2, 3], [4], [0, 1], [2, 3], [4], [0, 1]]
    same = [r.tolist() for r in batch_order(4, 1, 12, 3)]
    assert same == [r.tolist() for r in batch_order(4, 1, 12, 3)]
    other = [r.tolist() for r in batch_order(4, 1, 12, 4)]
    assert same != other
    for epoch in range(3):  # every epoch uses every sample once
        assert sorted(i for rows in same[4 * epoch : 4 * epoch + 4] for i in rows) == [0, 1, 2, 3]


def test_stochastic_training_is_reproducible_from_a_seed_and_differs_between_seeds():
    spec = load_spec("xor")
    first = train(spec, 200, batch=1, seed=11)
    again = train(spec, 200, batch=1, seed=11)
    other = train(spec, 200, batch=1, seed=12)
    assert np.array_equal(first.runs[0].history.losses, again.runs[0].history.losses)
    assert not np.array_equal(first.runs[0].history.losses, other.runs[0].history.losses)


def test_xor_learns_a_correct_classifier_in_5000_steps():
    training = train(load_spec("xor"), 5000)
    run = training.runs[0]
    assert run.verdict.kind == CONVERGED
    assert 3e-4 < run.verdict.end < 5e-4  # ≈ 4.3e-4
    assert run.all_correct
    assert [p.rounded for p in run.predictions] == [(0,), (1,), (1,), (0,)]
    assert training.classifier and training.log_scale


@pytest.mark.parametrize(
    ("preset", "rate", "steps", "kind"),
    [
        ("xor", 500.0, 500, SATURATED),  # overshoots into saturation: stuck at 0.25, ‖∇C‖ ≈ 1e-10
        ("relu", 10.0, 300, DIVERGING),  # grows until float64 overflows
        ("xor", 1e-3, 500, TOO_SLOW),
        ("neuron", 10.0, 300, OSCILLATING),
        ("basins", 10.0, 300, OSCILLATING),
        ("basins", 1.0, 300, CONVERGED),
    ],
)
def test_verdicts_come_from_the_losses(preset, rate, steps, kind):
    run = train(load_spec(preset), steps, [rate]).runs[0]
    assert run.verdict.kind == kind


def test_a_run_that_overflows_stops_and_says_where():
    run = train(load_spec("relu"), 300, [10.0]).runs[0]
    assert run.history.stopped
    at = run.verdict.non_finite_at
    assert at is not None and len(run.history.losses) == at + 1
    assert not np.isfinite(run.history.losses[-1]) and np.all(np.isfinite(run.history.losses[:-1]))
    assert run.rows[-1].step == at


def test_classify_edge_cases():
    assert classify([0.5] * 20).kind == TOO_SLOW  # nothing moved: not a verdict of convergence
    assert classify([1.0, float("nan")]).non_finite_at == 1
    assert classify([1.0, 1e-3]).kind == CONVERGED  # fell below 1 % of the start
    smooth = 1.0 / np.arange(1, 2001)  # still falling like 1/t, from 1 to 5e-4: below 1 %
    assert classify(smooth).kind == CONVERGED
    assert classify(0.5 + 0.5 / np.arange(1, 2001) ** 0.5).kind == TOO_SLOW
    noisy_but_falling = np.repeat(np.linspace(1.0, 0.001, 50), 4) * np.tile([1.0, 1.2, 0.9, 1.1], 50)
    assert classify(noisy_but_falling, stride=4).kind == CONVERGED


def test_the_lower_run_is_named_only_for_a_clearly_higher_valley():
    training = train(load_spec("basins"), 100, [1.0, 30.0])
    stuck, escaped = training.runs
    assert stuck.lower is escaped and escaped.lower is None
    xor = train(load_spec("xor"), 1500, [5.0, 20.0])
    assert [r.verdict.kind for r in xor.runs] == [CONVERGED, CONVERGED]
    assert all(r.lower is None for r in xor.runs)  # 1e-3 against 4e-5: both near zero


def test_table_rows():
    assert table_steps(3) == (0, 1, 2, 3)
    assert table_steps(20) == tuple(range(21))
    assert table_steps(300) == (0, 1, 2, 5, 10, 20, 50, 100, 200, 300)
    assert 10 <= len(table_steps(10_000)) <= 20
    run = train(load_spec("xor"), 300).runs[0]
    assert [r.step for r in run.rows] == list(table_steps(300))
    assert run.rows[-1].loss == run.history.losses[-1]


def test_default_watch_and_bad_watch():
    assert default_watch(load_spec("xor")) == (Ref("W", 2, 1, 1), Ref("W", 2, 1, 2))
    assert default_watch(load_spec("basins")) == (W111,)
    assert default_watch(load_spec("neuron")) == (W111, Ref("b", 1, 1))
    with pytest.raises(UsageError, match="--steps"):
        train(load_spec("xor"), 0)
    with pytest.raises(UsageError, match="--learning-rates"):
        train(load_spec("xor"), 5, [-1.0])


def test_a_descent_path_is_the_run_itself_and_agrees_with_its_loss_curve():
    training = train(load_spec("xor"), 200, [2.0, 20.0])
    land = training.landscape
    assert land.held  # xor trains nine parameters; the picture holds seven at their start
    for run, path in zip(training.runs, land.paths, strict=True):
        assert path.points is run.history.watched and path.losses is run.history.losses
        assert path.verdict is run.verdict  # one verdict: the two legends cannot disagree
    assert land.costs.shape == (len(land.axes[1]), len(land.axes[0]))
    # the surface is the cost with the others at their start: its value at the start is C₀
    start = np.array([[0.5, -0.6]])
    assert costs_at(training.spec, land.refs, start)[0] == pytest.approx(
        training.runs[0].history.losses[0], rel=1e-14
    )


def test_a_path_on_the_surface_when_the_watched_parameters_are_all_that_train():
    training = train(load_spec("basins"), 100, [1.0, 30.0])
    land = training.landscape
    assert not land.held
    for path in land.paths:
        heights = costs_at(training.spec, land.refs, path.points)
        np.testing.assert_allclose(heights, path.losses, rtol=1e-12)


def test_the_surface_is_evaluated_point_by_point_as_the_oracle_does():
    """costs_at stacks the grid's networks into one forward pass; each cost is the oracle's."""
    from engine_networks import MAZUR_DATA
    from oracle_backprop import Net

    from tracer.spec import from_dict

    spec = from_dict(MAZUR_DATA)
    refs = [Ref("W", 1, 2, 1), Ref("b", 2, 2)]
    points = np.random.default_rng(5).uniform(-2, 2, (7, 2))
    for point, cost in zip(points, costs_at(spec, refs, points, chunk=3), strict=True):
        net = Net.of(MAZUR_DATA)
        net.weights[0][1, 0], net.biases[1][1] = point
        assert cost == pytest.approx(net.batch_cost(MAZUR_DATA["samples"]), rel=1e-13)


def test_a_classifier_rounds_its_outputs():
    assert is_classifier(load_spec("xor")) and is_classifier(load_spec("softmax"))
    assert not is_classifier(load_spec("basins"))
    run = train(load_spec("softmax"), 50).runs[0]
    assert run.predictions[0].rounded == (0, 1, 0) and run.all_correct


# The basins preset's description makes claims; here they are checked.


@pytest.fixture(scope="module")
def basins():
    return load_spec("basins")


def basins_cost(w: np.ndarray) -> np.ndarray:
    """Return the basins preset's cost written out by hand: C(w) = 1/(2n) Σₓ (y − σ(w x + 2))²."""
    x, y = np.array([1.0, -3.0]), np.array([0.25, 0.5])
    a = 1.0 / (1.0 + np.exp(-(np.outer(w, x) + 2.0)))
    return 0.5 * np.mean((y - a) ** 2, axis=1)


def test_basins_has_one_local_and_one_global_minimum(basins):
    w = np.linspace(-60.0, 60.0, 240_001)
    c = basins_cost(w)
    some = w[::20_000]
    np.testing.assert_allclose(costs_at(basins, [W111], some[:, None]), basins_cost(some), rtol=1e-12)
    inner = np.flatnonzero((c[1:-1] < c[:-2]) & (c[1:-1] < c[2:])) + 1
    assert len(inner) == 2
    w_global, w_local = sorted(w[inner], key=lambda v: basins_cost(np.array([v]))[0])
    assert w_global == pytest.approx(-3.098, abs=1e-3) and w_local == pytest.approx(0.586, abs=1e-3)
    c_global, c_local = basins_cost(np.array([w_global, w_local]))
    assert c_global == pytest.approx(0.0625, abs=1e-4) and c_local == pytest.approx(0.1165, abs=1e-4)
    assert c.min() == c_global  # the lowest on a wide range: the global minimum
    assert c[0] > c_global and c[-1] > c_local  # the ends climb to the plateaus of the sigmoid
    ridge = w[np.argmax(np.where((w > w_global) & (w < w_local), c, -np.inf))]
    assert ridge == pytest.approx(-0.24, abs=0.01)


def test_basins_small_steps_stay_in_the_local_valley_large_ones_or_another_start_escape(basins):
    def end(spec, rate):
        return descend(spec, rate, 500).weights[0][0, 0]

    assert end(basins, 1.0) == pytest.approx(0.5864, abs=1e-3)  # the preset as it stands
    assert end(basins, 30.0) == pytest.approx(-3.0981, abs=1e-3)  # a step over the ridge
    other_start = dataclasses.replace(basins, weights=(((-1.0,),),))
    assert end(other_start, 1.0) == pytest.approx(-3.0981, abs=1e-3)
    assert basins.samples == (Sample((1.0,), (0.25,)), Sample((-3.0,), (0.5,)))


def test_progress_counts_every_step_of_the_runs():
    seen = []
    train(load_spec("xor"), 200, [2.0, 20.0], progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (400, 400)  # two runs; the picture runs nothing again
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)
    seen.clear()
    train(load_spec("basins"), 50, progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (50, 50)  # the one weight is all that trains: no rerun


def test_a_rate_given_twice_is_one_run_as_an_optimizer_named_twice_is():
    # --learning-rates 0.1,0.1 drew two identical curves under two identical legends.
    training = train(load_spec("xor"), 10, [0.5, 2.0, 0.5])
    assert [run.rate for run in training.runs] == [0.5, 2.0]
