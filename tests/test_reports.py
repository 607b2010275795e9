"""reports/ holds exactly what one command writes, ``tracer reports reports``, and none of it is stale.

Every file in the folder must come from a writer of ``tracer.reports.WRITERS`` (the worked
examples, the training reports, the example handout) and read the same as that writer makes it
now. Two kinds of file depend on the tools that made them, not only on tracer: a PDF compiled by
TeX is compared when the same TeX made it, and a picture drawn by matplotlib is only checked to
be a file of its kind, as another matplotlib draws other bytes (the report beside it is compared).
"""

import multiprocessing
import re
import shutil
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from tracer.reports import TRAININGS, WRITERS

REPORTS = Path(__file__).resolve().parent.parent / "reports"
HOW = "regenerate with: tracer reports reports"
TEX = shutil.which("pdflatex") is not None or shutil.which("latexmk") is not None
ON_DISK = sorted(p.relative_to(REPORTS).as_posix() for p in REPORTS.rglob("*") if p.is_file())
PICTURES = {
    f"{stem}-{picture}.{kind}": kind
    for stem, *_ in TRAININGS
    for picture in ("loss", "descent")
    for kind in ("png", "svg", "pdf")
}
MAGIC = {"png": b"\x89PNG\r\n\x1a\n", "svg": b"<?xml", "pdf": b"%PDF"}
# One worker runs this module: each worker would otherwise write every report again (a minute).
pytestmark = pytest.mark.xdist_group("reports")


def _written(index: int) -> dict[str, str | bytes]:
    """Return the files of writer ``index`` of ``WRITERS`` (in a worker process of its own)."""
    return WRITERS[index](pdf=TEX)


@pytest.fixture(scope="module")
def fresh() -> dict[str, bytes]:
    """Return every file the reports command writes now, by path under reports/ (no PDFs without TeX).

    The writers run two at a time, each in a fresh process (their ~20 TeX runs take a minute one
    after another); a writer's files are the same wherever it runs.
    """
    files = {}
    with ProcessPoolExecutor(max_workers=2, mp_context=multiprocessing.get_context("spawn")) as pool:
        for written in pool.map(_written, range(len(WRITERS))):
            for name, content in written.items():
                files[name] = content.encode("utf-8") if isinstance(content, str) else content
    return files


@pytest.mark.skipif(not TEX, reason="no TeX engine: the PDFs cannot be made here")
def test_reports_holds_exactly_what_the_command_writes(fresh):
    missing = sorted(set(fresh) - set(ON_DISK))
    unwritten = sorted(set(ON_DISK) - set(fresh))
    assert not missing, f"missing from reports/: {missing}; {HOW}"
    assert not unwritten, f"in reports/ but no writer makes them: {unwritten}; delete them or add a writer"


@pytest.mark.parametrize("name", ON_DISK)
def test_report_is_current(name, fresh):
    if name not in fresh:
        assert not TEX, f"{name}: no writer of tracer.reports makes it"
        pytest.skip(f"{name} needs a TeX engine")
    stored, now = (REPORTS / name).read_bytes(), fresh[name]
    if name in PICTURES:
        assert stored.startswith(MAGIC[PICTURES[name]]), f"{name} is not a {PICTURES[name]} file; {HOW}"
        return
    if name.endswith(".pdf"):
        if _banner(stored) != _banner(now):
            pytest.skip(f"{name} was made by another TeX ({_banner(stored)}), so its bytes differ")
        stem = name.removesuffix(".pdf")
        pictures = [p for p in PICTURES if p.startswith(f"{stem}-") and p.endswith(".pdf")]
        if any((REPORTS / p).read_bytes() != fresh[p] for p in pictures):
            pytest.skip(f"{name} includes pictures drawn by another matplotlib, so its bytes differ")
    assert stored == now, f"{name} stale; {HOW}"


def _banner(pdf: bytes) -> str:
    """Return the TeX engine and version a PDF names, e.g. ``pdfTeX, Version 3.141592653-2.6-1.40.24 …``."""
    match = re.search(rb"/PTEX\.Fullbanner \((.*?)\)", pdf)
    return match.group(1).decode("latin-1") if match else "an unknown engine"


def test_readme_excerpt_is_a_real_rendered_example():
    readme = (REPORTS.parent / "README.md").read_text(encoding="utf-8")
    excerpt = readme.split("<!-- excerpt of reports/mazur.md -->\n", 1)[1].split("<!-- end of excerpt -->")[0]
    assert excerpt.strip() and excerpt in (REPORTS / "mazur.md").read_text(encoding="utf-8")


def test_the_training_reports_say_what_the_readme_claims(fresh):
    xor = fresh["train-xor.md"].decode("utf-8")
    assert "- $\\eta = 2$: converged" in xor and "every sample right" in xor
    assert "`tracer trace xor` ([`xor.md`](xor.md) beside this report)" in xor
    basins = fresh["descent-basins.md"].decode("utf-8")
    assert "in a higher valley: converged" in basins and "in the lowest valley: converged" in basins
    assert "\\includegraphics[width=0.9\\linewidth]{train-xor-loss.pdf}" in fresh["train-xor.tex"].decode()
    assert "- $\\eta = 500$: saturated" in xor


def test_the_optimizer_reports_say_what_the_readme_claims(fresh):
    xor = fresh["optimizers-xor.md"].decode("utf-8")
    assert "- gd, $\\eta = 0.5$: too slow" in xor
    assert "- momentum, $\\eta = 0.5$: converged" in xor and "- adam, $\\eta = 0.5$: converged" in xor
    assert "momentum ($\\mu = 0.9$, $\\tau = 0$); adam ($\\beta_{1} = 0.9$" in xor
    basins = fresh["optimizers-basins.md"].decode("utf-8")
    assert "- gd, $\\eta = 1$ stops at $w^{2}_{11} = 0.586420508$" in basins
    assert "- momentum, $\\eta = 1$ stops at $w^{2}_{11} = 0.588680305$" in basins
    assert "where $C = 0.116491555$, in a higher valley: converged." in basins
    assert "where $C = 0.062545041$, in the lowest valley: converged." in basins
