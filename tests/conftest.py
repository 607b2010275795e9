"""Shared pytest options. ``--regen-golden`` rewrites tests/golden/ from the current code."""


def pytest_addoption(parser):
    parser.addoption(
        "--regen-golden",
        action="store_true",
        help="rewrite the golden files under tests/golden/ instead of comparing with them",
    )


def pytest_collection_modifyitems(config, items):
    """Run the tests that share a worker (``xdist_group``: a minute of reports, the Korean PDFs)
    first, so that the other workers' tests run beside them instead of after them."""
    items.sort(key=lambda item: item.get_closest_marker("xdist_group") is None)
