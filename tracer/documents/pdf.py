"""LaTeX to PDF with the TeX engine on PATH, in a temporary folder, reproducibly.

The same LaTeX gives the same PDF bytes: ``SOURCE_DATE_EPOCH=0`` and ``FORCE_SOURCE_DATE=1`` fix
the dates pdfTeX writes, and the document itself sets an empty trailer ID. Files the document
reads (the pictures of a training report) are written beside it in the same folder.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path

from tracer.errors import SpecError
from tracer.i18n import N_, _

INSTALL = N_(
    "no TeX engine on PATH (pdflatex or latexmk); install one: {packages} (Debian/Ubuntu), MacTeX (macOS) "
    "or MiKTeX (Windows)"
)
PACKAGES = (
    "apt-get install texlive-latex-base texlive-latex-recommended texlive-pictures lmodern "
    "texlive-lang-korean"
)
JOB = "document"


def engine() -> list[str] | None:
    """Return the command that compiles ``document.tex`` once, or None if no engine is installed."""
    options = ["-interaction=nonstopmode", "-halt-on-error", "-no-shell-escape"]
    if shutil.which("pdflatex"):
        return ["pdflatex", *options, f"{JOB}.tex"]
    if shutil.which("latexmk"):
        return ["latexmk", "-pdf", *options, f"{JOB}.tex"]
    return None


def compile_latex(source: str, files: Mapping[str, bytes] | None = None) -> bytes:
    """Return the PDF of a standalone LaTeX document; SpecError if no engine or if TeX fails.

    ``files`` are put beside it by name, e.g. ``{"xor-loss.pdf": …}`` for ``\\includegraphics``.
    TeX's first error line is in the message, e.g. ``! Undefined control sequence.``.
    """
    return compile_with_log(source, files)[0]


def compile_with_log(source: str, files: Mapping[str, bytes] | None = None) -> tuple[bytes, str]:
    """Return the PDF of a standalone LaTeX document (with ``files`` beside it) and TeX's log."""
    command = engine()
    if command is None:
        raise SpecError("--format pdf", _(INSTALL).format(packages=PACKAGES))
    environment = {**os.environ, "SOURCE_DATE_EPOCH": "0", "FORCE_SOURCE_DATE": "1"}
    with tempfile.TemporaryDirectory(prefix="tracer-pdf-") as folder:
        work = Path(folder)
        (work / f"{JOB}.tex").write_text(source, encoding="utf-8")
        for name, data in (files or {}).items():
            (work / Path(name).name).write_bytes(data)
        run = subprocess.run(
            command, cwd=work, env=environment, capture_output=True, stdin=subprocess.DEVNULL, timeout=300
        )
        pdf, log = work / f"{JOB}.pdf", work / f"{JOB}.log"
        text = log.read_text(encoding="utf-8", errors="replace") if log.is_file() else ""
        if run.returncode != 0 or not pdf.is_file():
            first = next((line for line in text.splitlines() if line.startswith("!")), _("see the .tex file"))
            raise SpecError(
                "--format pdf", _("{engine} failed: {error}").format(engine=command[0], error=first)
            )
        return pdf.read_bytes(), text
