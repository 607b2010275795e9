"""Keep the translations in step with the code: extract → update → compile, one command.

    python -m tracer.catalogue

extracts every message (Python ``_``, ``N_``, ``ngettext``; ``_()`` in the Jinja templates, the
LaTeX ones with their own delimiters; the titles and descriptions of the presets and the sources
of the notations), merges them into ``tracer/locale/<lang>/LC_MESSAGES/tracer.po`` (new messages
untranslated, gone ones dropped) and compiles each ``.po`` to the ``.mo`` that ships in the
package. Translate the new entries (``msgstr ""``) and run it again. The files it writes are
deterministic: no dates, no line numbers, messages sorted, so a merge conflicts only where two
people translated the same message. A developer's tool: it needs Babel (the ``test`` extra).
"""

from __future__ import annotations

import io
import sys
import tomllib
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from tracer.i18n import DOMAIN, LANGUAGES, LOCALE_FOLDER
from tracer.templating import LATEX_SYNTAX

ROOT = Path(__file__).parent.parent
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}
JINJA = {"trim_blocks": "true", "lstrip_blocks": "true", "keep_trailing_newline": "true"}
# Folder under the repository: (file pattern, extractor, options), the first pattern that matches wins.
SOURCES = {
    "tracer": (
        ("**.py", "python", {}),
        ("presets/*.toml", "tracer.catalogue:extract_toml", {"keys": "title description"}),
        ("notations/*.toml", "tracer.catalogue:extract_toml", {"keys": "source"}),
    ),
    "templates": (
        ("**.tex.j2", "jinja2", {**JINJA, **LATEX_SYNTAX}),
        ("**.j2", "jinja2", JINJA),
    ),
}
# A fixed date in the header keeps the files byte-identical from one run to the next.
FIXED_DATE = datetime(2026, 1, 1, tzinfo=UTC)


def po_path(lang: str) -> Path:
    """Return the catalogue file of ``lang``, e.g. ``tracer/locale/ko/LC_MESSAGES/tracer.po``."""
    return LOCALE_FOLDER / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def extract_toml(fileobj, keywords, comment_tags, options) -> Iterator[tuple[int, str, str, list[str]]]:
    """Return the messages of a data file: the string values of ``options["keys"]`` (Babel extractor)."""
    data = tomllib.loads(fileobj.read().decode("utf-8"))
    for key in options["keys"].split():
        if isinstance(data.get(key), str):
            yield 1, "_", data[key], [key]


def extract() -> Catalog:
    """Return a template catalogue of every message the code, the templates and the data files use."""
    template = Catalog(project=DOMAIN, creation_date=FIXED_DATE, fuzzy=False)
    for folder, methods in SOURCES.items():
        mapping = [(pattern, method) for pattern, method, _options in methods]
        options = {pattern: options for pattern, _method, options in methods}
        for filename, _line, message, comments, context in extract_from_dir(
            ROOT / folder, mapping, options, KEYWORDS, comment_tags=()
        ):
            template.add(
                message, None, [(f"{folder}/{filename}", 0)], auto_comments=comments, context=context
            )
    return template


def update(lang: str, template: Catalog) -> Catalog:
    """Return ``lang``'s catalogue merged with ``template``: translations kept, new ones empty."""
    path = po_path(lang)
    if path.exists():
        with path.open("rb") as stream:
            catalogue = read_po(stream, locale=lang, domain=DOMAIN)
    else:
        catalogue = Catalog(locale=lang, domain=DOMAIN, project=DOMAIN)
    catalogue.update(template, no_fuzzy_matching=True)
    catalogue.obsolete.clear()
    catalogue.header_comment = (
        f"# {lang} translations of tracer's messages, kept in step with the code by\n"
        "# python -m tracer.catalogue; terms as tracer/locale/glossary.toml chooses them."
    )
    catalogue.project, catalogue.version = DOMAIN, "1"
    catalogue.copyright_holder = catalogue.last_translator = "tracer contributors"
    catalogue.language_team, catalogue.msgid_bugs_address = lang, ""
    catalogue.creation_date = catalogue.revision_date = FIXED_DATE
    catalogue.fuzzy = False
    return catalogue


def po_bytes(catalogue: Catalog) -> bytes:
    """Return a catalogue as the text of a ``.po`` file: sorted, no line numbers, no wrapping."""
    stream = io.BytesIO()
    write_po(stream, catalogue, width=0, sort_output=True, include_lineno=False, ignore_obsolete=True)
    return stream.getvalue()


def mo_bytes(po: bytes, lang: str) -> bytes:
    """Return the compiled ``.mo`` of a ``.po`` file's text (what gettext reads at run time)."""
    catalogue = read_po(io.BytesIO(po), locale=lang, domain=DOMAIN)
    stream = io.BytesIO()
    write_mo(stream, catalogue)
    return stream.getvalue()


def main() -> int:
    """Extract, update and compile every language's catalogue; print how many messages lack a translation."""
    template = extract()
    for lang in LANGUAGES[1:]:
        catalogue = update(lang, template)
        po = po_bytes(catalogue)
        path = po_path(lang)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(po)
        path.with_suffix(".mo").write_bytes(mo_bytes(po, lang))
        missing = [m.id for m in catalogue if m.id and not m.string]
        print(f"{path}: {len(catalogue) - 1} messages, {len(missing)} untranslated", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
