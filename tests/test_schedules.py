"""Tests of movierec_utils.schedules: step schedules, their callback and plot."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from movierec_utils import models, training  # noqa: E402
from movierec_utils.runtime import set_seed  # noqa: E402
from movierec_utils.schedules import StepSchedule, plot_learning_rate  # noqa: E402

# The hand-made steps of the 2017 notebook: 3, 6, 10 and 15 epochs.
ORIGINAL_STEPS = [(3, 0.001), (6, 0.01), (10, 0.001), (15, 0.0001)]


def test_step_schedule_rates_per_epoch():
    schedule = StepSchedule(ORIGINAL_STEPS)
    expected = [0.001] * 3 + [0.01] * 6 + [0.001] * 10 + [0.0001] * 15
    assert [schedule(epoch) for epoch in range(34)] == expected


def test_step_schedule_holds_last_rate():
    schedule = StepSchedule([(2, 0.1), (1, 0.01)])
    assert schedule(3) == 0.01
    assert schedule(100) == 0.01


def test_step_schedule_n_epochs():
    assert StepSchedule(ORIGINAL_STEPS).n_epochs == 34


def test_step_schedule_ignores_current_rate():
    schedule = StepSchedule([(1, 0.1), (1, 0.01)])
    assert schedule(1, 0.5) == 0.01


def test_step_schedule_returns_float():
    # Keras' LearningRateScheduler rejects anything but a float.
    assert type(StepSchedule([(1, 1)])(0)) is float


def test_step_schedule_rates_series():
    rates = StepSchedule([(2, 0.1), (1, 0.01)]).rates(4)
    assert rates.index.tolist() == [1, 2, 3, 4]
    assert rates.tolist() == [0.1, 0.1, 0.01, 0.01]


@pytest.mark.parametrize(
    "steps, match",
    [
        ([], "steps is empty"),
        ([(0, 0.1)], "positive whole number of epochs"),
        ([(1.5, 0.1)], "positive whole number of epochs"),
        ([(1, 0.0)], "learning rate must be positive"),
    ],
)
def test_step_schedule_invalid_raises(steps, match):
    with pytest.raises(ValueError, match=match):
        StepSchedule(steps)


def test_step_schedule_negative_epoch_raises():
    with pytest.raises(ValueError, match="epoch must be non-negative"):
        StepSchedule([(1, 0.1)])(-1)


def test_callback_sets_and_logs_rate():
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({
        "user": rng.integers(0, 4, 40),
        "movie": rng.integers(0, 4, 40),
        "rating": rng.uniform(1, 5, 40),
    })
    schedule = StepSchedule([(2, 0.05), (1, 0.005)])
    set_seed(0)
    model = models.build_dot_model(4, 4, n_factors=2)
    training.compile_model(model, learning_rate=1.0)
    history = training.fit_model(model, frame, frame, epochs=4, patience=10,
                                 callbacks=[schedule.callback()], verbose=False)
    np.testing.assert_allclose(history["learning_rate"], [0.05, 0.05, 0.005, 0.005], rtol=1e-6)


def test_plot_learning_rate_draws_schedule():
    fig, ax = plt.subplots()
    plot_learning_rate(StepSchedule([(2, 0.1), (1, 0.01)]), ax=ax, label="steps")
    (line,) = ax.get_lines()
    assert line.get_ydata().tolist() == [0.1, 0.1, 0.01]
    assert ax.get_yscale() == "log"
    assert ax.get_xlabel() == "epoch"
    assert ax.get_legend() is not None
    plt.close(fig)


def test_plot_learning_rate_empty_raises():
    with pytest.raises(ValueError, match="rates is empty"):
        plot_learning_rate(pd.Series([], dtype=float))
