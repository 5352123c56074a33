"""Tests of movierec_utils.metrics: RMSE, MAE, baselines and the score table."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from movierec_utils.metrics import BiasBaseline, GlobalMeanBaseline, mae, rmse, score_table

# errors y_pred - y_true = -0.5, 0, -2, 1
Y_TRUE = [3.0, 4.0, 5.0, 1.0]
Y_PRED = [2.5, 4.0, 3.0, 2.0]


@pytest.mark.parametrize("metric", [rmse, mae])
def test_identical_arrays_zero(metric):
    assert metric(Y_TRUE, Y_TRUE) == 0.0


def test_rmse_by_hand():
    # squares 0.25 + 0 + 4 + 1 = 5.25, mean 5.25 / 4 = 21 / 16, root sqrt(21) / 4
    assert rmse(Y_TRUE, Y_PRED) == pytest.approx(math.sqrt(21) / 4, abs=1e-12)


def test_mae_by_hand():
    # |errors| 0.5 + 0 + 2 + 1 = 3.5, mean 3.5 / 4 = 0.875
    assert mae(Y_TRUE, Y_PRED) == pytest.approx(0.875, abs=1e-12)


@pytest.mark.parametrize("metric", [rmse, mae])
def test_metric_returns_float(metric):
    assert type(metric(np.array(Y_TRUE), pd.Series(Y_PRED))) is float


@pytest.mark.parametrize("metric", [rmse, mae])
def test_length_mismatch_raises(metric):
    with pytest.raises(ValueError, match=r"same shape, got \(4,\) and \(3,\)"):
        metric(Y_TRUE, Y_PRED[:3])


@pytest.mark.parametrize("metric", [rmse, mae])
def test_transposed_shapes_raise(metric):
    with pytest.raises(ValueError, match=r"same shape, got \(2, 3\) and \(3, 2\)"):
        metric(np.ones((2, 3)), np.ones((3, 2)))


@pytest.mark.parametrize("metric", [rmse, mae])
def test_column_predictions_accepted(metric):
    assert metric(Y_TRUE, np.asarray(Y_TRUE).reshape(-1, 1)) == 0.0


@pytest.mark.parametrize("metric", [rmse, mae])
def test_nan_input_raises(metric):
    with pytest.raises(ValueError, match="NaN or infinite"):
        metric([1.0, np.nan], [1.0, 2.0])


@pytest.mark.parametrize("metric", [rmse, mae])
def test_empty_input_raises(metric):
    with pytest.raises(ValueError, match=r"y_true and y_pred are empty"):
        metric([], [])


def test_global_mean_baseline():
    # mean (1 + 2 + 3 + 5) / 4 = 2.75, unlike the median 2.5
    train = pd.DataFrame({"userId": [1, 1, 2, 3], "movieId": [10, 20, 10, 30], "rating": [1.0, 2.0, 3.0, 5.0]})
    test = pd.DataFrame({"userId": [1, 9, 3], "movieId": [30, 10, 99], "rating": [5.0, 5.0, 5.0]})
    model = GlobalMeanBaseline().fit(train)
    assert model.mean_ == 2.75
    assert model.predict(test).tolist() == [2.75, 2.75, 2.75]


# Hand-computed BiasBaseline example with reg_user = 2, reg_movie = 1 and one
# round. The mean is (4 + 2 + 5) / 3 = 11/3, so the residuals are
# user 1, movie 10: 4 - 11/3 = 1/3
# user 1, movie 20: 2 - 11/3 = -5/3
# user 2, movie 10: 5 - 11/3 = 4/3
# Movie biases first, with user biases 0:
# b_10 = (1/3 + 4/3) / (2 + 1) = 5/9
# b_20 = (-5/3) / (1 + 1) = -5/6
# Then user biases on the residuals minus the movie biases:
# b_1 = ((1/3 - 5/9) + (-5/3 + 5/6)) / (2 + 2) = (-19/18) / 4 = -19/72
# b_2 = (4/3 - 5/9) / (1 + 2) = (7/9) / 3 = 7/27
BIAS_TRAIN = pd.DataFrame({"userId": [1, 1, 2], "movieId": [10, 20, 10], "rating": [4.0, 2.0, 5.0]})
MEAN = 11 / 3
MOVIE_BIAS = {10: 5 / 9, 20: -5 / 6}
USER_BIAS = {1: -19 / 72, 2: 7 / 27}


@pytest.fixture
def bias_model() -> BiasBaseline:
    return BiasBaseline(reg_user=2.0, reg_movie=1.0, n_iter=1).fit(BIAS_TRAIN)


def test_bias_mean(bias_model):
    assert bias_model.mean_ == pytest.approx(MEAN, abs=1e-12)


@pytest.mark.parametrize("movie", sorted(MOVIE_BIAS))
def test_bias_movie_by_hand(bias_model, movie):
    assert bias_model.movie_bias_[movie] == pytest.approx(MOVIE_BIAS[movie], abs=1e-12)


@pytest.mark.parametrize("user", sorted(USER_BIAS))
def test_bias_user_by_hand(bias_model, user):
    assert bias_model.user_bias_[user] == pytest.approx(USER_BIAS[user], abs=1e-12)


def test_bias_predict_known(bias_model):
    test = pd.DataFrame({"userId": [1, 2], "movieId": [10, 20]})
    expected = [MEAN + USER_BIAS[1] + MOVIE_BIAS[10], MEAN + USER_BIAS[2] + MOVIE_BIAS[20]]
    np.testing.assert_allclose(bias_model.predict(test), expected, rtol=0, atol=1e-12)


def test_bias_unknown_gets_zero(bias_model):
    test = pd.DataFrame({"userId": [99, 2, 99], "movieId": [20, 77, 77]})
    expected = [MEAN + MOVIE_BIAS[20], MEAN + USER_BIAS[2], MEAN]
    predictions = bias_model.predict(test)
    assert not np.isnan(predictions).any()
    np.testing.assert_allclose(predictions, expected, rtol=0, atol=1e-12)


def test_bias_more_rounds_fit_better():
    one_round = BiasBaseline(reg_user=0.0, reg_movie=0.0, n_iter=1).fit(BIAS_TRAIN)
    many_rounds = BiasBaseline(reg_user=0.0, reg_movie=0.0, n_iter=50).fit(BIAS_TRAIN)
    error_one = rmse(BIAS_TRAIN["rating"], one_round.predict(BIAS_TRAIN))
    error_many = rmse(BIAS_TRAIN["rating"], many_rounds.predict(BIAS_TRAIN))
    assert error_many < error_one


@pytest.mark.parametrize("kwargs", [{"reg_user": -1.0}, {"reg_movie": -0.5}])
def test_bias_negative_reg_raises(kwargs):
    with pytest.raises(ValueError, match=r"reg_user and reg_movie must be non-negative"):
        BiasBaseline(**kwargs)


def test_bias_zero_iterations_raises():
    with pytest.raises(ValueError, match=r"n_iter must be at least 1, got 0"):
        BiasBaseline(n_iter=0)


def test_score_table_sorted_and_rounded():
    test = pd.DataFrame({"rating": Y_TRUE})
    predictions = {
        # RMSE sqrt((9 + 16 + 25 + 1) / 4) = 3.5707..., MAE 13 / 4 = 3.25
        "zeros": np.zeros(4),
        # RMSE sqrt(21) / 4 = 1.1456..., MAE 0.875
        "close": np.array(Y_PRED),
        "exact": np.array(Y_TRUE),
    }
    table = score_table(test, predictions, digits=3)
    assert table.index.tolist() == ["exact", "close", "zeros"]
    assert list(table.columns) == ["RMSE", "MAE"]
    assert table["RMSE"].tolist() == [0.0, 1.146, 3.571]
    assert table["MAE"].tolist() == [0.0, 0.875, 3.25]


def test_score_table_default_digits():
    table = score_table(pd.DataFrame({"rating": Y_TRUE}), {"close": np.array(Y_PRED)})
    assert table.loc["close", "RMSE"] == 1.1456
