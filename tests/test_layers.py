"""The package's layers are a contract: import-linter checks pyproject.toml's [tool.importlinter].

cli → features (reports; handout, train, check; documents) → engine (spec, derive, evaluate,
trace, …) → base (errors, i18n, ids, printing, output). No import runs up a layer, so no import
circle can run through two of them.
"""

import os
from pathlib import Path

from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parent.parent


def test_no_import_runs_up_a_layer(monkeypatch, capsys):
    monkeypatch.chdir(ROOT)
    status = lint_imports(config_filename=os.fspath(ROOT / "pyproject.toml"), no_cache=True, no_logo=True)
    report = capsys.readouterr().out
    assert status == 0, report
    assert "1 kept, 0 broken" in report
