"""A handout as PDF: every sheet and every key typeset once, in two TeX runs, then split per variant.

One pdflatex run per file made a 30-variant handout take 13 times as long as its Markdown (61
runs, each loading the same packages and fonts). Instead the combined exercises and the combined
keys are compiled once each, the two runs in parallel, and each variant's pages are copied out of
them into its own PDF with pypdf. Each sheet starts on a new page numbered 1 and says in TeX's log
on which physical page it starts (``tracer-sheet 3 starts on page 7``, see
``templates/handout/_preamble.tex.j2``), so the split needs no guessing.

The same LaTeX gives the same PDF (:mod:`tracer.documents.pdf`) and pypdf copies pages in a fixed
order without dates or random IDs, so the same command gives the same bytes. A variant's PDF from
``--variant K`` shows the same pages as in the whole handout, but its embedded font subsets hold
only that variant's glyphs, so its bytes differ.
"""

from __future__ import annotations

import io
import re
from concurrent.futures import ThreadPoolExecutor, as_completed

from pypdf import PdfReader, PdfWriter

from tracer.documents.pdf import compile_with_log
from tracer.errors import SpecError

MARK = re.compile(r"^tracer-sheet (\d+) starts on page (\d+)$", re.MULTILINE)


def typeset(sources: dict[str, str]) -> dict[str, tuple[bytes, dict[int, bytes]]]:
    """Return each LaTeX source's PDF and that PDF split per sheet (:func:`split`), by name.

    The TeX runs go in parallel, one per source, and each PDF is split as soon as it is made,
    while the others are still being typeset.
    """
    done: dict[str, tuple[bytes, dict[int, bytes]]] = {}
    with ThreadPoolExecutor(max_workers=max(1, len(sources))) as pool:
        runs = {pool.submit(compile_with_log, source): name for name, source in sources.items()}
        for run in as_completed(runs):
            pdf, log = run.result()
            done[runs[run]] = (pdf, split(pdf, log))
    return {name: done[name] for name in sources}


def sheet_pages(log: str, pages: int) -> dict[int, range]:
    """Return the pages (0-based) of each sheet, by variant number, from the marks in TeX's log.

    >>> sheet_pages("tracer-sheet 1 starts on page 1\\ntracer-sheet 4 starts on page 3\\n", 5)
    {1: range(0, 2), 4: range(2, 5)}
    """
    marks = [(int(k), int(page) - 1) for k, page in MARK.findall(log)]
    if not marks:
        raise SpecError("--format pdf", "TeX's log names no sheet; is templates/handout/ out of date?")
    ends = [start for _, start in marks[1:]] + [pages]
    return {k: range(start, end) for (k, start), end in zip(marks, ends, strict=True)}


def split(pdf: bytes, log: str) -> dict[int, bytes]:
    """Return each sheet's pages of a combined PDF as a PDF of its own, by variant number."""
    reader = PdfReader(io.BytesIO(pdf))
    parts: dict[int, bytes] = {}
    for k, pages in sheet_pages(log, len(reader.pages)).items():
        writer = PdfWriter()
        for i in pages:
            writer.add_page(reader.pages[i])
        out = io.BytesIO()
        writer.write(out)
        parts[k] = out.getvalue()
    return parts
