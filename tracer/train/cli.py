"""The ``tracer train`` subcommand: its options, and writing the report and the pictures."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tracer.cli import _decimals, _spec_argument, write_output
from tracer.errors import SpecError
from tracer.i18n import _
from tracer.ids import parse
from tracer.printing import DEFAULT_DECIMALS
from tracer.spec import load_spec
from tracer.train import FORMATS


def _steps(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be a whole number ≥ 1")
    return value


def _rates(text: str) -> list[float]:
    try:
        rates = [float(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError("give numbers separated by commas, e.g. 0.05,0.5,5") from None
    if not rates or any(not rate > 0 or rate == float("inf") for rate in rates):
        raise argparse.ArgumentTypeError("give learning rates greater than 0, e.g. 0.05,0.5,5")
    return rates


def _batch(text: str) -> int | None:
    if text == "full":
        return None
    try:
        size = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError('give "full" or a whole number of samples per step') from None
    if size < 1:
        raise argparse.ArgumentTypeError('give "full" or a whole number of samples ≥ 1')
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
        help="run many steps of gradient descent; compare learning rates; draw the descent",
        description="Run gradient descent from the spec's parameters and report the cost per step, "
        "a verdict per learning rate (converged, too slow, oscillating, diverging), the trained "
        "network's predictions, and pictures of the loss curves and of the descent on the cost surface.",
    )
    _spec_argument(p)
    p.add_argument("--steps", type=_steps, default=1000, help="steps of gradient descent (default 1000)")
    p.add_argument(
        "--learning-rates", type=_rates, metavar="R[,R…]", help="one run per rate (default: the spec's)"
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
        "--batch", type=_batch, default=None, metavar="full|K", help="samples per step (default full)"
    )
    p.add_argument("--seed", type=int, help="shuffle the samples every epoch with this seed (with --batch K)")
    p.add_argument(
        "--watch",
        metavar="ID[,ID]",
        help="one or two parameters to follow and draw, e.g. W[2][1][1],W[2][1][2]",
    )
    p.add_argument(
        "--format",
        choices=FORMATS,
        default="term",
        help="term (default), md (with NAME-loss/descent.svg beside -o NAME.md), tex (with NAME-….pdf "
        "beside -o NAME.tex), pdf (needs a TeX engine), json",
    )
    p.add_argument("-o", "--output", metavar="PATH", help="write to this file (default: stdout)")
    p.add_argument(
        "--plots",
        metavar="PREFIX",
        help="write PREFIX-loss.png/.svg and PREFIX-descent.png/.svg (.pdf for tex and pdf); "
        "md or tex with -o NAME.md/.tex: NAME-… beside it",
    )
    p.add_argument(
        "--decimals", type=_decimals, default=DEFAULT_DECIMALS, help="decimals printed (default 9)"
    )
    p.set_defaults(run=cmd_train)


def _progress():
    """Return a callback that shows the steps done on stderr, or None when stderr is not a terminal."""
    if not sys.stderr.isatty():
        return None

    def show(done: int, total: int) -> None:
        print(f"\rtraining: {done} of {total} steps", end="", file=sys.stderr, flush=True)

    return show


def cmd_train(args: argparse.Namespace) -> int:
    """Run gradient descent and write its report (and pictures)."""
    # Imported here, not at the top: every other tracer command starts faster without them.
    from tracer.train.descent import check_parameter
    from tracer.train.model import train
    from tracer.train.render import (
        PICTURE_KINDS,
        picture_files,
        render_json,
        render_latex,
        render_markdown,
        render_pdf,
        render_term,
    )

    spec = load_spec(args.spec, args.notation)
    watch = None
    if args.watch:
        texts = [t.strip() for t in args.watch.split(",") if t.strip()]
        if not 1 <= len(texts) <= 2:
            raise SpecError("--watch", f"give one or two parameter ids, got {len(texts)}")
        watch = [check_parameter(spec, parse(t), t, "--watch") for t in texts]
    if args.format == "pdf" and args.output is None and sys.stdout.isatty():
        raise SpecError("--format pdf", "a PDF is binary: give -o FILE.pdf or redirect the output")
    progress = _progress()
    optimizers = optimizer_list(args.optimizers, spec)
    training = train(
        spec, args.steps, args.learning_rates, args.batch, args.seed, watch, args.spec, progress, optimizers
    )
    if progress is not None:
        print("\r\033[K", end="", file=sys.stderr, flush=True)
    prefix = args.plots
    if prefix is None and args.format in ("md", "tex") and args.output is not None:
        prefix = str(Path(args.output).with_suffix(""))
    written: tuple[str, ...] = ()
    stem, files = None, None
    if prefix is not None:
        folder, stem = Path(prefix).parent, Path(prefix).name
        files = picture_files(training, stem, args.decimals, PICTURE_KINDS[args.format])
        for name, data in files.items():
            write_output(data, str(folder / name))
        written = tuple(str(folder / name) for name in files)
    if args.format == "md":
        text = render_markdown(training, stem, args.decimals)
    elif args.format == "tex":
        text = render_latex(training, stem, args.decimals)
    elif args.format == "pdf":
        text = render_pdf(training, stem or "training", args.decimals, figures=files)
    elif args.format == "json":
        text = render_json(training, written)
    else:
        unicode = args.output is None and sys.stdout.isatty()
        text = render_term(training, args.decimals, unicode, written)
    write_output(text, args.output)
    return 0
