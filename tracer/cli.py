"""The ``tracer`` command: parse arguments, run one subcommand, turn bad input into exit status 2."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from tracer.derive import symbol
from tracer.errors import SpecError
from tracer.printing import DEFAULT_DECIMALS, MathPrinter
from tracer.render import render_json
from tracer.spec import NOTATIONS, load_spec, preset_names, preset_text
from tracer.trace import trace

FORMATS = ("json",)


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
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
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
    write_output(render_json(result, args.decimals), args.output)
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


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of the ``tracer`` command."""
    parser = argparse.ArgumentParser(
        prog="tracer",
        description="Step-by-step backpropagation: worked examples with every number.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = commands.add_parser("trace", help="write the worked example of one training step")
    _spec_argument(p)
    p.add_argument("--format", choices=FORMATS, default="json")
    p.add_argument("-o", "--output", metavar="PATH", help="write to this file (default: stdout)")
    p.add_argument(
        "--decimals", type=_decimals, default=DEFAULT_DECIMALS, help="decimals printed (default 9)"
    )
    p.set_defaults(run=cmd_trace)

    p = commands.add_parser("ids", help="list the quantity ids and their symbols")
    _spec_argument(p)
    p.set_defaults(run=cmd_ids)

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
