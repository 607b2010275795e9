"""The network a user describes: read a TOML/JSON spec or a preset, check it, freeze it.

Every check names the field and the fix, e.g. ``weights[2]: 3×2 given, layers 2→2 need 2×2``.
Layers, weights and biases are counted as in the canonical ids: input = layer 0, so ``weights[1]``
is the matrix into layer 1.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from functools import cached_property
from importlib import resources
from itertools import pairwise
from pathlib import Path
from typing import Any

import numpy as np

from tracer.activations import Activation, activation
from tracer.errors import SpecError, nearest
from tracer.i18n import LANGUAGES, N_, _
from tracer.ids import Ref, parse
from tracer.inputs import parse as parse_document
from tracer.inputs import read_text, shown
from tracer.losses import Loss
from tracer.losses import loss as find_loss
from tracer.notation import Naming, notation
from tracer.optimizers import OptimizerSpec, checker, parse_optimizer
from tracer.randomize import Randomize, parse_ask, parse_randomize

Matrix = tuple[tuple[float, ...], ...]
NOTATIONS = ("nielsen", "ng", "mazur")
# A worked example writes out every step; beyond this many weights and biases it is no longer
# one a person reads (and a typo such as 100000000 neurons would exhaust memory).
MAX_PARAMETERS = 10_000
MAX_SAMPLES = 10_000  # a spec is a lesson's data set, not a benchmark's
MAX_TITLE = 200  # characters: a title is one line above a document or a picture
KEYS = (
    "title",
    "description",
    "notation",
    "layers",
    "activations",
    "leaky_relu_slope",
    "loss",
    "learning_rate",
    "update_biases",
    "weights",
    "biases",
    "seed",
    "init_range",
    "init_decimals",
    "samples",
    "randomize",
    "ask",
    "optimizer",
    "published",
    "published_by",
    "lang",
)


@dataclass(frozen=True)
class Sample:
    """Return-free record of one training sample: input x and desired output y."""

    x: tuple[float, ...]
    y: tuple[float, ...]


@dataclass(frozen=True)
class Shape:
    """Return-free key of everything the symbolic derivation depends on (no numbers).

    Two specs with equal shapes share one derivation: only the numbers differ.
    """

    layers: tuple[int, ...]
    activations: tuple[str, ...]
    leaky_relu_slope: float
    loss: str
    samples: int
    update_biases: bool
    optimizer: tuple[str, str, bool] = ("gd", "torch", False)  # OptimizerSpec.key


@dataclass(frozen=True)
class NetworkSpec:
    """Return-free, checked description of a network, its parameters and its samples.

    If ``layers`` is ``(2, 2, 2)``, ``weights[0]`` is the 2×2 matrix into layer 1, with
    ``weights[0][j-1][k-1]`` the weight W[1][j][k] from neuron k of layer 0 to neuron j.
    """

    title: str
    notation: str
    layers: tuple[int, ...]
    activations: tuple[str, ...]
    loss: str
    learning_rate: float
    update_biases: bool
    weights: tuple[Matrix, ...]
    biases: tuple[tuple[float, ...], ...]
    samples: tuple[Sample, ...]
    leaky_relu_slope: float = 0.01
    description: str = ""
    randomize: Randomize | None = None  # how `tracer handout` draws variants (tracer.randomize)
    ask: tuple[str, ...] = ()  # what a handout asks for: id patterns
    optimizer: OptimizerSpec = field(default_factory=OptimizerSpec)  # how a step uses the gradient
    published: tuple[tuple[str, str], ...] = ()  # (id, the number as a source prints it)
    published_by: str = ""  # that source, e.g. "Mazur"
    lang: str = (
        ""  # the language its documents are written in ("ko", "en"); "" leaves it to --lang or the locale
    )

    def published_differences(self, values: Mapping[Ref, Any]) -> list[tuple[Ref, str, str]]:
        """Return (ref, printed, source) for each published number the traced value does not round to.

        A value agrees when rounding it to the printed decimals gives the printed digits.
        """
        differences = []
        for key, printed in self.published:
            ref = parse(key)
            if ref not in values:
                raise SpecError(
                    f"published.{key}", _("not a quantity of this network; `tracer ids SPEC` lists them")
                )
            decimals = len(printed.partition(".")[2])
            if f"{float(values[ref]):.{decimals}f}" != f"{float(printed):.{decimals}f}":
                differences.append((ref, printed, self.published_by))
        return differences

    @property
    def depth(self) -> int:
        """Return L, the number of layers after the input."""
        return len(self.layers) - 1

    @property
    def shape(self) -> Shape:
        """Return the key under which this network's derivation is cached."""
        return Shape(
            self.layers,
            self.activations,
            self.leaky_relu_slope,
            self.loss,
            len(self.samples),
            self.update_biases,
            self.optimizer.key,
        )

    @cached_property
    def g(self) -> tuple[Activation, ...]:
        """Return each layer's activation strategy, layer 1 first (``g[l - 1]`` is layer l's)."""
        return tuple(activation(name, "", self.leaky_relu_slope) for name in self.activations)

    @cached_property
    def cost(self) -> Loss:
        """Return the loss strategy (value, slope, formula)."""
        return find_loss(self.loss)

    @cached_property
    def naming(self) -> Naming:
        """Return the symbols of the spec's notation for this network."""
        return notation(self.notation).bind(self.layers)

    @property
    def sample_numbers(self) -> tuple[int | None, ...]:
        """Return the numbers that tag per-sample quantities: ``(None,)`` for one sample, else 1..n.

        With one sample the ids carry no ``#s`` (``a[2][1]``); with several, ``a[2][1]#1`` ….
        """
        n = len(self.samples)
        return tuple(range(1, n + 1)) if n > 1 else (None,)

    @property
    def parameter_count(self) -> int:
        """Return the number of weights and biases, e.g. 12 for layers (2, 2, 2)."""
        return sum(a * b + a for a, b in zip(self.layers[1:], self.layers[:-1], strict=True))

    def to_dict(self) -> dict[str, Any]:
        """Return the spec as plain data, with drawn parameters filled in (for JSON)."""
        data = asdict(self)
        data["samples"] = [{"x": list(s.x), "y": list(s.y)} for s in self.samples]
        data["published"] = dict(self.published)
        for key, default in (
            ("randomize", None),
            ("ask", ()),
            ("published", {}),
            ("published_by", ""),
            ("lang", ""),
            ("optimizer", OptimizerSpec()),
        ):
            if getattr(self, key) == default:
                del data[key]
        if self.randomize is not None:
            data["randomize"] = self.randomize.to_dict()
        if self.optimizer != OptimizerSpec():
            data["optimizer"] = self.optimizer.to_dict()
        return data


def preset_names() -> list[str]:
    """Return the names of the built-in presets, sorted."""
    folder = resources.files("tracer") / "presets"
    return sorted(p.name.removesuffix(".toml") for p in folder.iterdir() if p.name.endswith(".toml"))


def preset_text(name: str) -> str:
    """Return the TOML text of a built-in preset."""
    if name not in preset_names():
        raise SpecError(
            "preset", _('no preset "{name}"; {hint}').format(name=name, hint=nearest(name, preset_names()))
        )
    return (resources.files("tracer") / "presets" / f"{name}.toml").read_text(encoding="utf-8")


def load_spec(source: str, notation: str | None = None) -> NetworkSpec:
    """Return the checked spec from a file path (TOML or JSON) or a preset name.

    ``notation`` overrides the spec's own. ``load_spec("mazur").layers`` is ``(2, 2, 2)``.
    """
    path = Path(source)
    if path.exists():
        text = read_text(path, str(path), _("the spec"))
        data = _parse(text, path.suffix.lower() == ".json", str(path))
    elif source in preset_names():
        data = _parse(preset_text(source), False, source)
    else:
        raise SpecError(
            "spec",
            _('no file or preset named "{name}"; presets: {presets}').format(
                name=source, presets=", ".join(preset_names())
            ),
        )
    if notation is not None:
        data["notation"] = notation
    return from_dict(data)


def _parse(text: str, is_json: bool, where: str) -> dict[str, Any]:
    data = parse_document(text, is_json, where)
    if not isinstance(data, dict):
        raise SpecError(where, _("the spec must be a table of keys such as `layers` and `samples`"))
    return data


def from_dict(data: dict[str, Any]) -> NetworkSpec:
    """Return the checked spec for already-parsed TOML/JSON data."""
    for key in data:
        if key not in KEYS:
            raise SpecError(key, _("unknown key; {hint}").format(hint=nearest(key, KEYS)))
    layers = _layers(_require(data, "layers"))
    depth = len(layers) - 1
    slope = _number(data.get("leaky_relu_slope", 0.01), "leaky_relu_slope")
    activations = _activations(_require(data, "activations"), depth, slope)
    loss_name = _string(data.get("loss", "quadratic"), "loss")
    find_loss(loss_name)
    _check_loss_fits_output(loss_name, activations[-1])
    rate = _number(_require(data, "learning_rate"), "learning_rate")
    if rate <= 0:
        raise SpecError("learning_rate", _("must be greater than 0, got {value}").format(value=f"{rate:g}"))
    update_biases = data.get("update_biases", True)
    if not isinstance(update_biases, bool):
        raise SpecError("update_biases", _("must be true or false"))
    weights, biases = _parameters(data, layers)
    samples = _samples(_require(data, "samples"), layers, loss_name, activations[-1])
    notation = _string(data.get("notation", "nielsen"), "notation")
    if notation not in NOTATIONS:
        raise SpecError(
            "notation",
            _('unknown notation "{name}"; {hint}').format(name=notation, hint=nearest(notation, NOTATIONS)),
        )
    lang = _string(data.get("lang", ""), "lang")
    if lang and lang not in LANGUAGES:
        raise SpecError(
            "lang", _('unknown language "{lang}"; {hint}').format(lang=lang, hint=nearest(lang, LANGUAGES))
        )
    optimizer = parse_optimizer(data["optimizer"]) if "optimizer" in data else OptimizerSpec()
    return NetworkSpec(
        lang=lang,
        title=_title(data.get("title", N_("A small network"))),
        description=_string(data.get("description", ""), "description"),
        notation=notation,
        layers=layers,
        activations=activations,
        leaky_relu_slope=slope,
        loss=loss_name,
        learning_rate=rate,
        update_biases=update_biases,
        weights=weights,
        biases=biases,
        samples=samples,
        randomize=parse_randomize(data.get("randomize"), loss_name, activations[-1], checker(optimizer)),
        ask=parse_ask(data["ask"]) if "ask" in data else (),
        optimizer=optimizer,
        published=_published(data.get("published", {})),
        published_by=_string(data.get("published_by", ""), "published_by"),
    )


def _published(value: Any) -> tuple[tuple[str, str], ...]:
    """Return a source's printed numbers as (id, digits) pairs, in the order given."""
    if not isinstance(value, dict):
        raise SpecError(
            "published", _('must be a table of id = "number as printed", e.g. "C\'" = "0.291027924"')
        )
    pairs = []
    for key, printed in value.items():
        try:
            if parse(key) is None:
                raise ValueError(key)
            float(printed)
        except (ValueError, TypeError):
            raise SpecError(
                f"published.{key}",
                _('give a quantity id and its number as a string, e.g. "C" = "0.298371109"'),
            ) from None
        if not isinstance(printed, str):
            raise SpecError(
                f"published.{key}",
                _('write the number as a string, as the source prints it, e.g. "0.35891648"'),
            )
        pairs.append((key, printed))
    return tuple(pairs)


def _require(data: dict[str, Any], key: str) -> Any:
    if key not in data:
        raise SpecError(key, _("missing; see `tracer show-spec mazur` for a complete example"))
    return data[key]


def _title(value: Any) -> str:
    title = _string(value, "title")
    if len(title) > MAX_TITLE:
        message = _("{count} characters; a title has at most {limit} (put the rest in description)")
        raise SpecError("title", message.format(count=len(title), limit=MAX_TITLE))
    return title


def _string(value: Any, field: str) -> str:
    if not isinstance(value, str):
        raise SpecError(field, _("must be text in quotes, got {value}").format(value=shown(value)))
    return value


def _number(value: Any, field: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise SpecError(field, _("must be a number, got {value}").format(value=shown(value)))
    try:
        number = float(value)
    except OverflowError:  # a whole number beyond float64, e.g. 10**400 written out
        raise SpecError(
            field, _("must be a finite number, got a whole number too large for float64")
        ) from None
    if not math.isfinite(number):
        raise SpecError(field, _("must be a finite number, got {value}").format(value=shown(value)))
    return number


def _vector(value: Any, field: str, size: int, what: str) -> tuple[float, ...]:
    if not isinstance(value, list):
        raise SpecError(field, _("must be a list of {size} numbers ({what})").format(size=size, what=what))
    if len(value) != size:
        raise SpecError(
            field,
            _("{given} numbers given, {what} needs {size}").format(given=len(value), what=what, size=size),
        )
    return tuple(_number(v, f"{field}[{i + 1}]") for i, v in enumerate(value))


def _layers(value: Any) -> tuple[int, ...]:
    if not isinstance(value, list) or len(value) < 2:
        raise SpecError("layers", _("give the neurons per layer, input first, e.g. [2, 2, 2]"))
    for i, n in enumerate(value):
        if isinstance(n, bool) or not isinstance(n, int) or n < 1:
            raise SpecError(
                f"layers[{i}]", _("must be a whole number of neurons ≥ 1, got {value}").format(value=shown(n))
            )
    count = sum(n * m + n for m, n in pairwise(value))
    if count > MAX_PARAMETERS:
        raise SpecError(
            "layers",
            _("{count} weights and biases; a worked example can have at most {most}").format(
                count=count, most=MAX_PARAMETERS
            ),
        )
    return tuple(value)


def _activations(value: Any, depth: int, slope: float) -> tuple[str, ...]:
    names = [value] * depth if isinstance(value, str) else value
    if not isinstance(names, list) or len(names) != depth:
        raise SpecError(
            "activations",
            _("give one name for all layers or a list of {count} (one per layer after the input)").format(
                count=depth
            ),
        )
    resolved = []
    for l, name in enumerate(names, start=1):
        field = f"activations[{l}]"
        g = activation(_string(name, field), field, slope)
        if g.is_softmax and l != depth:
            raise SpecError(field, _("softmax can only be the output layer's activation"))
        resolved.append(g.name)
    return tuple(resolved)


def _check_loss_fits_output(loss_name: str, output: str) -> None:
    if loss_name == "cross_entropy" and output not in ("softmax", "sigmoid"):
        raise SpecError(
            "loss", _('cross_entropy needs outputs in (0, 1): use "softmax" as the last activation')
        )
    if loss_name == "binary_cross_entropy" and output != "sigmoid":
        raise SpecError(
            "loss", _('binary_cross_entropy needs outputs in (0, 1): use "sigmoid" as the last activation')
        )


def _parameters(data: dict[str, Any], layers: tuple[int, ...]) -> tuple[tuple[Matrix, ...], tuple]:
    init = _init(data)  # checked even when the spec gives every number
    if "weights" in data and "biases" in data:
        raw_w, raw_b = data["weights"], data["biases"]
    else:
        drawn_w, drawn_b = _draw(init, layers)
        raw_w = data.get("weights", drawn_w)
        raw_b = data.get("biases", drawn_b)
    depth = len(layers) - 1
    if not isinstance(raw_w, list) or len(raw_w) != depth:
        raise SpecError(
            "weights", _("give {count} matrices, one per layer after the input").format(count=depth)
        )
    if not isinstance(raw_b, list) or len(raw_b) != depth:
        raise SpecError("biases", _("give {count} lists, one per layer after the input").format(count=depth))
    weights = []
    for l, matrix in enumerate(raw_w, start=1):
        rows, cols = layers[l], layers[l - 1]
        field = f"weights[{l}]"
        need = _("layers {before}→{after} need {shape}").format(
            before=cols, after=rows, shape=f"{rows}×{cols}"
        )
        ok = isinstance(matrix, list) and all(isinstance(r, list) for r in matrix)
        if not ok:
            raise SpecError(field, _("must be a list of rows; {need}").format(need=need))
        for j, row in enumerate(matrix, start=1):
            if len(row) != len(matrix[0]):
                raise SpecError(
                    f"{field}[{j}]",
                    _("{given} numbers given, row 1 has {first}; {need}").format(
                        given=len(row), first=len(matrix[0]), need=need
                    ),
                )
        if len(matrix) != rows or any(len(r) != cols for r in matrix):
            given = f"{len(matrix)}×{len(matrix[0]) if matrix else 0}"
            raise SpecError(field, _("{given} given, {need}").format(given=given, need=need))
        weights.append(
            tuple(
                tuple(_number(w, f"{field}[{j}][{k}]") for k, w in enumerate(row, start=1))
                for j, row in enumerate(matrix, start=1)
            )
        )
    biases = tuple(
        _vector(b, f"biases[{l}]", layers[l], f"layer {l} with {layers[l]} neurons")
        for l, b in enumerate(raw_b, start=1)
    )
    return tuple(weights), biases


def _init(data: dict[str, Any]) -> tuple[int, float, float, int]:
    """Return the checked seed, init_range (low, high) and init_decimals of drawn parameters."""
    seed = data.get("seed", 0)
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise SpecError("seed", _("must be a whole number ≥ 0, got {value}").format(value=shown(seed)))
    low, high = _vector(data.get("init_range", [-1.0, 1.0]), "init_range", 2, "[low, high]")
    if not low < high:
        raise SpecError(
            "init_range", _("low must be below high, got {value}").format(value=f"[{low:g}, {high:g}]")
        )
    if not math.isfinite(high - low):
        message = _("high − low is beyond float64 (got [{low}, {high}]); give a range such as [-1, 1]")
        raise SpecError("init_range", message.format(low=f"{low:g}", high=f"{high:g}"))
    decimals = data.get("init_decimals", 2)
    if isinstance(decimals, bool) or not isinstance(decimals, int) or not 0 <= decimals <= 12:
        raise SpecError(
            "init_decimals",
            _("must be a whole number from 0 to 12, got {value}").format(value=shown(decimals)),
        )
    return seed, low, high, decimals


def _draw(init: tuple[int, float, float, int], layers: tuple[int, ...]) -> tuple[list, list]:
    """Return weights and biases drawn uniformly from init_range, rounded to init_decimals."""
    seed, low, high, decimals = init
    rng = np.random.default_rng(seed)

    def draw(*size: int) -> list:
        return np.round(rng.uniform(low, high, size), decimals).tolist()

    pairs = zip(layers[1:], layers[:-1], strict=True)
    weights, biases = zip(*[(draw(n, m), draw(n)) for n, m in pairs], strict=True)
    return list(weights), list(biases)


def _samples(value: Any, layers: tuple[int, ...], loss_name: str, output: str) -> tuple:
    if isinstance(value, dict):
        value = [value]
    if not isinstance(value, list) or not value:
        raise SpecError("samples", _("give at least one [[samples]] table with x and y"))
    if len(value) > MAX_SAMPLES:
        message = _("{count} samples; tracer takes at most {limit}")
        raise SpecError("samples", message.format(count=len(value), limit=MAX_SAMPLES))
    samples = []
    for s, table in enumerate(value, start=1):
        field = f"samples[{s}]"
        if not isinstance(table, dict) or set(table) != {"x", "y"}:
            raise SpecError(field, _("each sample needs exactly the keys x (input) and y (target)"))
        x = _vector(
            table["x"],
            f"{field}.x",
            layers[0],
            _("the input layer with {count} neurons").format(count=layers[0]),
        )
        y = _vector(
            table["y"],
            f"{field}.y",
            layers[-1],
            _("the output layer with {count} neurons").format(count=layers[-1]),
        )
        if find_loss(loss_name).uses_log:
            for j, t in enumerate(y, start=1):
                if not 0 <= t <= 1:
                    raise SpecError(
                        f"{field}.y[{j}]",
                        _("{loss} needs targets in [0, 1], got {value}").format(
                            loss=loss_name, value=f"{t:g}"
                        ),
                    )
            if output == "softmax" and abs(sum(y) - 1) > 1e-9:
                raise SpecError(
                    f"{field}.y",
                    _("softmax with cross-entropy needs targets that add up to 1, got {value}").format(
                        value=f"{sum(y):g}"
                    ),
                )
        samples.append(Sample(x, y))
    return tuple(samples)
