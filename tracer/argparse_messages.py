"""The command line's own words (``usage:``, ``options``, its errors) in the reader's language.

:mod:`argparse` writes them through a module-level ``_`` (GNU gettext's), which Python ships
with no Korean catalogue. :func:`translate_argparse` points that ``_`` at :func:`tracer.i18n._`,
and :data:`MESSAGES` puts the ones a user of ``tracer`` can meet into tracer's catalogue. They
keep argparse's ``%`` placeholders: argparse fills them in after translating.
"""

from __future__ import annotations

import argparse

from tracer.i18n import N_, _, ngettext

MESSAGES = (
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("the following arguments are required: %s"),
    N_("one of the arguments %s is required"),
    N_("unrecognized arguments: %s"),
    N_("not allowed with argument %s"),
    N_("expected one argument"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("invalid %(type)s value: %(value)r"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("%(prog)s: error: %(message)s\n"),
)


def translate_argparse() -> None:
    """Make :mod:`argparse` translate its words with tracer's catalogue (in the current language)."""
    argparse._ = _  # type: ignore[attr-defined]
    argparse.ngettext = ngettext  # type: ignore[attr-defined]
