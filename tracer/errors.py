"""The one error a user sees: a spec or an answer file that tracer cannot use."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from tracer.i18n import _


class SpecError(Exception):
    """Bad user input, reported as one line ``field: what is wrong and how to fix it``.

    The command line prints ``str(error)`` and exits with status 2; no traceback.

    >>> str(SpecError("learning_rate", "must be > 0, got -0.5"))
    'learning_rate: must be > 0, got -0.5'
    """

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def nearest(name: str, choices: Iterable[str]) -> str:
    """Return a hint naming the closest valid choice, or listing them all.

    >>> nearest("sigmod", ["sigmoid", "tanh"])
    'did you mean "sigmoid"?'
    """
    choices = list(choices)
    close = difflib.get_close_matches(name, choices, n=1, cutoff=0.5)
    if close:
        return _('did you mean "{name}"?').format(name=close[0])
    return _("choose one of {choices}").format(choices=", ".join(f'"{c}"' for c in choices))
