"""The training reports kept in ``reports/``.

Regenerate them with ``python3 -m tracer.train_reports reports``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from tracer.cli import write_output
from tracer.spec import load_spec
from tracer.train import train
from tracer.train_render import report_files

# name of the report, preset, steps, learning rates
REPORTS = (
    ("train-xor", "xor", 5000, (0.5, 2.0, 20.0, 500.0)),
    ("descent-basins", "basins", 100, (1.0, 10.0, 30.0)),
)


def write_training_reports(folder: str | Path) -> list[Path]:
    """Return the files written into ``folder``: NAME.md, NAME-loss.png/.svg, NAME-descent.png/.svg.

    ``train-xor`` compares four learning rates on the ``xor`` preset; ``descent-basins`` is the
    foggy mountain of the ``basins`` preset, a local minimum and the rate that jumps out of it.
    """
    folder = Path(folder)
    written = []
    for name, preset, steps, rates in REPORTS:
        training = train(load_spec(preset), steps, rates, source=preset)
        worked = f"{preset}.md"  # the preset's worked example, written by `tracer reports` beside this one
        for file, content in report_files(training, name, "md", worked=worked).items():
            write_output(content, str(folder / file))
            written.append(folder / file)
    return written


if __name__ == "__main__":
    for path in write_training_reports(sys.argv[1] if len(sys.argv) > 1 else "reports"):
        print(path)
