"""Tests for retraining on fixed epochs, seed averaging and the stored benchmark results."""

import json

import numpy as np
import pandas as pd
import pytest

from movierec_utils import comparison, ensemble, models, training
from movierec_utils.encoding import RatingsEncoder


@pytest.fixture(scope="module")
def tiny():
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({
        "userId": rng.integers(1, 9, 200),
        "movieId": rng.integers(10, 22, 200),
        "rating": rng.choice(np.arange(1, 11) / 2, 200),
    })
    encoder = RatingsEncoder.fit(frame)
    return encoder, encoder.transform(frame)


def build_for(encoder):
    return lambda: models.build_dot_model(encoder.n_users, encoder.n_movies, n_factors=3,
                                          global_mean=3.0)


def test_cosine_schedule_endpoints():
    schedule = ensemble.cosine_schedule(0.02, epochs=4, n_rows=1000, batch_size=100)
    # 10 steps per epoch, 40 in all: the rate is 0.02 at step 0, half at step 20, 0 at 40.
    assert float(schedule(0)) == pytest.approx(0.02)
    assert float(schedule(20)) == pytest.approx(0.01)
    assert float(schedule(40)) == pytest.approx(0.0, abs=1e-9)


def test_cosine_schedule_rounds_steps_up():
    schedule = ensemble.cosine_schedule(1.0, epochs=1, n_rows=101, batch_size=100)
    # 101 rows in batches of 100 make 2 steps, so step 1 is halfway.
    assert float(schedule(1)) == pytest.approx(0.5)


@pytest.mark.parametrize("epochs, n_rows, batch_size", [(0, 10, 2), (1, 0, 2), (1, 10, 0)])
def test_cosine_schedule_rejects_nonpositive(epochs, n_rows, batch_size):
    with pytest.raises(ValueError, match="must be positive"):
        ensemble.cosine_schedule(0.01, epochs, n_rows, batch_size)


def test_fit_fixed_epochs_runs_exact_epochs(tiny):
    encoder, frame = tiny
    model = ensemble.fit_fixed_epochs(build_for(encoder), frame, epochs=3, batch_size=64, seed=7)
    # 200 rows in batches of 64 make 4 steps per epoch, 12 in 3 epochs.
    assert int(model.optimizer.iterations.numpy()) == 12


def test_fit_fixed_epochs_repeats_with_seed(tiny):
    encoder, frame = tiny
    first = ensemble.fit_fixed_epochs(build_for(encoder), frame, epochs=2, batch_size=64, seed=3)
    second = ensemble.fit_fixed_epochs(build_for(encoder), frame, epochs=2, batch_size=64, seed=3)
    for a, b in zip(first.get_weights(), second.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_fit_fixed_epochs_differs_by_seed(tiny):
    encoder, frame = tiny
    first = ensemble.fit_fixed_epochs(build_for(encoder), frame, epochs=1, batch_size=64, seed=1)
    second = ensemble.fit_fixed_epochs(build_for(encoder), frame, epochs=1, batch_size=64, seed=2)
    assert not np.array_equal(first.get_weights()[0], second.get_weights()[0])


def test_average_predictions_is_mean(tiny):
    encoder, frame = tiny
    runs = [ensemble.fit_fixed_epochs(build_for(encoder), frame, 1, 64, seed=s) for s in (1, 2)]
    expected = (training.predict_ratings(runs[0], frame) + training.predict_ratings(runs[1], frame)) / 2
    np.testing.assert_allclose(ensemble.average_predictions(runs, frame), expected)


def test_average_predictions_rejects_empty(tiny):
    _, frame = tiny
    with pytest.raises(ValueError, match="models is empty"):
        ensemble.average_predictions([], frame)


def write_run(folder, seed, rows):
    record = {"dataset": "ml-test", "split": "s", "results": rows}
    (folder / f"accuracy-ml-test-seed{seed}.json").write_text(json.dumps(record))


def test_load_results_reads_every_seed(tmp_path):
    write_run(tmp_path, 1, [{"name": "a", "source": "book", "rmse": 0.9, "mae": 0.7, "fit_s": 1.0}])
    write_run(tmp_path, 2, [{"name": "a", "source": "book", "rmse": 0.8, "mae": 0.6, "fit_s": 2.0}])
    (tmp_path / "accuracy-other-seed1.json").write_text("{}")
    table = comparison.load_results("ml-test", folder=tmp_path)
    assert table["seed"].tolist() == [1, 2]
    assert table["rmse"].tolist() == [0.9, 0.8]
    assert list(table.columns) == ["seed", "name", "source", "rmse", "mae", "fit_s"]


def test_load_results_missing_variant(tmp_path):
    with pytest.raises(FileNotFoundError, match="No stored results for 'ml-none'"):
        comparison.load_results("ml-none", folder=tmp_path)


def test_spread_over_seeds_by_hand():
    results = pd.DataFrame({
        "seed": [1, 2, 3, 1, 2, 3],
        "name": ["a", "a", "a", "b", "b", "b"],
        "source": ["book"] * 3 + ["surprise"] * 3,
        "rmse": [0.80, 0.84, 0.82, 0.90, 0.90, 0.90],
    })
    spread = comparison.spread_over_seeds(results)
    assert spread.index.tolist() == ["a", "b"]
    assert spread.loc["a", "mean"] == pytest.approx(0.82)
    # Sample standard deviation of 0.80, 0.84, 0.82: sqrt((0.0004 + 0.0004 + 0) / 2) = 0.02.
    assert spread.loc["a", "std"] == pytest.approx(0.02)
    assert spread.loc["b", "std"] == pytest.approx(0.0)
    assert spread.loc["a", "min"] == pytest.approx(0.80)
    assert spread.loc["a", "max"] == pytest.approx(0.84)
    assert spread.loc["a", "seeds"] == 3


def test_stored_results_cover_sources():
    table = comparison.load_results("ml-latest-small")
    assert set(table["source"]) == {"book", "baseline", "surprise"}
    assert 42 in set(table["seed"])
    assert table["rmse"].between(0.5, 1.5).all()
