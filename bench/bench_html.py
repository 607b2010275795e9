"""Measure the step-through page of ``mazur``: its size, and how soon its first formula is typeset.

Run: ``python3 bench/bench_html.py [repetitions]``. The page is written by a fresh
``tracer trace mazur --format html`` process, then opened from ``file://`` in headless Chromium
(the system's ``chromium``, through Playwright), each time in a new browser context. The time to
the first formula is the page's ``tracer-first-formula`` performance mark, measured from navigation
start: the formulas on screen are typeset before the first paint, the rest in batches after it
(``tracer-typeset``, printed too). Targets: under 1 MB, first formula within one second.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


def main(repetitions: int = 9) -> None:
    """Print the page's size and the median (and range) of its time to the first typeset formula."""
    chromium = shutil.which("chromium")
    if chromium is None:
        sys.exit("bench_html: needs Chromium (apt-get install chromium)")
    with tempfile.TemporaryDirectory() as folder:
        page_path = Path(folder) / "mazur.html"
        subprocess.run(
            [sys.executable, "-m", "tracer", "trace", "mazur", "--format", "html", "-o", str(page_path)],
            check=True,
        )
        size = page_path.stat().st_size
        times, totals = [], []
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=ARGS)
            for _ in range(repetitions + 1):
                context = browser.new_context()
                page = context.new_page()
                page.goto(page_path.as_uri())
                page.wait_for_function("performance.getEntriesByName('tracer-typeset').length > 0")
                first, every = page.evaluate(
                    "['tracer-first-formula', 'tracer-typeset']"
                    ".map(n => performance.getEntriesByName(n)[0].startTime)"
                )
                times.append(first / 1000)
                totals.append(every / 1000)
                formulas = page.locator(".katex").count()
                context.close()
            browser.close()
    times, totals = times[1:], totals[1:]  # the first load warms the browser's caches
    print(f"load average          {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs (times grow with it)")
    print(f"page size             {size / 1e6:.3f} MB ({size / 1e6:.2f}× the 1 MB target)")
    print(f"formulas typeset      {formulas}, the last at {statistics.median(totals):.3f} s median")
    print(
        f"first formula typeset {statistics.median(times):.3f} s median, {min(times):.3f}–{max(times):.3f} s "
        f"over {repetitions} loads ({statistics.median(times):.2f}× the 1 s target)"
    )


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:]))
