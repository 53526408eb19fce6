"""Shared test set-up: golden files and one Prefect test harness per session.

Goldens live in tests/golden/<case>/. A missing golden fails; `pytest --update-goldens`
rewrites them (never in CI). Read the diff before committing regenerated goldens.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

# Every run tries the same examples, so a property that fails in CI fails on a developer's
# machine too; benchmarks/fuzz_extract.py is where inputs are explored at random.
hypothesis_settings.register_profile("repeatable", derandomize=True)
hypothesis_settings.load_profile("repeatable")

GOLDEN = Path(__file__).parent / "golden"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-goldens", action="store_true", help="rewrite tests/golden/ from the current outputs")


@pytest.fixture(scope="session")
def update_goldens(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-goldens"))


@pytest.fixture
def golden(update_goldens: bool):
    """Compare text with tests/golden/<name>, or rewrite it under --update-goldens."""

    def check(name: str, actual: str) -> None:
        path = GOLDEN / name
        if update_goldens:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(actual, encoding="utf-8")
            return
        assert path.exists(), f"missing golden {path}; run pytest --update-goldens and review the diff"
        expected = path.read_text(encoding="utf-8")
        assert actual == expected, f"{name} differs from its golden; if intended, pytest --update-goldens"

    return check


@pytest.fixture(scope="session")
def prefect_harness(tmp_path_factory: pytest.TempPathFactory):
    """One temporary Prefect API and result store for the session's flow tests."""
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    from prefect.settings import PREFECT_LOCAL_STORAGE_PATH, temporary_settings
    from prefect.testing.utilities import prefect_test_harness

    results = tmp_path_factory.mktemp("prefect-results")
    with prefect_test_harness(server_startup_timeout=180), temporary_settings({PREFECT_LOCAL_STORAGE_PATH: results}):
        yield results
