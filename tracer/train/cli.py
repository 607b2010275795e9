"""The ``tracer train`` subcommand: its options, and writing the report and the pictures."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tracer.arguments import decimals, load, seed, spec_argument, spec_inputs, whole
from tracer.errors import UsageError
from tracer.i18n import _
from tracer.ids import parse
from tracer.output import Outputs, check_stdout, colour_wanted, to_stdout
from tracer.printing import DEFAULT_DECIMALS, format_number
from tracer.spec import NetworkSpec
from tracer.terminal import terminal_columns
from tracer.train import FORMATS

MAX_STEPS = 10_000_000
# Seconds of one step: a fixed part, and a part per sample and parameter (measured with descend()
# on xor and on a 5530-parameter network, 2 cores; generous, an estimate decides only past minutes).
STEP_SECONDS, UNIT_SECONDS = 2e-4, 5e-8
WARN_SECONDS, MAX_SECONDS = 60, 1800


def _steps(text: str) -> int:
    return whole(text, 1, MAX_STEPS)


def _rates(text: str) -> list[float]:
    try:
        rates = [float(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(_("give numbers separated by commas, e.g. 0.05,0.5,5")) from None
    if not rates or any(not rate > 0 or rate == float("inf") for rate in rates):
        raise argparse.ArgumentTypeError(_("give learning rates greater than 0, e.g. 0.05,0.5,5"))
    if len(rates) > 8:
        raise argparse.ArgumentTypeError(_("give at most 8 learning rates"))
    return rates


def _batch(text: str) -> int | None:
    if text == "full":
        return None
    try:
        size = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_('give "full" or a whole number of samples per step')) from None
    if size < 1:
        raise argparse.ArgumentTypeError(_('give "full" or a whole number of samples ≥ 1'))
    return size


def _optimizers(text: str) -> list[str]:
    names = [part.strip() for part in text.split(",") if part.strip()]
    if not names:
        raise argparse.ArgumentTypeError(_("give optimizers separated by commas, e.g. gd,momentum,adam"))
    return names


def optimizer_list(names: list[str] | None, spec) -> list | None:
    """Return the optimizers ``--optimizers`` names (``adam``, ``momentum:book``), or None for the spec's.

    One the spec's ``[optimizer]`` table names, in its convention, keeps the table's hyper-parameters;
    the others take their defaults.
    """
    from tracer.optimizers import parse_optimizer

    if not names:
        return None
    chosen = []
    for text in names:
        name, _colon, convention = text.partition(":")
        table = {"name": name, "convention": convention or "torch"}
        if (name, table["convention"]) == (spec.optimizer.name, spec.optimizer.convention):
            chosen.append(spec.optimizer)
        else:
            chosen.append(parse_optimizer(table, "--optimizers"))
    return chosen


def add_parser(commands: argparse._SubParsersAction) -> None:
    """Add ``tracer train`` to the subcommands."""
    p = commands.add_parser(
        "train",
        help=_("run many steps of gradient descent; compare learning rates; draw the descent"),
        description=_(
            "Run gradient descent from the spec's parameters and report the cost per step, "
            "a verdict per learning rate (converged, too slow, oscillating, diverging), the trained "
            "network's predictions, and pictures of the loss curves and of the descent on the cost surface."
        ),
    )
    spec_argument(p)
    p.add_argument(
        "--steps",
        type=_steps,
        default=1000,
        help=_("steps of gradient descent (default 1000, at most 10000000)"),
    )
    p.add_argument(
        "--learning-rates", type=_rates, metavar="R[,R…]", help=_("one run per rate (default: the spec's)")
    )
    p.add_argument(
        "--optimizers",
        type=_optimizers,
        metavar="NAME[,NAME…]",
        help=_(
            "one run per optimizer (× learning rate): gd, momentum, nesterov, adagrad, rmsprop, adam; "
            "NAME:book for the book's convention (default: the spec's)"
        ),
    )
    p.add_argument(
        "--batch", type=_batch, default=None, metavar="full|K", help=_("samples per step (default full)")
    )
    p.add_argument(
        "--seed", type=seed, help=_("shuffle the samples every epoch with this seed (with --batch K)")
    )
    p.add_argument(
        "--watch",
        metavar="ID[,ID]",
        help=_("one or two parameters to follow and draw, e.g. W[2][1][1],W[2][1][2]"),
    )
    p.add_argument(
        "--format",
        choices=FORMATS,
        default="term",
        help=_(
            "term (default), md (with NAME-loss/descent.svg beside -o NAME.md), tex (with NAME-….pdf "
            "beside -o NAME.tex), pdf (needs a TeX engine), html (one page, the plots inside), json"
        ),
    )
    p.add_argument("-o", "--output", metavar="PATH", help=_("write to this file; - or none: standard output"))
    p.add_argument(
        "--plots",
        metavar="PREFIX",
        help=_(
            "write PREFIX-loss.png/.svg and PREFIX-descent.png/.svg (.pdf for tex and pdf); "
            "md or tex with -o NAME.md/.tex: NAME-… beside it"
        ),
    )
    p.add_argument(
        "--decimals", type=decimals, default=DEFAULT_DECIMALS, help=_("decimals printed (default 9)")
    )
    p.set_defaults(run=cmd_train)


def _progress(asked: int):
    """Return a callback that shows the steps done on stderr, or None when stderr is not a terminal.

    ``asked`` is the steps the user asked for (steps × rates); the steps beyond are the picture's.
    """
    if not sys.stderr.isatty():
        return None

    def show(done: int, total: int) -> None:
        if done <= asked:
            line = _("training: {done} of {total} steps").format(done=done, total=asked)
        else:
            line = _("drawing the descent: {done} of {total} steps")
            line = line.format(done=done - asked, total=total - asked)
        print(f"\r\033[K{line}", end="", file=sys.stderr, flush=True)

    return show


def _watch(spec: NetworkSpec, text: str | None) -> list | None:
    """Return the one or two parameters ``--watch`` names, refusing the same one twice."""
    from tracer.train.descent import check_parameter

    if not text:
        return None
    texts = [t.strip() for t in text.split(",") if t.strip()]
    if not 1 <= len(texts) <= 2:
        message = _("give one or two parameter ids, got {count}")
        raise UsageError("--watch", message.format(count=len(texts)))
    watch = [check_parameter(spec, parse(t), t, "--watch") for t in texts]
    if len(watch) == 2 and watch[0] == watch[1]:
        message = _("{id} is named twice; give two different parameters, e.g. W[1][1][1],W[1][1][2]")
        raise UsageError("--watch", message.format(id=watch[0]))
    return watch


def _check_work(spec: NetworkSpec, args: argparse.Namespace, watch: list | None) -> None:
    """Refuse a training that would take more than :data:`MAX_SECONDS`; warn beyond :data:`WARN_SECONDS`.

    The time is estimated from steps × samples per step × parameters, and the reruns the descent
    picture needs on the watched parameters alone.
    """
    from tracer.train.landscape import trainable

    runs = len(args.learning_rates or [spec.learning_rate])
    reruns = runs if watch is None or set(trainable(spec)) != set(watch) else 0
    samples = min(args.batch or len(spec.samples), len(spec.samples))
    seconds = args.steps * (runs + reruns) * (STEP_SECONDS + UNIT_SECONDS * samples * spec.parameter_count)
    minutes = format_number(seconds / 60, 0)
    if seconds > MAX_SECONDS:
        message = _(
            "{steps} steps would take about {minutes} minutes ({runs} runs, {samples} samples, "
            "{parameters} parameters); ask for fewer steps or rates, or a smaller --batch"
        )
        raise UsageError(
            "--steps",
            message.format(
                steps=args.steps, minutes=minutes, runs=runs, samples=samples, parameters=spec.parameter_count
            ),
        )
    if seconds > WARN_SECONDS:
        message = _("this training will take about {minutes} minutes").format(minutes=minutes)
        print(f"tracer: {message}", file=sys.stderr)


def _check_start(spec: NetworkSpec) -> None:
    """Refuse a spec whose starting cost cannot be computed, with the message ``tracer trace`` gives."""
    import numpy as np

    from tracer.evaluate import batch_cost

    batch_cost(spec, [np.array(w) for w in spec.weights], [np.array(b) for b in spec.biases])


def cmd_train(args: argparse.Namespace) -> int:
    """Run gradient descent and write its report (and pictures)."""
    # Imported here, not at the top: every other tracer command starts faster without them.
    from tracer.train.model import train
    from tracer.train.render import (
        PICTURE_KINDS,
        PICTURES,
        picture_files,
        render_html,
        render_json,
        render_latex,
        render_markdown,
        render_pdf,
        render_term,
    )

    outputs = Outputs(spec_inputs(args.spec))
    check_stdout(args.format, args.output)
    if not to_stdout(args.output):
        outputs.check(args.output)
    prefix = args.plots
    if prefix is None and args.format in ("md", "tex") and not to_stdout(args.output):
        prefix = str(Path(args.output).with_suffix(""))
    if prefix is not None:  # every picture file is checked before the training starts
        for name in PICTURES:
            for kind in PICTURE_KINDS[args.format]:
                outputs.check(f"{prefix}-{name}.{kind}", "--plots" if args.plots else "-o")
    spec = load(args)
    _check_start(spec)
    watch = _watch(spec, args.watch)
    _check_work(spec, args, watch)
    optimizers = optimizer_list(args.optimizers, spec)
    runs = len(args.learning_rates or [spec.learning_rate]) * len(optimizers or [None])
    progress = _progress(args.steps * runs)
    training = train(
        spec, args.steps, args.learning_rates, args.batch, args.seed, watch, args.spec, progress, optimizers
    )
    if progress is not None:
        print("\r\033[K", end="", file=sys.stderr, flush=True)
    written: tuple[str, ...] = ()
    stem, files = None, None
    if prefix is not None:
        folder, stem = Path(prefix).parent, Path(prefix).name
        files = picture_files(training, stem, args.decimals, PICTURE_KINDS[args.format])
        for name, data in files.items():
            outputs.file(str(folder / name), data, "--plots" if args.plots else "-o")
        written = tuple(str(folder / name) for name in files)
    if args.format == "md":
        text = render_markdown(training, stem, args.decimals)
    elif args.format == "tex":
        text = render_latex(training, stem, args.decimals)
    elif args.format == "pdf":
        text = render_pdf(training, stem or "training", args.decimals, figures=files)
    elif args.format == "html":
        svgs = None if files is None else {name: files[f"{stem}-{name}.svg"] for name in PICTURES}
        text = render_html(training, args.decimals, svgs)
    elif args.format == "json":
        text = render_json(training, written)
    else:
        unicode = to_stdout(args.output) and sys.stdout.isatty()
        colour = to_stdout(args.output) and colour_wanted()
        width = terminal_columns()
        text = render_term(training, args.decimals, unicode, written, width, colour)
    outputs.publish(args.format, args.output, text)
    outputs.commit()
    return 0
