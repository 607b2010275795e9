"""tracer in a notebook (Jupyter, Colab, VS Code): results that show themselves.

``tracer.worked("mazur")`` is the worked example as a notebook shows it: Markdown with ``$$`` maths
(Colab typesets Markdown maths, not LaTeX inside HTML) and, for frontends that prefer HTML, the
step-through page of ``tracer trace --format html`` as a fragment with KaTeX inside. A
:class:`tracer.Trace` shows a table of its quantities, a check result its feedback sheets, a
training run its report and loss plot: :func:`register` teaches IPython to display them, and
``import tracer`` calls it inside IPython.

>>> example = worked("mazur")
>>> round(example["out_h1"], 9), round(example["a[1][1]"], 9)
(0.593269992, 0.593269992)
>>> sorted(example._repr_mimebundle_())
['text/html', 'text/markdown', 'text/plain']
>>> round(worked(changed(load_spec("mazur"), {"w5": 0.5}))["net_o1"], 9)
1.165232966
"""

from __future__ import annotations

import base64
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from tracer.check.answers import Names
from tracer.check.grading import CheckResult
from tracer.check.render import render_markdown as check_markdown
from tracer.documents.blocks import Document, Section
from tracer.documents.render import environment, render_html, render_markdown
from tracer.documents.styles import LatexStyle
from tracer.documents.writer import Writer
from tracer.errors import SpecError
from tracer.i18n import _, language, speaking
from tracer.printing import DEFAULT_DECIMALS, MathPrinter
from tracer.spec import NetworkSpec, from_dict, load_spec
from tracer.trace import Quantity, Trace, trace
from tracer.train.model import Training
from tracer.train.render import picture_files
from tracer.train.render import render_markdown as training_markdown


def quantity(result: Trace, name: str) -> Quantity:
    """Return a quantity of ``result`` by canonical id or by its name in the notation.

    ``quantity(trace(load_spec("mazur")), "w5+")`` is the updated w₅ (``W'[2][1][1]``); names are
    matched as ``tracer check`` matches answers (``out_h1``, ``outh1``, ``dE_total/dw_5``).
    SpecError if no quantity or several have that name.
    """
    return result[Names(result).resolve(name, "name")]


def _lists(data: Any) -> Any:
    """Return spec data with every tuple (or NumPy array) a list of plain numbers, as a spec file
    gives them, so that a spec built in code is read like one and a number in it can be changed."""
    if isinstance(data, dict):
        return {key: _lists(value) for key, value in data.items()}
    if hasattr(data, "tolist"):  # a NumPy array or number
        data = data.tolist()
    if isinstance(data, list | tuple):
        return [_lists(value) for value in data]
    return data


@contextmanager
def _spoken(spec: NetworkSpec) -> Iterator[None]:
    """Return a context in the spec's ``lang`` when it names one (else the current language), as
    ``tracer trace`` follows a spec's ``lang``."""
    with speaking(spec.lang or language()):
        yield


def changed(spec: NetworkSpec, values: Mapping[str, float]) -> NetworkSpec:
    """Return ``spec`` with some of its given numbers changed, each named by id or notation name.

    ``changed(load_spec("mazur"), {"w5": 0.5})`` starts Mazur's network with w₅ = 0.5. Weights,
    biases, inputs, targets and the learning rate can be changed; a published number of the
    source no longer applies to the changed network and is dropped.
    """
    names = Names(trace(spec))
    data = _lists(spec.to_dict())
    data.pop("published", None)
    data.pop("published_by", None)
    for name, value in values.items():
        ref = names.resolve(name, "changed")
        sample = (ref.sample or 1) - 1
        if ref.kind == "W":
            data["weights"][ref.l - 1][ref.j - 1][ref.k - 1] = value
        elif ref.kind == "b":
            data["biases"][ref.l - 1][ref.j - 1] = value
        elif ref.kind == "a" and ref.l == 0:
            data["samples"][sample]["x"][ref.j - 1] = value
        elif ref.kind == "y":
            data["samples"][sample]["y"][ref.j - 1] = value
        elif ref.kind == "eta":
            data["learning_rate"] = value
        else:
            raise SpecError(
                name, "only given numbers change: a weight, a bias, an input, a target or the learning rate"
            )
    return from_dict(data)


class Worked:
    """Return-free worked example of one training step (or several), shown by a notebook as the
    document itself.

    ``trace`` is the Trace; ``example["out_h1"]`` is a value by id or notation name.
    """

    def __init__(self, result: Trace, decimals: int = DEFAULT_DECIMALS) -> None:
        self.trace = result
        self.decimals = decimals

    def __getitem__(self, name: str) -> float:
        """Return the value of a quantity by canonical id or notation name."""
        return float(quantity(self.trace, name).value)

    def markdown(self) -> str:
        """Return the worked example as Markdown with ``$$`` maths (the network drawn as text)."""
        with _spoken(self.trace.spec):
            return render_markdown(self.trace, self.decimals)

    def html(self) -> str:
        """Return the step-through page as an HTML fragment (KaTeX inside, no network request)."""
        with _spoken(self.trace.spec):
            return render_html(self.trace, self.decimals, fragment=True)

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        return {"text/markdown": self.markdown(), "text/html": self.html(), "text/plain": repr(self)}

    def __repr__(self) -> str:
        return f"<worked example: {self.trace.spec.title}>"


def worked(
    spec: str | NetworkSpec | dict | Trace,
    decimals: int = DEFAULT_DECIMALS,
    notation: str | None = None,
    steps: int = 1,
) -> Worked:
    """Return the worked example of a preset name, spec file, spec dict, NetworkSpec or Trace.

    ``worked("mazur")`` is ``tracer trace mazur``; ``notation`` overrides the spec's;
    ``worked("mazur", steps=3)`` is ``tracer trace mazur --steps 3`` (a Trace brings its own steps),
    whose quantities are named with their step: ``example["w5+@2"]``.
    """
    if isinstance(spec, Trace):
        return Worked(spec, decimals)
    if isinstance(spec, dict):
        spec = from_dict(_lists({**spec, **({"notation": notation} if notation else {})}))
    elif isinstance(spec, str):
        spec = load_spec(spec, notation)
    elif notation:
        spec = from_dict({**_lists(spec.to_dict()), "notation": notation})
    return Worked(trace(spec, steps), decimals)


def quantities_document(result: Trace, decimals: int = DEFAULT_DECIMALS) -> Document:
    """Return a Trace as a document of one table: every quantity's id, symbol, value and rule."""
    writer = Writer(LatexStyle(MathPrinter(result.naming, decimals)))
    head = [writer.say(_("Id")), writer.say(_("Quantity")), writer.say(_("Value")), writer.say(_("Rule"))]
    rows = [
        (
            writer.say(q.id),
            writer.say("{x}", x=result.naming.symbol(q.ref)),
            (writer.number(q.value),),
            writer.say(q.rule),
        )
        for q in result.quantities
    ]
    table = writer.table(head, rows, (False, False, True, False))
    return Document(
        result.spec.title, result.spec.description, (Section("quantities", (table,)),), language()
    )


def trace_markdown(result: Trace) -> str:
    """Return a Trace as Markdown: its title and the table of its quantities."""
    with _spoken(result.spec):
        doc = quantities_document(result)
        return environment("md").get_template("md/document.md.j2").render(doc=doc, svg=None)


def check_result_markdown(result: CheckResult) -> str:
    """Return a check result as its Markdown feedback sheets (``tracer check --format md``)."""
    return check_markdown(result)


def training_markdown_with_plot(training: Training, decimals: int = DEFAULT_DECIMALS) -> str:
    """Return a training run as its Markdown report with the loss plot inline (a PNG data URL)."""
    picture = picture_files(training, "run", decimals, ("png",))["run-loss.png"]
    plot = (
        f"![{_('The loss at every step')}](data:image/png;base64,{base64.b64encode(picture).decode('ascii')})"
    )
    return training_markdown(training, decimals=decimals) + "\n" + plot + "\n"


def short_text(result: Trace | CheckResult | Training) -> str:
    """Return the one line a notebook shows as a result's plain text, e.g. ``<trace: XOR, 50
    quantities>``: the dataclass's own repr runs to every number of its trace (120 kB for a
    3-6-6-2 network), and a notebook keeps it in every output beside the Markdown."""
    if isinstance(result, Trace):
        return f"<trace: {result.spec.title}, {len(result.quantities)} quantities>"
    if isinstance(result, CheckResult):
        files = len(result.grades)
        return f"<check result: {files} answer file{'s' * (files != 1)}, {result.trace.spec.title}>"
    return f"<training: {result.spec.title}, {result.steps} steps, {len(result.runs)} runs>"


def register(shell: Any) -> None:
    """Teach an IPython shell to show a Trace, a check result and a training run as Markdown,
    with one line of plain text (:func:`short_text`).

    Registered by name, so nothing is imported until one is shown.
    """
    formatters = shell.display_formatter.formatters
    markdown, plain = formatters["text/markdown"], formatters["text/plain"]
    for module, name, show in (
        ("tracer.trace", "Trace", trace_markdown),
        ("tracer.check.grading", "CheckResult", check_result_markdown),
        ("tracer.train.model", "Training", training_markdown_with_plot),
    ):
        markdown.for_type_by_name(module, name, show)
        plain.for_type_by_name(module, name, lambda result, printer, cycle: printer.text(short_text(result)))
