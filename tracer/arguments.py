"""The command line's shared vocabulary: argument types that refuse a bad value in one line, the
SPEC argument, and the files a spec argument reads.

An argument type raises :class:`argparse.ArgumentTypeError` with the fix, so argparse prints e.g.
``tracer train: argument --steps: must be a whole number from 1 to 1000000`` and exits with 2.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from tracer.i18n import _
from tracer.spec import NOTATIONS


def whole(text: str, low: int, high: int) -> int:
    """Return ``text`` as a whole number from ``low`` to ``high``; ArgumentTypeError otherwise.

    >>> whole("7", 0, 15)
    7
    """
    try:
        value = int(text)
    except ValueError:
        value = None
    if value is None or not low <= value <= high:
        message = _("must be a whole number from {low} to {high}, got {text!r}")
        raise argparse.ArgumentTypeError(message.format(low=low, high=high, text=text[:40]))
    return value


def decimals(text: str) -> int:
    """Return the decimals to print, 0 to 15."""
    return whole(text, 0, 15)


def count(text: str) -> int:
    """Return a count of at least 1 (variants, a variant's number), at most 100000."""
    return whole(text, 1, 100_000)


def seed(text: str) -> int:
    """Return a random seed, a whole number from 0 to 2⁶³ − 1."""
    return whole(text, 0, 2**63 - 1)


def spec_argument(parser: argparse.ArgumentParser) -> None:
    """Add the SPEC_OR_PRESET argument and ``--notation`` to a subcommand."""
    parser.add_argument("spec", metavar="SPEC_OR_PRESET", help="a .toml/.json spec file or a preset name")
    parser.add_argument("--notation", choices=NOTATIONS, help="override the spec's notation")


def spec_inputs(spec: str) -> list[Path]:
    """Return the files a SPEC_OR_PRESET argument reads: the spec file, or none for a preset."""
    path = Path(spec)
    return [path] if path.exists() else []
