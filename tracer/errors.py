"""The errors a user sees: one line, exit status 2, no traceback.

Every error a user can fix is a :class:`TracerError`; the command line prints ``tracer: str(error)``
and exits with status 2. Its kinds say whose the mistake is:

* :class:`SpecError`: a spec or an answer file tracer cannot use;
* :class:`UsageError`: an option of the command line (``--steps``, ``--watch``, ``--plots``);
* :class:`OutputError`: where the output should go (``-o``), or what writing it met (a full disk,
  a folder that is not a handout, a TeX engine that failed or ran too long).
"""

from __future__ import annotations

from collections.abc import Iterable

from tracer.i18n import _


class TracerError(Exception):
    """Bad input or a failed output, reported as one line ``field: what is wrong and how to fix it``.

    >>> str(TracerError("learning_rate", "must be > 0, got -0.5"))
    'learning_rate: must be > 0, got -0.5'
    """

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class SpecError(TracerError):
    """A spec or an answer file that tracer cannot use.

    >>> str(SpecError("learning_rate", "must be > 0, got -0.5"))
    'learning_rate: must be > 0, got -0.5'
    """


class UsageError(TracerError):
    """An option of the command line that tracer cannot use, e.g. ``--watch: give one or two ids``."""


class OutputError(TracerError):
    """An output that cannot be written where asked, e.g. ``-o: 'my.toml' is an input of this command``."""


class Interrupted(BaseException):
    """Return-free signal that the run was told to stop (SIGTERM); the command exits 128 + 15."""


def nearest(name: str, choices: Iterable[str]) -> str:
    """Return a hint naming the closest valid choice, or listing them all.

    >>> nearest("sigmod", ["sigmoid", "tanh"])
    'did you mean "sigmoid"?'
    """
    import difflib  # only for a mistake: not on every command's start

    choices = list(choices)
    close = difflib.get_close_matches(name, choices, n=1, cutoff=0.5)
    if close:
        return _('did you mean "{name}"?').format(name=close[0])
    return _("choose one of {choices}").format(choices=", ".join(f'"{c}"' for c in choices))
