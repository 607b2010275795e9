"""The worked examples of every preset, as kept in the repository's ``reports/`` folder.

``tracer reports reports`` (or ``python3 -m tracer.reports reports``) writes, for each preset,
``NAME.md`` with ``NAME.svg`` beside it, ``NAME.tex`` and ``NAME.pdf``; a test fails when the
folder is stale.
"""

from __future__ import annotations

import sys
from pathlib import Path

from tracer.errors import SpecError
from tracer.pdf import compile_latex
from tracer.printing import DEFAULT_DECIMALS
from tracer.render import render_latex, render_markdown, render_svg
from tracer.spec import load_spec, preset_names
from tracer.trace import trace


def report_files(name: str, decimals: int = DEFAULT_DECIMALS, pdf: bool = True) -> dict[str, str | bytes]:
    """Return the report files of one preset by file name, e.g. ``{"mazur.md": …, "mazur.pdf": …}``."""
    result = trace(load_spec(name))
    latex = render_latex(result, decimals)
    files: dict[str, str | bytes] = {
        f"{name}.md": render_markdown(result, decimals, f"{name}.svg"),
        f"{name}.svg": render_svg(result, decimals),
        f"{name}.tex": latex,
    }
    if pdf:
        files[f"{name}.pdf"] = compile_latex(latex)
    return files


def write_reports(folder: Path, write) -> list[str]:
    """Write every preset's report files into ``folder`` with ``write(content, path)``; return the names."""
    if not folder.is_dir():
        raise SpecError("reports", f"folder {str(folder)!r} does not exist; create it first")
    written = []
    for name in preset_names():
        for file, content in report_files(name).items():
            write(content, str(folder / file))
            written.append(file)
    return written


if __name__ == "__main__":
    from tracer.cli import main

    sys.exit(main(["reports", *sys.argv[1:]]))
