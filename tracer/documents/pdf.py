"""LaTeX to PDF with the TeX engine on PATH, in a temporary folder, reproducibly.

The same LaTeX gives the same PDF bytes: ``SOURCE_DATE_EPOCH=0`` and ``FORCE_SOURCE_DATE=1`` fix
the dates pdfTeX writes, and the document itself sets an empty trailer ID. Files the document
reads (the pictures of a training report) are written beside it in the same folder.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path

from tracer.errors import OutputError, UsageError
from tracer.i18n import N_, _

INSTALL = N_(
    "no TeX engine on PATH (pdflatex or latexmk); install one: "
    "apt-get install texlive-latex-base texlive-latex-recommended texlive-pictures lmodern "
    "(Debian/Ubuntu), MacTeX (macOS) or MiKTeX (Windows)"
)
JOB = "document"
MAX_NEURONS, MAX_LAYERS = 160, 80  # the largest diagrams TeX lays out (tests/test_hardening.py)
TEX_SECONDS = 300  # a worked example takes a few seconds; more means TeX is stuck


def check_fits(layers: tuple[int, ...], format: str) -> None:
    """Refuse, before TeX runs, a network whose diagram is beyond TeX's largest length (about 5.7 m).

    TeX stops with "Dimension too large" for a [2, 200, 2] network or a chain of 100 layers;
    up to :data:`MAX_NEURONS` neurons in a layer and :data:`MAX_LAYERS` layers it lays them out.
    """
    widest, depth = max(layers), len(layers) - 1
    if widest > MAX_NEURONS or depth > MAX_LAYERS:
        message = _(
            "a network of {widest} neurons in a layer and {depth} layers does not fit on a TeX page "
            "(at most {neurons} and {layers}); use --format md or term"
        )
        raise UsageError(
            f"--format {format}",
            message.format(widest=widest, depth=depth, neurons=MAX_NEURONS, layers=MAX_LAYERS),
        )


def engine() -> list[str] | None:
    """Return the command that compiles ``document.tex`` once, or None if no engine is installed."""
    options = ["-interaction=nonstopmode", "-halt-on-error", "-no-shell-escape"]
    if shutil.which("pdflatex"):
        return ["pdflatex", *options, f"{JOB}.tex"]
    if shutil.which("latexmk"):
        return ["latexmk", "-pdf", *options, f"{JOB}.tex"]
    return None


def compile_latex(source: str, files: Mapping[str, bytes] | None = None) -> bytes:
    """Return the PDF of a standalone LaTeX document; OutputError if no engine or if TeX fails.

    ``files`` are put beside it by name, e.g. ``{"xor-loss.pdf": …}`` for ``\\includegraphics``.
    TeX's first error line is in the message, e.g. ``! Undefined control sequence.``.
    """
    return compile_with_log(source, files)[0]


def compile_with_log(source: str, files: Mapping[str, bytes] | None = None) -> tuple[bytes, str]:
    """Return the PDF of a standalone LaTeX document (with ``files`` beside it) and TeX's log.

    TeX runs in its own process group with :data:`TEX_SECONDS` to finish; on a time-out, an
    interrupt or any other exit the group is killed and the temporary folder removed.
    """
    command = engine()
    if command is None:
        raise OutputError("--format pdf", _(INSTALL))
    environment = {**os.environ, "SOURCE_DATE_EPOCH": "0", "FORCE_SOURCE_DATE": "1"}
    with tempfile.TemporaryDirectory(prefix="tracer-pdf-") as folder:
        work = Path(folder)
        (work / f"{JOB}.tex").write_text(source, encoding="utf-8")
        for name, data in (files or {}).items():
            (work / Path(name).name).write_bytes(data)
        returncode = _run(command, work, environment)
        pdf, log = work / f"{JOB}.pdf", work / f"{JOB}.log"
        text = log.read_text(encoding="utf-8", errors="replace") if log.is_file() else ""
        if returncode != 0 or not pdf.is_file():
            first = next((line for line in text.splitlines() if line.startswith("!")), _("see the .tex file"))
            message = _("{engine} failed: {error}").format(engine=command[0], error=first)
            raise OutputError("--format pdf", message)
        return pdf.read_bytes(), text


def _run(command: list[str], folder: Path, environment: Mapping[str, str]) -> int:
    """Return the exit status of the TeX run; kill its whole process group on any way out."""
    with subprocess.Popen(
        command,
        cwd=folder,
        env=environment,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own group: latexmk's pdflatex ends with it
    ) as process:
        try:
            return process.wait(timeout=TEX_SECONDS)
        except subprocess.TimeoutExpired:
            message = _("{engine} ran longer than {seconds} seconds and was stopped; try --format tex")
            raise OutputError(
                "--format pdf", message.format(engine=command[0], seconds=TEX_SECONDS)
            ) from None
        finally:
            if process.returncode is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait()
