"""A spec written back as TOML, so that ``load_spec`` reads the same spec again, number for number.

``tracer handout`` writes each variant's spec with this, and ``tracer check`` grades against it.
Floats are written with ``repr`` (the shortest text that reads back as the same float64), so
``from_dict(tomllib.loads(spec_toml(spec))) == spec``.
"""

from __future__ import annotations

from tracer.optimizers import OptimizerSpec
from tracer.spec import NetworkSpec

# TOML basic strings must escape these; everything else may stand as it is (UTF-8).
_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}


def toml_string(text: str) -> str:
    """Return ``text`` as a TOML basic string.

    >>> print(toml_string('say "σ"\\n'))
    "say \\"σ\\"\\n"
    """
    out = []
    for c in text:
        if c in _ESCAPES:
            out.append(_ESCAPES[c])
        elif ord(c) < 0x20 or ord(c) == 0x7F:
            out.append(f"\\u{ord(c):04X}")
        else:
            out.append(c)
    return '"' + "".join(out) + '"'


def toml_number(value: float) -> str:
    """Return a float as TOML that reads back as the same float64: ``0.1``, ``-1.0``, ``1e-05``.

    >>> toml_number(0.1), toml_number(-1.0), toml_number(1e-05)
    ('0.1', '-1.0', '1e-05')
    """
    return repr(float(value))


def _list(values) -> str:
    return "[" + ", ".join(toml_number(v) for v in values) + "]"


def _matrix(rows) -> str:
    return "[" + ", ".join(_list(row) for row in rows) + "]"


def spec_toml(spec: NetworkSpec, comment: str = "") -> str:
    """Return ``spec`` as a TOML spec file, each ``comment`` line as a ``#`` line at the top.

    Every key is written out (the defaults too), so the file stands on its own.
    """
    lines = [f"# {line}".rstrip() for line in comment.splitlines()]
    lines += [
        f"title = {toml_string(spec.title)}",
        f"description = {toml_string(spec.description)}",
        f"notation = {toml_string(spec.notation)}",
        f"layers = [{', '.join(str(n) for n in spec.layers)}]",
        f"activations = [{', '.join(toml_string(a) for a in spec.activations)}]",
        f"leaky_relu_slope = {toml_number(spec.leaky_relu_slope)}",
        f"loss = {toml_string(spec.loss)}",
        f"learning_rate = {toml_number(spec.learning_rate)}",
        f"update_biases = {'true' if spec.update_biases else 'false'}",
        "weights = [",
        *(f"  {_matrix(W)}," for W in spec.weights),
        "]",
        f"biases = [{', '.join(_list(b) for b in spec.biases)}]",
    ]
    if spec.ask:
        lines.append(f"ask = [{', '.join(toml_string(p) for p in spec.ask)}]")
    if spec.published_by:
        lines.append(f"published_by = {toml_string(spec.published_by)}")
    if spec.optimizer != OptimizerSpec():
        lines += ["", "[optimizer]"]
        for key, value in spec.optimizer.to_dict().items():
            lines.append(f"{key} = {toml_string(value) if isinstance(value, str) else toml_number(value)}")
    for sample in spec.samples:
        lines += ["", "[[samples]]", f"x = {_list(sample.x)}", f"y = {_list(sample.y)}"]
    if spec.randomize is not None:
        lines += ["", "[randomize]"]
        for kind, rule in spec.randomize.to_dict().items():
            if kind == "optimizer":
                rules = ", ".join(f"{key} = {_rule(r)}" for key, r in rule.items())
                lines.append(f"optimizer = {{{rules}}}")
            else:
                lines.append(f"{kind} = {_rule(rule)}")
    if spec.published:
        lines += [
            "",
            "[published]",
            *(f"{toml_string(key)} = {toml_string(text)}" for key, text in spec.published),
        ]
    return "\n".join(lines) + "\n"


def _rule(rule: dict | bool) -> str:
    """Return one ``[randomize]`` entry as a TOML inline table (or true/false)."""
    if isinstance(rule, bool):
        return "true" if rule else "false"
    if "choices" in rule:
        return f"{{choices = {_list(rule['choices'])}}}"
    numbers = [f"{key} = {toml_number(rule[key])}" for key in ("low", "high", "step")]
    return "{" + ", ".join(numbers + (["zero = false"] if rule.get("zero") is False else [])) + "}"
