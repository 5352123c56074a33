"""Reproducible train, validation and test splits of a ratings table."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd


class Split(NamedTuple):
    """Three disjoint parts of one ratings table."""

    train: pd.DataFrame
    val: pd.DataFrame
    test: pd.DataFrame


def _check_fraction(name: str, value: float) -> None:
    if not 0.0 < value < 1.0:
        raise ValueError(f"{name} must be between 0 and 1 (exclusive), got {value!r}.")


def split_ratings(
    ratings: pd.DataFrame,
    test_size: float = 0.2,
    val_size: float = 0.1,
    seed: int = 42,
) -> Split:
    """Split ratings at random into train, validation and test parts.

    The test part is drawn first from all rows (``test_size``, 20 % by
    default, as a random 80/20 split). The validation part is then carved
    out of the remaining rows (``val_size`` of them), so that it can drive
    early stopping while the test part never influences training or model
    selection.

    Parameters
    ----------
    ratings : pandas.DataFrame
        One row per rating. It is not modified.
    test_size : float, default 0.2
        Fraction of all rows that goes to the test part.
    val_size : float, default 0.1
        Fraction of the non-test rows that goes to the validation part.
    seed : int, default 42
        Seed of the permutation; the same seed gives the same split.

    Returns
    -------
    Split
        ``(train, val, test)`` DataFrames that keep the original index.

    Examples
    --------
    >>> frame = pd.DataFrame({"rating": range(100)})
    >>> parts = split_ratings(frame, seed=0)
    >>> [len(part) for part in parts]
    [72, 8, 20]
    """
    _check_fraction("test_size", test_size)
    _check_fraction("val_size", val_size)
    n_rows = len(ratings)
    n_test = int(round(n_rows * test_size))
    n_val = int(round((n_rows - n_test) * val_size))
    if n_test == 0 or n_val == 0 or n_test + n_val >= n_rows:
        raise ValueError(
            f"Cannot split {n_rows} rows into non-empty parts with "
            f"test_size={test_size} and val_size={val_size}."
        )
    order = np.random.default_rng(seed).permutation(n_rows)
    test_rows = order[:n_test]
    val_rows = order[n_test : n_test + n_val]
    train_rows = order[n_test + n_val :]
    return Split(
        train=ratings.iloc[np.sort(train_rows)].copy(),
        val=ratings.iloc[np.sort(val_rows)].copy(),
        test=ratings.iloc[np.sort(test_rows)].copy(),
    )
