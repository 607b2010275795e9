"""The ``tracer`` command: parse arguments, run one subcommand, turn expected failures into one line.

Every subcommand writes through one :class:`tracer.output.Outputs`, all files or none. Bad input
and an output that cannot be written are a :class:`tracer.errors.TracerError`: one line, exit 2.
The guard in :func:`main` knows only failures a user can meet (an interrupt, SIGTERM, a full
disk, memory); anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import argparse
import errno
import os
import signal
import sys
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import NoReturn

from tracer import arguments
from tracer.argparse_messages import translate_argparse
from tracer.derive import symbol
from tracer.documents.pdf import check_fits
from tracer.documents.publish import FORMATS, document
from tracer.errors import Interrupted, TracerError
from tracer.handout.cli import add_parser as add_handout
from tracer.i18n import LANGUAGES, _, from_environment, requested, use
from tracer.output import Outputs, check_stdout, colour_wanted, to_stdout
from tracer.printing import DEFAULT_DECIMALS, MathPrinter
from tracer.spec import load_spec, preset_names, preset_text
from tracer.terminal import terminal_columns
from tracer.trace import trace
from tracer.train.cli import add_parser as add_train

# OS errors that come from the machine, not from tracer: said in one line like bad input.
ENVIRONMENT_ERRORS = {
    errno.ENOSPC,
    errno.EDQUOT,
    errno.EACCES,
    errno.EPERM,
    errno.EROFS,
    errno.ENAMETOOLONG,
    errno.EIO,
    errno.EFBIG,
    errno.EMFILE,
    errno.ENFILE,
    errno.ENOMEM,
}


def _print(text: str) -> None:
    outputs = Outputs()
    outputs.stdout(text)
    outputs.commit()


def _steps(text: str) -> int:
    value = int(text)
    if not 1 <= value <= 100:
        raise argparse.ArgumentTypeError(_("must be a whole number from 1 to 100"))
    return value


def cmd_trace(args: argparse.Namespace) -> int:
    """Write the worked example of one training step (or of ``--steps N``)."""
    outputs = Outputs(arguments.spec_inputs(args.spec))
    check_stdout(args.format, args.output)
    if not to_stdout(args.output):
        outputs.check(args.output)
    spec = arguments.load(args)
    if args.format in ("tex", "pdf"):
        check_fits(spec.layers, args.format)
    result = trace(spec, args.steps)
    content, beside = document(result, args.format, args.output, args.decimals)
    outputs.publish(args.format, args.output, content, beside)
    outputs.commit()
    return 0


def cmd_reports(args: argparse.Namespace) -> int:
    """Write everything reports/ holds into a folder: worked examples, training reports, the handout."""
    from tracer.reports import report_outputs

    outputs = Outputs()
    report_outputs(Path(args.folder), outputs)
    for path in outputs.commit():
        print(_("wrote {path}").format(path=path), file=sys.stderr)
    return 0


def cmd_ids(args: argparse.Namespace) -> int:
    """List every quantity's canonical id beside its symbol in the spec's notation."""
    result = trace(arguments.load(args), args.steps)
    printer = MathPrinter(result.naming, DEFAULT_DECIMALS)
    rows = []
    for q in result.quantities:
        rows.append((q.id, printer.text(symbol(q.ref)), result.naming.name(q.ref)))
    width = max(len(r[0]) for r in rows)
    symbol_width = max(len(r[1]) for r in rows)
    lines = [f"{i:<{width}}  {s:<{symbol_width}}  {n}".rstrip() for i, s, n in rows]
    _print("\n".join(lines) + "\n")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    """Check a student's answers (a file or a folder of files); exit 0 all right, 1 any wrong, 2 bad input."""
    from tracer.check.answers import answer_files
    from tracer.check.grading import check
    from tracer.check.render import render, render_each
    from tracer.tolerance import DEFAULT_DECIMALS as CHECK_DECIMALS
    from tracer.tolerance import Tolerance

    answers = Path(args.answers)
    outputs = Outputs([*arguments.spec_inputs(args.spec), *answer_files(answers)])
    into_folder = not to_stdout(args.output) and Path(args.output).is_dir()
    if not to_stdout(args.output) and not into_folder:
        outputs.check(args.output)
    if args.rtol is not None:
        tolerance = Tolerance(decimals=None, rtol=args.rtol)
    else:
        tolerance = Tolerance(decimals=CHECK_DECIMALS if args.check_decimals is None else args.check_decimals)
    result = check(trace(arguments.load(args), args.steps), answers, tolerance, args.rounded, args.spec)
    for problem in result.problems:
        print(f"tracer: {problem}", file=sys.stderr)
    if into_folder:
        suffix = {"term": ".txt", "md": ".md", "json": ".json"}[args.format]
        for stem, report in render_each(result, args.format):
            outputs.file(str(Path(args.output) / f"{stem}{suffix}"), report)
    else:
        colour = to_stdout(args.output) and colour_wanted()
        width = terminal_columns()
        outputs.publish(args.format, args.output, render(result, args.format, colour, width))
    outputs.commit()
    return result.exit_status


def _rtol(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not 0 < value < 1:
        raise argparse.ArgumentTypeError(_("must be a number between 0 and 1, e.g. 1e-3"))
    return value


def cmd_presets(args: argparse.Namespace) -> int:
    """List the built-in presets with their titles."""
    names = preset_names()
    width = max(len(n) for n in names)
    _print("\n".join(f"{name:<{width}}  {_(load_spec(name).title)}" for name in names) + "\n")
    return 0


def cmd_show_spec(args: argparse.Namespace) -> int:
    """Print a preset as TOML, to start one's own spec from."""
    _print(preset_text(args.name))
    return 0


class _Parser(argparse.ArgumentParser):
    """Argument parser whose mistakes are one line, like every other bad input (exit status 2)."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: {message} " + _("(see {prog} --help)").format(prog=self.prog) + "\n")


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of the ``tracer`` command."""
    parser = _Parser(
        prog="tracer",
        description=_("Step-by-step backpropagation: worked examples with every number."),
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    output_help = "write to this file; - or none: standard output"

    p = commands.add_parser("trace", help=_("write the worked example of one training step"))
    arguments.spec_argument(p)
    p.add_argument(
        "--format",
        choices=FORMATS,
        default="term",
        help=_(
            "term (default), md (with NAME.svg beside -o NAME.md), tex, pdf (needs a TeX engine), json, "
            "html (one self-contained page to step through)"
        ),
    )
    p.add_argument("-o", "--output", metavar="PATH", help=output_help)
    p.add_argument(
        "--decimals",
        type=arguments.decimals,
        default=DEFAULT_DECIMALS,
        help=_("decimals printed (default 9)"),
    )
    p.add_argument(
        "--steps", type=_steps, default=1, metavar="N", help=_("work out N consecutive steps (default 1)")
    )
    p.set_defaults(run=cmd_trace)

    p = commands.add_parser(
        "reports", help=_("write every example report (worked examples, training, handout) into a folder")
    )
    p.add_argument(
        "folder", metavar="DIR", help=_("e.g. reports: everything the repository's reports/ holds")
    )
    p.set_defaults(run=cmd_reports)

    p = commands.add_parser("ids", help=_("list the quantity ids and their symbols"))
    arguments.spec_argument(p)
    p.add_argument("--steps", type=_steps, default=1, metavar="N", help=_("the ids of N steps (default 1)"))
    p.set_defaults(run=cmd_ids)

    p = commands.add_parser(
        "check",
        help=_("check a student's answers: right, wrong, or an error carried forward"),
        description=_(
            "Check a student's numbers against the worked example. Exit status: 0 every answer "
            "right, 1 any wrong (an error carried forward counts as wrong), 2 bad input."
        ),
    )
    arguments.spec_argument(p)
    p.add_argument(
        "answers",
        metavar="ANSWERS",
        help=_(
            'a TOML/JSON file of name = number (e.g. out_h1 = 0.5933, "a[1][1]" = 0.5933), or a folder '
            "of such files; `tracer ids SPEC` lists the names"
        ),
    )
    tolerance = p.add_mutually_exclusive_group()
    tolerance.add_argument(
        "--decimals",
        dest="check_decimals",
        type=arguments.decimals,
        metavar="N",
        help=_("right when it rounds to the true value's N decimals, one unit of slack (default: 4)"),
    )
    tolerance.add_argument(
        "--rtol", type=_rtol, metavar="R", help=_("right when within R relative (absolute 1e-9 near 0)")
    )
    p.add_argument(
        "--rounded",
        type=arguments.decimals,
        metavar="N",
        help=_("also accept the chain recomputed from values rounded to N decimals at every step"),
    )
    p.add_argument("--format", choices=("term", "md", "json"), default="term", help=_("default: term"))
    p.add_argument(
        "--steps",
        type=_steps,
        default=1,
        metavar="N",
        help=_("answers for N steps, e.g. m(w5)@2 (default 1)"),
    )
    p.add_argument(
        "-o",
        "--output",
        metavar="PATH",
        help=_("write to this file, or one file per answer file into a folder; - or none: standard output"),
    )
    p.set_defaults(run=cmd_check)

    add_train(commands)
    add_handout(commands)

    p = commands.add_parser("presets", help=_("list the built-in example networks"))
    p.set_defaults(run=cmd_presets)

    p = commands.add_parser("show-spec", help=_("print a preset as TOML"))
    p.add_argument("name", metavar="PRESET")
    p.set_defaults(run=cmd_show_spec)
    for command in commands.choices.values():
        command.add_argument(
            "--lang",
            choices=LANGUAGES,
            help=_(
                "the language of the output and the messages (default: the spec's lang, else the locale's)"
            ),
        )
    return parser


@contextmanager
def _terminate_as_interrupt() -> Iterator[None]:
    """Turn SIGTERM into :class:`Interrupted` inside the block, so every ``finally`` runs:
    temporary folders are removed and TeX is stopped, as on Ctrl-C."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: object) -> NoReturn:
        raise Interrupted

    before = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, before)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status.

    0 done; 1 ``tracer check`` found a wrong answer; 2 bad input or an output that cannot be
    written, said in one line; 130 interrupted (Ctrl-C), 143 terminated (SIGTERM), quietly.
    """
    argv = sys.argv[1:] if argv is None else list(argv)
    # The language of the help texts and of errors in the command line itself: --lang, else the locale.
    use(requested(argv) or from_environment())
    translate_argparse()
    args = build_parser().parse_args(argv)
    with _terminate_as_interrupt():
        try:
            return args.run(args)
        except TracerError as error:
            print(f"tracer: {error}", file=sys.stderr)
        except KeyboardInterrupt:
            return 130
        except Interrupted:
            return 128 + signal.SIGTERM
        except BrokenPipeError:  # the reader left (| head): done, and nothing more to flush
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return 0
        except MemoryError:
            print(
                "tracer: " + _("out of memory; ask for less (fewer steps, samples or neurons)"),
                file=sys.stderr,
            )
        except OSError as error:
            if error.errno not in ENVIRONMENT_ERRORS:
                raise
            where = f"{error.filename}: " if error.filename else ""
            print(f"tracer: {where}{error.strerror}", file=sys.stderr)
    return 2
