"""Every formula of a trace is consistent with its value, and names only earlier quantities.

``q.recompute(values)`` evaluates the quantity's formula (its ``meaning``: σ spelled out, aliases
replaced) from the values of what it depends on; with the trace's own values it must give the
traced value back, for every quantity of every kind of network.
"""

from __future__ import annotations

import math

import pytest
from engine_networks import VALID_PAIRS, networks, seeded_network
from hypothesis import HealthCheck, given, settings

from tracer import load_spec, trace
from tracer.derive import symbol
from tracer.spec import from_dict, preset_names

PROPERTY = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def check_formulas(result) -> None:
    seen = set()
    for q in result.quantities:
        assert q.ref not in seen, f"{q.id} appears twice"
        for needed in q.depends_on:
            assert needed in seen, f"{q.id} depends on {needed}, which comes later or not at all"
        seen.add(q.ref)
        if q.formula is None:
            continue
        meaning = q.equation.meaning
        allowed = {symbol(r) for r in q.depends_on}
        assert meaning.free_symbols <= allowed, f"{q.id}: {meaning} uses more than {q.depends_on}"
        again = q.recompute(result.values)
        assert math.isclose(again, q.value, rel_tol=1e-9, abs_tol=1e-12), f"{q.id}: {again} != {q.value}"
    given_numbers = [q for q in result.quantities if q.given]
    assert all(not q.depends_on for q in given_numbers)


@PROPERTY
@given(networks(max_width=4))
def test_every_formula_recomputes_its_value(data):
    check_formulas(trace(from_dict(data)))


@pytest.mark.parametrize(("output", "loss"), VALID_PAIRS)
def test_every_formula_recomputes_for_every_output_and_loss(output, loss):
    data = seeded_network(VALID_PAIRS.index((output, loss)), [2, 3, 2], ["leaky_relu", output], loss)
    check_formulas(trace(from_dict(data)))


@pytest.mark.parametrize("name", preset_names())
def test_every_formula_recomputes_in_the_presets(name):
    check_formulas(trace(load_spec(name)))
