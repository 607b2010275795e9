"""The package's layers are a contract: ``lint-imports`` checks pyproject.toml's [tool.importlinter].

cli → features (documents, check, train, handout, reports) → engine (spec, derive, evaluate,
trace, …) → base (errors, i18n, ids, printing, output). No import runs up a layer, so there are
no import circles between them.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_no_import_runs_up_a_layer():
    command = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or shutil.which("lint-imports")
    if command is None:
        pytest.fail("lint-imports is missing: pip install import-linter (it is in the [test] extra)")
    run = subprocess.run([command], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "1 kept, 0 broken" in run.stdout
