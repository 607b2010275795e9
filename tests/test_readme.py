"""README's two commands stay true: CI runs README's test command, and the main job's preset exists."""

import re
import shlex
from pathlib import Path

from tracer.cli import main

ROOT = Path(__file__).resolve().parent.parent


def _commands() -> list[str]:
    section = (ROOT / "README.md").read_text(encoding="utf-8").split("## Two commands", 1)[1]
    return re.findall(r"```sh\n(.+?)\n```", section.split("\n## ", 1)[0])


def test_readme_gives_exactly_two_commands():
    assert len(_commands()) == 2


def test_ci_runs_the_readme_test_command():
    test_command = _commands()[1]
    assert "pytest" in test_command
    ci_lines = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert test_command in ci_lines


def test_the_main_job_runs_on_its_built_in_example(capsys):
    words = shlex.split(_commands()[0].split("&&")[-1])
    assert words[0] == "tracer"
    assert main([*words[1:], "--format", "json"]) == 0
    assert '"quantities"' in capsys.readouterr().out
