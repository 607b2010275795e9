"""The reader's language: every sentence tracer writes for a person passes through here.

Messages are English in the code and translated by gettext catalogues
(``tracer/locale/<lang>/LC_MESSAGES/tracer.mo``). Code writes ``_("The loss went down.")`` where a
sentence is used, ``N_("…")`` where one is only defined (a module-level table) and translated later
with ``_()``. Placeholders are Python's ``{name}``, filled in after translation, so a translation
may move them: ``_("{count} of {total} correct").format(count=7, total=15)``.

The language is chosen once per run (``--lang``, a spec's ``lang``, else the locale) with
:func:`use`, or for a block of code with :func:`speaking`.

>>> with speaking("en"):
...     _("The loss went down.")
'The loss went down.'
"""

from __future__ import annotations

import gettext
import os
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

LANGUAGES = ("en", "ko")
DEFAULT_LANGUAGE = "en"
DOMAIN = "tracer"
LOCALE_FOLDER = Path(__file__).parent / "locale"

_state: dict[str, object] = {"lang": DEFAULT_LANGUAGE, "translations": gettext.NullTranslations()}


def _(message: str) -> str:
    """Return ``message`` in the current language (unchanged in English or when untranslated)."""
    return _state["translations"].gettext(message)  # type: ignore[union-attr]


def ngettext(singular: str, plural: str, n: int) -> str:
    """Return the singular or plural form of a message for ``n``, in the current language."""
    return _state["translations"].ngettext(singular, plural, n)  # type: ignore[union-attr]


def N_(message: str) -> str:
    """Return ``message`` unchanged: marks a sentence for the catalogue, translated later by ``_``."""
    return message


def language() -> str:
    """Return the current language code, e.g. ``"en"``."""
    return str(_state["lang"])


def use(lang: str) -> None:
    """Make ``lang`` (one of :data:`LANGUAGES`) the language of everything written from now on."""
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}")
    if lang == DEFAULT_LANGUAGE:
        translations: gettext.NullTranslations = gettext.NullTranslations()
    else:
        translations = gettext.translation(DOMAIN, LOCALE_FOLDER, languages=[lang], fallback=True)
    _state["lang"], _state["translations"] = lang, translations


@contextmanager
def speaking(lang: str) -> Iterator[None]:
    """Use ``lang`` inside a ``with`` block and restore the language before it afterwards."""
    before = dict(_state)
    use(lang)
    try:
        yield
    finally:
        _state.update(before)


def follow_spec(spec_lang: str, flag: str | None) -> None:
    """Use a spec's ``lang`` unless ``--lang`` (``flag``) chose a language: the flag, the spec, the locale.

    >>> with speaking("en"):
    ...     follow_spec("ko", None)
    ...     language()
    'ko'
    """
    if flag is None and spec_lang:
        use(spec_lang)


def requested(argv: Sequence[str]) -> str | None:
    """Return the language a command line asks for with ``--lang``, or None (before parsing it).

    The help texts are written in it, so it is chosen before the parser is built.

    >>> requested(["trace", "mazur", "--lang", "ko"]), requested(["--lang=en"]), requested(["-h"])
    ('ko', 'en', None)
    """
    for i, word in enumerate(argv):
        value = argv[i + 1] if word == "--lang" and i + 1 < len(argv) else word.removeprefix("--lang=")
        if (word == "--lang" or word.startswith("--lang=")) and value in LANGUAGES:
            return value
    return None


def from_environment(environ: Mapping[str, str] = os.environ) -> str:
    """Return the language the locale asks for (``LANG=ko_KR.UTF-8`` gives ``"ko"``), else English.

    >>> from_environment({"LANG": "ko_KR.UTF-8"})
    'ko'
    >>> from_environment({"LANG": "C.UTF-8"})
    'en'
    """
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name, "")
        if value:
            code = value.split(":")[0].split("_")[0].split(".")[0].lower()
            return code if code in LANGUAGES else DEFAULT_LANGUAGE
    return DEFAULT_LANGUAGE
