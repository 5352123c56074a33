"""Shared fixtures: the real MovieLens copy in the package's data home."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from movierec_utils import datasets

REAL_VARIANT = "ml-latest-small"


@pytest.fixture(scope="session")
def real_data_home() -> Path:
    """Return the data home that contains the real ml-latest-small files.

    The folder is the package's data home: the environment variable
    ``MOVIEREC_DATA`` when set, else ``~/movierec_data``, where the book's
    first run caches the download. When it lacks
    ``ml-latest-small/ratings.csv`` and ``movies.csv``, the test is skipped
    on a developer machine but fails when ``CI`` is set, so that CI never
    passes without having read the real data.
    """
    home = datasets.get_data_home().resolve()
    required = ("ratings.csv", "movies.csv")
    if not all((home / REAL_VARIANT / name).is_file() for name in required):
        reason = (
            f"The data home {home} does not contain {REAL_VARIANT}/ratings.csv and "
            f"{REAL_VARIANT}/movies.csv. Run the book once to download them, or set "
            f"MOVIEREC_DATA to the folder that contains {REAL_VARIANT}/."
        )
        if os.environ.get("CI"):
            pytest.fail(f"Real data is required when CI is set. {reason}")
        pytest.skip(reason)
    return home
