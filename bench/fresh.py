"""The environment a benchmark runs a fresh ``tracer`` process in: Python's bytecode caches on.

A user's installed tracer runs from compiled bytecode (pip compiles it on install; an editable
install writes it on the first run), and so do SymPy, NumPy and Jinja in the import floor. With
``PYTHONDONTWRITEBYTECODE`` set (some machines and CI set it) every timed run would compile
tracer's ~50 modules from source again, about 0.1 s, while the floor read SymPy's compiled
files: not what a user waits for, and not a fair ratio. The benchmarks therefore run their
commands with that variable removed and the caches in one folder of their own
(``PYTHONPYCACHEPREFIX``), so the working tree is left as it was. Each benchmark's warm-up run
fills the folder; the timed runs read it.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

CACHE = Path(tempfile.gettempdir()) / "tracer-bench-pycache"


def environment() -> dict[str, str]:
    """Return this process's environment with bytecode caching on, in :data:`CACHE`."""
    env = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(CACHE)
    return env
