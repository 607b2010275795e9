"""Where the Jinja templates live and how every output's environment is set up.

The templates are the repository's ``templates/`` folder, installed as the package
``tracer.templates``; each kind of output (worked example, check report, training report)
makes its environment here and registers its own filters by name.
"""

from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

import jinja2

# LaTeX templates use these delimiters, so that TeX's braces need no escaping.
LATEX_SYNTAX = {
    "block_start_string": "<%",
    "block_end_string": "%>",
    "variable_start_string": "<<",
    "variable_end_string": ">>",
    "comment_start_string": "<#",
    "comment_end_string": "#>",
}


def template_folder() -> Traversable:
    """Return the templates: package ``tracer.templates`` when installed, else the repository's."""
    try:
        return resources.files("tracer.templates")
    except ModuleNotFoundError:
        return Path(__file__).parent.parent / "templates"


def template_source(name: str) -> str | None:
    """Return the text of template ``name`` (e.g. ``"md/frame.md.j2"``), or None if there is none."""
    path = template_folder()
    # One part at a time: an installed namespace package is a MultiplexedPath, whose joinpath
    # takes a single name on Python 3.11.
    for part in name.split("/"):
        path = path.joinpath(part)
    return path.read_text(encoding="utf-8") if path.is_file() else None


def new_environment(cache_compiled: bool = False, **options: Any) -> jinja2.Environment:
    """Return a Jinja environment over the templates: strict, no autoescape unless asked.

    With ``cache_compiled`` compiled templates are kept in Jinja's per-user temporary folder, so
    a command skips compiling them again (about 40 ms of its start-up). Only for environments
    whose filters never change: Jinja folds a filter on a constant into the compiled template.
    """
    settings: dict[str, Any] = {
        "loader": jinja2.FunctionLoader(template_source),
        "bytecode_cache": jinja2.FileSystemBytecodeCache() if cache_compiled else None,
        "undefined": jinja2.StrictUndefined,
        "autoescape": False,
        "trim_blocks": True,
        "lstrip_blocks": True,
        "keep_trailing_newline": True,
    }
    return jinja2.Environment(**{**settings, **options})
