"""Shared pytest options. ``--regen-golden`` rewrites tests/golden/ from the current code."""


def pytest_addoption(parser):
    parser.addoption(
        "--regen-golden",
        action="store_true",
        help="rewrite the golden files under tests/golden/ instead of comparing with them",
    )
