"""Reading a user's file: a spec or an answer file, as text, refused in one line if unusable.

Only a regular file is read: a named pipe would wait for a writer forever and a folder is a
mistake for a file. A file larger than :data:`MAX_BYTES` is no spec nor answer file. A UTF-8
byte-order mark is accepted (Windows editors write one).
"""

from __future__ import annotations

import json
import reprlib
import stat
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tracer.errors import SpecError
from tracer.i18n import _

MAX_BYTES = 10_000_000


def check_regular(path: Path, field: str) -> None:
    """Refuse ``path`` unless it is a regular file: SpecError naming a folder, a pipe or a device."""
    try:
        mode = path.stat().st_mode
    except OSError as error:
        message = _("cannot read {path!r}: {reason}")
        raise SpecError(field, message.format(path=str(path), reason=error.strerror)) from None
    if stat.S_ISDIR(mode):
        raise SpecError(field, _("{path!r} is a folder; give a file").format(path=str(path)))
    if not stat.S_ISREG(mode):
        message = _("{path!r} is not a regular file (a pipe or a device); give a file")
        raise SpecError(field, message.format(path=str(path)))


def read_text(path: Path, field: str, what: str) -> str:
    """Return the text of a regular UTF-8 file (a byte-order mark is dropped); SpecError otherwise.

    ``what`` names the file for the message, e.g. ``"the spec"``.
    """
    check_regular(path, field)
    try:
        if path.stat().st_size > MAX_BYTES:
            message = _("{what} is larger than {size} MB; give a smaller file")
            raise SpecError(field, message.format(what=what, size=MAX_BYTES // 1_000_000))
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        message = _("cannot read {what}: not UTF-8 text; save it as a plain .toml or .json file")
        raise SpecError(field, message.format(what=what)) from None
    except OSError as error:
        message = _("cannot read {what}: {reason}")
        raise SpecError(field, message.format(what=what, reason=error.strerror)) from None


def parse(
    text: str,
    is_json: bool,
    field: str,
    toml_hint: str = "",
    explain: Callable[[str], str | None] | None = None,
) -> Any:
    """Return parsed TOML or JSON; SpecError for invalid text, a repeated key, or absurd nesting.

    ``explain`` may turn tomllib's message (``Invalid value (at line 3, column 10)``) into a
    sentence that names the key and the fix; when it returns None, the message is tomllib's with
    ``toml_hint`` after it.

    JSON, like TOML, refuses a key given twice (otherwise the last one would silently win):

    >>> parse('{"out_h1": 0.5933, "out_h1": 0.9}', True, "answers.json")
    Traceback (most recent call last):
    ...
    tracer.errors.SpecError: answers.json: "out_h1" is given twice; give each key once
    """
    try:
        if is_json:
            return json.loads(text, object_pairs_hook=lambda pairs: _unique(pairs, field))
        return tomllib.loads(text)
    except RecursionError:  # JSON or TOML nested thousands deep
        raise SpecError(field, _("nested too deeply; a spec or answer file is a flat table")) from None
    except tomllib.TOMLDecodeError as error:
        explained = None if explain is None else explain(str(error))
        if explained is not None:
            raise SpecError(field, explained) from None
        message = _("not valid TOML: {error}").format(error=error)
        raise SpecError(field, f"{message}; {toml_hint}" if toml_hint else message) from None
    except ValueError as error:  # JSON decode errors; integers of more than 4300 digits in either
        kind = "JSON" if is_json else "TOML"
        raise SpecError(field, _("not valid {kind}: {error}").format(kind=kind, error=error)) from None


def _unique(pairs: list[tuple[str, Any]], field: str) -> dict[str, Any]:
    table: dict[str, Any] = {}
    for key, value in pairs:
        if key in table:
            raise SpecError(field, _('"{key}" is given twice; give each key once').format(key=key[:60]))
        table[key] = value
    return table


def shown(value: Any) -> str:
    """Return a short ``repr`` of a user's value for a message, however long or deep it is.

    >>> shown(list(range(100)))
    '[0, 1, 2, 3, 4, 5, ...]'
    """
    return _SHORT.repr(value)


_SHORT = reprlib.Repr()
_SHORT.maxlevel, _SHORT.maxlist, _SHORT.maxstring, _SHORT.maxother, _SHORT.maxlong = 3, 6, 60, 60, 40
