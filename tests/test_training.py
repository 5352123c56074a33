"""Tests of movierec_utils.training: the data pipeline, fitting and prediction."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from movierec_utils import models, training
from movierec_utils.runtime import set_seed

N_ROWS = 23


@pytest.fixture
def frame() -> pd.DataFrame:
    """Ratings whose ``user`` column is the row number, so a batch names its rows."""
    rows = np.arange(N_ROWS)
    return pd.DataFrame({"user": rows, "movie": rows % 5, "rating": 0.5 + (rows % 10) / 2})


@pytest.fixture
def model():
    return models.build_dot_model(N_ROWS, 5, n_factors=3)


def epoch_orders(dataset, n_epochs):
    """Return the row order of each pass over ``dataset``."""
    orders = []
    for _ in range(n_epochs):
        batches = [np.asarray(inputs["user"]) for inputs, _ in dataset]
        orders.append(np.concatenate(batches))
    return orders


def test_dataset_covers_each_row_once_per_epoch(model, frame):
    dataset = training.make_dataset(model, frame, batch_size=5, shuffle=True, seed=3)
    for order in epoch_orders(dataset, 3):
        assert sorted(order.tolist()) == list(range(N_ROWS))


def test_dataset_targets_follow_rows(model, frame):
    dataset = training.make_dataset(model, frame, batch_size=5, shuffle=True, seed=3)
    for inputs, targets in dataset:
        rows = np.asarray(inputs["user"])
        np.testing.assert_array_equal(np.asarray(targets), frame["rating"].to_numpy()[rows])
        np.testing.assert_array_equal(np.asarray(inputs["movie"]), frame["movie"].to_numpy()[rows])


def test_dataset_reshuffles_between_epochs(model, frame):
    dataset = training.make_dataset(model, frame, batch_size=5, shuffle=True, seed=3)
    first, second = epoch_orders(dataset, 2)
    assert first.tolist() != second.tolist()


def test_dataset_same_seed_same_orders(model, frame):
    first_run = epoch_orders(
        training.make_dataset(model, frame, batch_size=5, shuffle=True, seed=3), 3)
    second_run = epoch_orders(
        training.make_dataset(model, frame, batch_size=5, shuffle=True, seed=3), 3)
    for first, second in zip(first_run, second_run):
        assert first.tolist() == second.tolist()


def test_dataset_other_seed_other_order(model, frame):
    (seed_3,) = epoch_orders(
        training.make_dataset(model, frame, batch_size=5, shuffle=True, seed=3), 1)
    (seed_4,) = epoch_orders(
        training.make_dataset(model, frame, batch_size=5, shuffle=True, seed=4), 1)
    assert seed_3.tolist() != seed_4.tolist()


def test_dataset_without_shuffle_keeps_order(model, frame):
    dataset = training.make_dataset(model, frame, batch_size=5)
    (order,) = epoch_orders(dataset, 1)
    assert order.tolist() == list(range(N_ROWS))
    sizes = [len(inputs["user"]) for inputs, _ in dataset]
    assert sizes == [5, 5, 5, 5, 3]


def test_dataset_two_outputs_get_targets_by_name(frame):
    hybrid = models.build_hybrid_model(N_ROWS, 5, n_factors=3)
    _, targets = next(iter(training.make_dataset(hybrid, frame, batch_size=4)))
    assert sorted(targets) == ["dot_head", "linear_head"]
    np.testing.assert_array_equal(np.asarray(targets["linear_head"]), frame["rating"][:4])


@pytest.mark.parametrize("batch_size", [0, -1, 2.5])
def test_dataset_invalid_batch_size_raises(model, frame, batch_size):
    with pytest.raises(ValueError, match="batch_size must be a positive integer"):
        training.make_dataset(model, frame, batch_size=batch_size)


def test_dataset_empty_frame_raises(model, frame):
    with pytest.raises(ValueError, match="empty frame"):
        training.make_dataset(model, frame.iloc[:0])


@pytest.mark.parametrize("global_mean, expected", [(10.0, 5.0), (-10.0, 0.5)])
def test_predict_ratings_clips(frame, global_mean, expected):
    model = models.build_dot_model(N_ROWS, 5, n_factors=3, global_mean=global_mean)
    predictions = training.predict_ratings(model, frame)
    assert predictions.shape == (N_ROWS,)
    assert predictions.tolist() == [expected] * N_ROWS


def test_predict_ratings_custom_range(frame):
    model = models.build_dot_model(N_ROWS, 5, n_factors=3, global_mean=3.0)
    predictions = training.predict_ratings(model, frame, low=1.0, high=2.0)
    assert predictions.max() == 2.0


def test_predict_ratings_names_output(frame):
    hybrid = models.build_hybrid_model(N_ROWS, 5, n_factors=3, global_mean=3.0)
    dot = training.predict_ratings(hybrid, frame, output="dot_head")
    linear = training.predict_ratings(hybrid, frame, output="linear_head")
    assert dot.shape == linear.shape == (N_ROWS,)
    with pytest.raises(ValueError, match="output must be one of"):
        training.predict_ratings(hybrid, frame, output="dot")


def test_vocabulary_sizes(model):
    assert training.vocabulary_sizes(model) == {"user": N_ROWS, "movie": 5}


def test_check_index_range_accepts_valid(model, frame):
    training.check_index_range(model, frame)


def test_check_index_range_lists_bad_values(model, frame):
    # movie = row % 5 + 3 is 5, 6 or 7 for the 13 rows whose row % 5 is 2, 3 or 4.
    bad = frame.assign(movie=frame["movie"] + 3)
    with pytest.raises(IndexError, match=r"13 movie index value\(s\) outside 0..4.*: 5, 6, 7"):
        training.check_index_range(model, bad)


def test_compile_rejects_unknown_loss_weight_name():
    hybrid = models.build_hybrid_model(N_ROWS, 5, n_factors=3)
    with pytest.raises(ValueError, match=r"unknown outputs \['dot'\]"):
        training.compile_model(hybrid, loss_weights={"linear_head": 0.2, "dot": 1.0})


def test_fit_requires_compiled_model(model, frame):
    with pytest.raises(ValueError, match="not compiled"):
        training.fit_model(model, frame, frame, epochs=1)


@pytest.fixture
def overfitting_data():
    """Random ratings on which a large, unpenalized model overfits quickly."""
    rng = np.random.default_rng(7)
    n_users, n_movies = 30, 30

    def part(n):
        return pd.DataFrame({
            "user": rng.integers(0, n_users, n),
            "movie": rng.integers(0, n_movies, n),
            "rating": rng.choice(np.arange(0.5, 5.5, 0.5), n),
        })

    return n_users, n_movies, part(300), part(100)


def test_fit_restores_best_weights(overfitting_data):
    n_users, n_movies, train, val = overfitting_data
    set_seed(1)
    model = models.build_dot_model(n_users, n_movies, n_factors=16, l2=0.0, bias_l2=0.0,
                                   global_mean=float(train["rating"].mean()))
    training.compile_model(model, learning_rate=0.05)
    history = training.fit_model(model, train, val, epochs=12, batch_size=32, patience=12,
                                 verbose=False)
    # The last epoch must not be the best, or the test would prove nothing.
    assert len(history) == 12
    assert history["val_rmse"].idxmin() < 12
    dataset = training.make_dataset(model, val, batch_size=8192)
    result = model.evaluate(dataset, verbose=0, return_dict=True)
    assert result["rmse"] == pytest.approx(history["val_rmse"].min(), rel=1e-5)


def test_fit_stops_early(overfitting_data):
    n_users, n_movies, train, val = overfitting_data
    set_seed(1)
    model = models.build_dot_model(n_users, n_movies, n_factors=16, l2=0.0, bias_l2=0.0)
    training.compile_model(model, learning_rate=0.05)
    history = training.fit_model(model, train, val, epochs=50, batch_size=32, patience=2,
                                 verbose=False)
    assert len(history) == history["val_rmse"].idxmin() + 2
    assert list(history.index[:2]) == [1, 2]


def test_fit_same_seed_same_history(overfitting_data):
    n_users, n_movies, train, val = overfitting_data
    histories = []
    for _ in range(2):
        set_seed(1)
        model = models.build_dot_model(n_users, n_movies, n_factors=4)
        training.compile_model(model, learning_rate=0.05)
        histories.append(training.fit_model(model, train, val, epochs=3, batch_size=32,
                                            verbose=False))
    pd.testing.assert_frame_equal(histories[0], histories[1])


def test_epoch_line_prints_rounded_rmse(capsys):
    line = training.EpochLine(digits=3)
    line.on_epoch_end(0, {"loss": 0.5, "rmse": 0.123456, "val_rmse": 0.98765})
    assert capsys.readouterr().out == "epoch   1  rmse 0.123  val_rmse 0.988\n"


def test_concat_histories_counts_epochs_on():
    first = pd.DataFrame({"val_rmse": [0.9, 0.8]}, index=pd.RangeIndex(1, 3, name="epoch"))
    second = pd.DataFrame({"val_rmse": [0.7], "learning_rate": [0.01]},
                          index=pd.RangeIndex(1, 2, name="epoch"))
    joined = training.concat_histories({"pretrain": first, "continue": second})
    assert joined.index.tolist() == [1, 2, 3]
    assert joined.index.name == "epoch"
    assert joined["stage"].tolist() == ["pretrain", "pretrain", "continue"]
    assert joined["val_rmse"].tolist() == [0.9, 0.8, 0.7]
    assert joined["learning_rate"].isna().tolist() == [True, True, False]


def test_concat_histories_empty_raises():
    with pytest.raises(ValueError, match="histories is empty"):
        training.concat_histories({})


def test_model_inputs_rejects_float_indices():
    frame = pd.DataFrame({"user": [0.0, 1.5], "movie": [0, 1]})
    with pytest.raises(TypeError, match="'user' must hold integer indices"):
        training.model_inputs(frame)


def test_model_inputs_rejects_int32_overflow():
    frame = pd.DataFrame({"user": [0, 1], "movie": [0, 2**32 + 1]})
    with pytest.raises(IndexError, match="movie index values from 0 to 4294967297"):
        training.model_inputs(frame)


def test_model_targets_rejects_nan_rating():
    model = models.build_dot_model(2, 2, 2)
    frame = pd.DataFrame({"user": [0, 1], "movie": [0, 1], "rating": [4.0, np.nan]})
    with pytest.raises(ValueError, match="1 rating\\(s\\) are NaN or infinite"):
        training.model_targets(model, frame)
