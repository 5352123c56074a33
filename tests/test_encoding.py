"""Tests of movierec_utils.encoding: id-to-index encoders."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from movierec_utils.encoding import IdEncoder, RatingsEncoder


@pytest.fixture
def movie_encoder() -> IdEncoder:
    return IdEncoder("movieId").fit([30, 10, 20, 10, 30])


def test_fit_sorts_distinct_ids(movie_encoder):
    assert movie_encoder.classes_.tolist() == [10, 20, 30]
    assert len(movie_encoder) == 3


def test_transform_numbers_sorted_ids(movie_encoder):
    indices = movie_encoder.transform([30, 10, 20, 10])
    assert indices.tolist() == [2, 0, 1, 0]
    assert indices.dtype == np.int32


def test_fit_ignores_row_order():
    forward = IdEncoder().fit([5, 3, 9])
    backward = IdEncoder().fit([9, 3, 5])
    assert forward.transform([3, 5, 9]).tolist() == backward.transform([3, 5, 9]).tolist()


def test_round_trip(movie_encoder):
    ids = np.array([20, 30, 10, 30])
    assert movie_encoder.inverse_transform(movie_encoder.transform(ids)).tolist() == ids.tolist()


def test_inverse_round_trip(movie_encoder):
    indices = np.array([0, 2, 1])
    assert movie_encoder.transform(movie_encoder.inverse_transform(indices)).tolist() == [0, 2, 1]


def test_unknown_id_raises(movie_encoder):
    with pytest.raises(KeyError, match=r"1 movieId value\(s\) not seen .*: 25\."):
        movie_encoder.transform([10, 25])


def test_unknown_above_max_raises(movie_encoder):
    with pytest.raises(KeyError, match=r"not seen .*: 99\."):
        movie_encoder.transform([99])


def test_negative_id_raises_before_keras():
    # Keras 3's Embedding on the TensorFlow CPU backend returns the last row
    # for index -1 (see the encoding module docstring), so the encoder raises.
    encoder = IdEncoder("userId").fit([0, 1, 2])
    with pytest.raises(KeyError, match=r"1 userId value\(s\) not seen .*: -1\."):
        encoder.transform([-1])


def test_unknown_message_caps_at_five(movie_encoder):
    unknown = [101, 102, 103, 104, 105, 106, 107]
    with pytest.raises(KeyError, match=r"7 movieId value\(s\) .*: 101, 102, 103, 104, 105 and 2 more\.") as excinfo:
        movie_encoder.transform(unknown)
    message = str(excinfo.value)
    assert "106" not in message
    assert "107" not in message


def test_unknown_message_counts_distinct(movie_encoder):
    with pytest.raises(KeyError, match=r"1 movieId value\(s\) .*: 42\."):
        movie_encoder.transform([42, 42, 42])


@pytest.mark.parametrize("index", [-1, 3])
def test_inverse_out_of_range(movie_encoder, index):
    with pytest.raises(IndexError, match=r"movieId index out of range 0\.\.2"):
        movie_encoder.inverse_transform([0, index])


def test_unfitted_transform_raises():
    with pytest.raises(RuntimeError, match=r"This userId encoder is not fitted yet"):
        IdEncoder("userId").transform([1])


def test_unfitted_inverse_raises():
    with pytest.raises(RuntimeError, match=r"not fitted yet; call fit\(\) first"):
        IdEncoder("userId").inverse_transform([0])


def test_unfitted_len_raises():
    with pytest.raises(RuntimeError, match=r"not fitted yet"):
        len(IdEncoder())


@pytest.fixture
def ratings() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "userId": [7, 3, 7, 12, 3],
            "movieId": [500, 20, 20, 1, 42],
            "rating": [4.0, 3.5, 5.0, 1.0, 2.5],
        },
        index=[10, 11, 12, 13, 14],
    )


def test_ratings_encoder_sizes(ratings):
    encoder = RatingsEncoder.fit(ratings)
    assert encoder.n_users == 3
    assert encoder.n_movies == 4


def test_ratings_transform_adds_columns(ratings):
    encoded = RatingsEncoder.fit(ratings).transform(ratings)
    assert list(encoded.columns) == ["userId", "movieId", "rating", "user", "movie"]
    # Users 3, 7, 12 map to 0, 1, 2.
    # Movies 1, 20, 42, 500 map to 0, 1, 2, 3.
    assert encoded["user"].tolist() == [1, 0, 1, 2, 0]
    assert encoded["movie"].tolist() == [3, 1, 1, 0, 2]
    assert encoded.index.tolist() == [10, 11, 12, 13, 14]


def test_ratings_transform_keeps_input(ratings):
    before = ratings.copy()
    RatingsEncoder.fit(ratings).transform(ratings)
    assert list(ratings.columns) == ["userId", "movieId", "rating"]
    pd.testing.assert_frame_equal(ratings, before)


def test_ratings_transform_unknown_user(ratings):
    encoder = RatingsEncoder.fit(ratings)
    unseen = pd.DataFrame({"userId": [99], "movieId": [20], "rating": [3.0]})
    with pytest.raises(KeyError, match=r"1 userId value\(s\) not seen .*: 99\."):
        encoder.transform(unseen)


def test_empty_encoder_transform_raises():
    encoder = IdEncoder("movieId").fit([])
    with pytest.raises(KeyError, match="fitted on no ids"):
        encoder.transform([1])


def test_unknown_huge_id_named():
    encoder = IdEncoder("movieId").fit([1, 2])
    with pytest.raises(KeyError, match="1180591620717411303424"):
        encoder.transform([2**70])
