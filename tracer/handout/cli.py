"""The ``tracer handout`` subcommand: its options, and writing the handout's files into a folder."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from tracer.arguments import count, decimals, load, seed, spec_argument, spec_inputs
from tracer.documents.pdf import check_fits
from tracer.errors import UsageError
from tracer.handout import DEFAULT_DECIMALS, FORMATS, HAND_INS, LMS
from tracer.i18n import _, ngettext
from tracer.output import Outputs

if TYPE_CHECKING:
    from tracer.handout.model import Handout


def add_parser(commands: argparse._SubParsersAction) -> None:
    """Add ``tracer handout`` to the subcommands."""
    p = commands.add_parser(
        "handout",
        help=_("one exercise per student with its own numbers, and the answer keys"),
        description=_(
            "Draw VARIANTS exercises from one network, each with its own numbers (a good "
            "exercise by hand: no saturated units, no dead ReLU layers, no gradient that rounds to 0), "
            "and write per variant an exercise sheet, an answer key with the asked values boxed, an "
            "answers file and a spec file for `tracer check`, plus all sheets and all keys in one file each."
        ),
    )
    spec_argument(p)
    p.add_argument("--variants", type=count, metavar="N", help=_("how many variants (exercises) to draw"))
    p.add_argument("--seed", type=seed, default=0, help=_("the same seed gives the same files (default 0)"))
    p.add_argument(
        "-o",
        "--output",
        metavar="DIR",
        required=True,
        help=_("the folder to write into: new, empty, or a previous handout (replaced, stale files removed)"),
    )
    p.add_argument(
        "--force", action="store_true", help=_("write into a folder that holds other files (they are kept)")
    )
    p.add_argument(
        "--format",
        choices=FORMATS,
        default="md",
        help=_("md (default, with SVG diagrams), tex, pdf, html (pages that open offline)"),
    )
    p.add_argument(
        "--ask",
        metavar="IDS",
        help=_(
            'what to compute, comma-separated ids with * for any index, e.g. "a[2][*],C,dC/dW[1][*][*]" '
            "(default: the spec's ask, else the forward pass, C, the output gradients and one hidden one)"
        ),
    )
    p.add_argument("--variant", type=count, metavar="K", help=_("make only variant K again (its files)"))
    p.add_argument(
        "--exact",
        action="store_true",
        help=_("small fractions, every value exact (ReLU or identity activations, quadratic or sse loss)"),
    )
    p.add_argument(
        "--decimals",
        type=decimals,
        default=DEFAULT_DECIMALS,
        help=_("decimals of the answers (default 4)"),
    )
    p.add_argument(
        "--hand-in",
        choices=HAND_INS,
        default="paper",
        help=_(
            "how students hand in: paper (blanks on the sheet, default), file (an answers file for "
            "`tracer check`) or both"
        ),
    )
    p.add_argument(
        "--lms",
        choices=LMS,
        action="append",
        help=_(
            "also write the handout for a learning-management system: moodle (moodle.xml, Cloze "
            "questions) or canvas (canvas-qti.zip, QTI 1.2); may be given twice"
        ),
    )
    p.set_defaults(run=cmd_handout)


def cmd_handout(args: argparse.Namespace) -> int:
    """Write a handout's files into a folder and say how many draws were rejected."""
    # Imported here, not at the top: every other tracer command starts faster without them.
    from tracer.handout.model import Request, make_handout
    from tracer.handout.render import handout_files

    if args.variants is None and args.variant is None:
        raise UsageError("--variants", _("give the number of variants, e.g. --variants 30"))
    if args.variants is not None and args.variant is not None and args.variant > args.variants:
        message = _("{variant} is more than the {variants} variants")
        raise UsageError("--variant", message.format(variant=args.variant, variants=args.variants))
    if args.lms and args.variant is not None:
        raise UsageError("--lms", _("an LMS file holds every variant; leave out --variant K"))
    outputs = Outputs(spec_inputs(args.spec))
    folder = outputs.folder(args.output, force=args.force, partial=args.variant is not None)
    spec = load(args)
    if args.format in ("tex", "pdf"):
        check_fits(spec.layers, args.format)
    request = Request(
        source=args.spec,
        count=args.variants if args.variants is not None else args.variant,
        seed=args.seed,
        only=args.variant,
        exact=args.exact,
        decimals=args.decimals,
        ask=args.ask,
        format=args.format,
        notation=args.notation,
        hand_in=args.hand_in,
        lms=tuple(dict.fromkeys(args.lms or ())),
    )
    handout = make_handout(spec, request, _progress())
    files = handout_files(handout)
    for name, content in files.items():
        outputs.file(str(folder / name), content)
    outputs.commit()
    print(summary(handout, folder, len(files)))
    return 0


def _progress() -> Callable[[int, int, int], None] | None:
    """Return a callback that shows the draws on stderr, or None when stderr is not a terminal."""
    if not sys.stderr.isatty():
        return None

    def show(variant: int, variants: int, draws: int) -> None:
        if variant > variants:  # done: clear the line
            print("\r\033[K", end="", file=sys.stderr, flush=True)
            return
        line = ngettext(
            "drawing variant {variant} of {variants}: {draws} draw so far",
            "drawing variant {variant} of {variants}: {draws} draws so far",
            draws,
        )
        line = line.format(variant=variant, variants=variants, draws=draws)
        print(f"\r{line}", end="", file=sys.stderr, flush=True)

    return show


def summary(handout: Handout, folder: Path, files: int) -> str:
    """Return what the command says when done: the variants, the rejected draws, how to grade."""
    made = (
        ", ".join(v.code for v in handout.variants)
        if len(handout.variants) <= 3
        else (f"{handout.variants[0].code} … {handout.variants[-1].code}")
    )
    rejected = handout.rejected
    why = ", ".join(f"{n} {_(rule)}" for rule, n in handout.rejected_by_rule().items())
    count = len(handout.variants)
    wrote = ngettext(
        "wrote {files} files into {folder}: {count} variant ({made}) of “{title}”",
        "wrote {files} files into {folder}: {count} variants ({made}) of “{title}”",
        count,
    )
    if why:
        rejections = ngettext(
            "{rejected} draw rejected ({why})",
            "{rejected} draws rejected ({why})",
            rejected,
        )
    else:
        rejections = ngettext("{rejected} draw rejected", "{rejected} draws rejected", rejected)
    grade = _("grade with: tracer check {spec} STUDENT.toml")
    lines = [
        wrote.format(files=files, folder=folder, count=count, made=made, title=handout.spec.title),
        rejections.format(rejected=rejected, why=why),
        grade.format(spec=folder / "variant-NN-spec.toml"),
    ]
    if "canvas" in handout.request.lms:
        lines += _canvas_scaled(handout)
    return "\n".join(lines)


SHOWN = 6  # the values asked times a power of ten that the command names


def _canvas_scaled(handout: Handout) -> list[str]:
    """Return what the command says of the values Canvas asks times a power of ten, if any."""
    from tracer.handout.canvas import scaled

    found = scaled(handout)
    if not found:
        return []
    which = ", ".join(f"{s.code} #{s.number} ×10^{s.scale}" for s in found[:SHOWN])
    if len(found) > SHOWN:
        which += ", " + _("and {count} more").format(count=len(found) - SHOWN)
    return [
        _(
            "canvas: {count} answers are asked times a power of ten, as Canvas sets any number under "
            "0.0001 in size to 0 and keeps 4 decimals of an answer typed: {which}"
        ).format(count=len(found), which=which)
    ]
