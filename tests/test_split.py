"""Tests of movierec_utils.split: seeded train, validation and test splits."""

from __future__ import annotations

import pandas as pd
import pytest

from movierec_utils.datasets import load_ratings
from movierec_utils.split import split_ratings


@pytest.fixture
def frame() -> pd.DataFrame:
    # A non-default index, so that the tests check that the index is kept.
    return pd.DataFrame({"rating": range(100)}, index=range(1000, 1100))


def sizes(parts) -> list[int]:
    return [len(part) for part in parts]


def test_default_sizes_100_rows(frame):
    # test = round(100 * 0.2) = 20, val = round(80 * 0.1) = 8, train = 72
    assert sizes(split_ratings(frame)) == [72, 8, 20]


def test_custom_sizes(frame):
    # test = round(100 * 0.3) = 30, val = round(70 * 0.5) = 35, train = 35
    assert sizes(split_ratings(frame, test_size=0.3, val_size=0.5)) == [35, 35, 30]


def test_real_sizes(real_data_home):
    ratings = load_ratings("ml-latest-small", real_data_home, download_if_missing=False)
    # test = round(100836 * 0.2) = round(20167.2) = 20167
    # val = round((100836 - 20167) * 0.1) = round(8066.9) = 8067
    # train = 100836 - 20167 - 8067 = 72602
    assert sizes(split_ratings(ratings)) == [72602, 8067, 20167]


def test_parts_disjoint(frame):
    train, val, test = split_ratings(frame)
    assert set(train.index).isdisjoint(val.index)
    assert set(train.index).isdisjoint(test.index)
    assert set(val.index).isdisjoint(test.index)


def test_parts_cover_all_rows(frame):
    train, val, test = split_ratings(frame)
    combined = pd.concat([train, val, test]).sort_index()
    pd.testing.assert_frame_equal(combined, frame)


def test_parts_keep_row_order(frame):
    for part in split_ratings(frame):
        assert part.index.is_monotonic_increasing


def test_same_seed_same_parts(frame):
    first = split_ratings(frame, seed=7)
    second = split_ratings(frame, seed=7)
    for part_a, part_b in zip(first, second):
        pd.testing.assert_frame_equal(part_a, part_b)


def test_different_seed_differs(frame):
    first = split_ratings(frame, seed=7)
    second = split_ratings(frame, seed=8)
    assert first.test.index.tolist() != second.test.index.tolist()
    assert first.val.index.tolist() != second.val.index.tolist()


def test_input_unchanged(frame):
    before = frame.copy()
    split_ratings(frame)
    pd.testing.assert_frame_equal(frame, before)


def test_parts_are_copies(frame):
    train, _, _ = split_ratings(frame)
    train["rating"] = -1
    assert (frame["rating"] >= 0).all()


@pytest.mark.parametrize("value", [0.0, 1.0, -0.1, 1.5])
def test_invalid_test_size(frame, value):
    with pytest.raises(ValueError, match=rf"test_size must be between 0 and 1 \(exclusive\), got {value!r}"):
        split_ratings(frame, test_size=value)


@pytest.mark.parametrize("value", [0.0, 1.0, -0.1, 1.5])
def test_invalid_val_size(frame, value):
    with pytest.raises(ValueError, match=rf"val_size must be between 0 and 1 \(exclusive\), got {value!r}"):
        split_ratings(frame, val_size=value)


@pytest.mark.parametrize("n_rows", [0, 1, 2, 6])
def test_too_few_rows(n_rows):
    tiny = pd.DataFrame({"rating": range(n_rows)})
    with pytest.raises(ValueError, match=rf"Cannot split {n_rows} rows into non-empty parts"):
        split_ratings(tiny)


def test_smallest_splittable(frame):
    # 6 rows: test = round(1.2) = 1, val = round(0.5) = 0 (round half to even).
    # 7 rows: test = round(1.4) = 1, val = round(0.6) = 1, train = 5.
    assert sizes(split_ratings(frame.iloc[:7])) == [5, 1, 1]
