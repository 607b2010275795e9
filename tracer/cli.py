"""The ``tracer`` command: parse arguments, run one subcommand, turn bad input into exit status 2."""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from tracer.derive import symbol
from tracer.documents.publish import FORMATS, publish
from tracer.errors import SpecError
from tracer.printing import DEFAULT_DECIMALS, MathPrinter
from tracer.spec import NOTATIONS, load_spec, preset_names, preset_text
from tracer.trace import trace


def write_output(content: str | bytes, path: str | None) -> None:
    """Write to ``path`` atomically (a temporary file renamed into place), or to stdout."""
    if path is None:
        if isinstance(content, bytes):
            sys.stdout.buffer.write(content)
        else:
            sys.stdout.write(content)
        return
    target = Path(path)
    if not target.parent.is_dir():
        raise SpecError("-o", f"folder {str(target.parent)!r} does not exist; create it first")
    data = content.encode("utf-8") if isinstance(content, str) else content
    if target.is_dir():
        raise SpecError("-o", f"{path!r} is a folder; give the name of a file to write")
    if target.exists() and not target.is_file():
        # /dev/null, a pipe, a terminal: write straight to it; renaming a file onto it would
        # replace the device itself.
        with target.open("wb") as stream:
            stream.write(data)
        return
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        # mkstemp makes the file private (0600); give it the permissions open() would have.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, target)
    except BaseException:
        os.unlink(temporary)
        raise


def _decimals(text: str) -> int:
    value = int(text)
    if not 0 <= value <= 15:
        raise argparse.ArgumentTypeError("must be a whole number from 0 to 15")
    return value


def _spec_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("spec", metavar="SPEC_OR_PRESET", help="a .toml/.json spec file or a preset name")
    parser.add_argument("--notation", choices=NOTATIONS, help="override the spec's notation")


def cmd_trace(args: argparse.Namespace) -> int:
    """Write the worked example of one training step."""
    result = trace(load_spec(args.spec, args.notation))
    publish(result, args.format, args.output, args.decimals, write_output)
    return 0


def cmd_reports(args: argparse.Namespace) -> int:
    """Write everything reports/ holds into a folder: worked examples, training reports, the handout."""
    from tracer.reports import write_reports

    for name in write_reports(Path(args.folder), write_output):
        print(f"wrote {Path(args.folder) / name}", file=sys.stderr)
    return 0


def cmd_ids(args: argparse.Namespace) -> int:
    """List every quantity's canonical id beside its symbol in the spec's notation."""
    result = trace(load_spec(args.spec, args.notation))
    printer = MathPrinter(result.naming, DEFAULT_DECIMALS)
    rows = []
    for q in result.quantities:
        rows.append((q.id, printer.text(symbol(q.ref)), result.naming.name(q.ref)))
    width = max(len(r[0]) for r in rows)
    symbol_width = max(len(r[1]) for r in rows)
    lines = [f"{i:<{width}}  {s:<{symbol_width}}  {n}".rstrip() for i, s, n in rows]
    write_output("\n".join(lines) + "\n", None)
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    """Check a student's answers (a file or a folder of files); exit 0 all right, 1 any wrong, 2 bad input."""
    from tracer.check.grading import DEFAULT_DECIMALS as CHECK_DECIMALS
    from tracer.check.grading import Tolerance, check
    from tracer.check.render import render, render_each

    if args.rtol is not None:
        tolerance = Tolerance(decimals=None, rtol=args.rtol)
    else:
        tolerance = Tolerance(decimals=CHECK_DECIMALS if args.check_decimals is None else args.check_decimals)
    result = check(
        trace(load_spec(args.spec, args.notation)), Path(args.answers), tolerance, args.rounded, args.spec
    )
    for problem in result.problems:
        print(f"tracer: {problem}", file=sys.stderr)
    if args.output is not None and Path(args.output).is_dir():
        suffix = {"term": ".txt", "md": ".md", "json": ".json"}[args.format]
        for stem, report in render_each(result, args.format):
            write_output(report, str(Path(args.output) / f"{stem}{suffix}"))
        return result.exit_status
    colour = args.output is None and sys.stdout.isatty() and "NO_COLOR" not in os.environ
    width = shutil.get_terminal_size().columns
    write_output(render(result, args.format, colour, width), args.output)
    return result.exit_status


def _rtol(text: str) -> float:
    value = float(text)
    if not 0 < value < 1:
        raise argparse.ArgumentTypeError("must be a number between 0 and 1, e.g. 1e-3")
    return value


def cmd_presets(args: argparse.Namespace) -> int:
    """List the built-in presets with their titles."""
    names = preset_names()
    width = max(len(n) for n in names)
    lines = [f"{name:<{width}}  {load_spec(name).title}" for name in names]
    write_output("\n".join(lines) + "\n", None)
    return 0


def cmd_show_spec(args: argparse.Namespace) -> int:
    """Print a preset as TOML, to start one's own spec from."""
    write_output(preset_text(args.name), None)
    return 0


class _Parser(argparse.ArgumentParser):
    """Argument parser whose mistakes are one line, like every other bad input (exit status 2)."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: {message} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of the ``tracer`` command."""
    parser = _Parser(
        prog="tracer",
        description="Step-by-step backpropagation: worked examples with every number.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = commands.add_parser("trace", help="write the worked example of one training step")
    _spec_argument(p)
    p.add_argument(
        "--format",
        choices=FORMATS,
        default="term",
        help="term (default), md (with NAME.svg beside -o NAME.md), tex, pdf (needs a TeX engine), json",
    )
    p.add_argument("-o", "--output", metavar="PATH", help="write to this file (default: stdout)")
    p.add_argument(
        "--decimals", type=_decimals, default=DEFAULT_DECIMALS, help="decimals printed (default 9)"
    )
    p.set_defaults(run=cmd_trace)

    p = commands.add_parser(
        "reports", help="write every example report (worked examples, training, handout) into a folder"
    )
    p.add_argument("folder", metavar="DIR", help="e.g. reports: everything the repository's reports/ holds")
    p.set_defaults(run=cmd_reports)

    p = commands.add_parser("ids", help="list the quantity ids and their symbols")
    _spec_argument(p)
    p.set_defaults(run=cmd_ids)

    p = commands.add_parser(
        "check",
        help="check a student's answers: right, wrong, or an error carried forward",
        description="Check a student's numbers against the worked example. Exit status: 0 every answer "
        "right, 1 any wrong (an error carried forward counts as wrong), 2 bad input.",
    )
    _spec_argument(p)
    p.add_argument(
        "answers",
        metavar="ANSWERS",
        help='a TOML/JSON file of name = number (e.g. out_h1 = 0.5933, "a[1][1]" = 0.5933), or a folder '
        "of such files; `tracer ids SPEC` lists the names",
    )
    tolerance = p.add_mutually_exclusive_group()
    tolerance.add_argument(
        "--decimals",
        dest="check_decimals",
        type=_decimals,
        metavar="N",
        help="right when it rounds to the true value's N decimals, one unit of slack (default: 4)",
    )
    tolerance.add_argument(
        "--rtol", type=_rtol, metavar="R", help="right when within R relative (absolute 1e-9 near 0)"
    )
    p.add_argument(
        "--rounded",
        type=_decimals,
        metavar="N",
        help="also accept the chain recomputed from values rounded to N decimals at every step",
    )
    p.add_argument("--format", choices=("term", "md", "json"), default="term", help="default: term")
    p.add_argument(
        "-o", "--output", metavar="PATH", help="write to this file, or one file per answer file into a folder"
    )
    p.set_defaults(run=cmd_check)

    from tracer.train.cli import add_parser as add_train  # here, as it imports this module

    add_train(commands)

    from tracer.handout.cli import add_parser as add_handout  # here, as it imports this module

    add_handout(commands)

    p = commands.add_parser("presets", help="list the built-in example networks")
    p.set_defaults(run=cmd_presets)

    p = commands.add_parser("show-spec", help="print a preset as TOML")
    p.add_argument("name", metavar="PRESET")
    p.set_defaults(run=cmd_show_spec)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status (2 for bad input, with a one-line message)."""
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except SpecError as error:
        print(f"tracer: {error}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0
