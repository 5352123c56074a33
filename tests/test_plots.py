"""Tests for the book's figure functions."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from movierec_utils import plots  # noqa: E402


@pytest.fixture
def results():
    return pd.DataFrame({
        "seed": [1, 1, 2, 2],
        "name": ["a", "b", "a", "b"],
        "source": ["book", "surprise", "book", "surprise"],
        "rmse": [0.85, 0.87, 0.85, 0.86],
        "fit_s": [1.0, 2.0, 1.5, 2.5],
    })


def test_model_comparison_best_on_top(results):
    ax = plots.plot_model_comparison(results[results["seed"] == 1])
    labels = [tick.get_text() for tick in ax.get_yticklabels()]
    # barh draws the first row at the bottom, so the best model is the last label.
    assert labels == ["b", "a"]
    plt.close("all")


def test_model_comparison_missing_columns(results):
    with pytest.raises(ValueError, match=r"lacks the columns \['fit_s'\]"):
        plots.plot_model_comparison(results.drop(columns="fit_s"))


def test_seed_spread_one_line_per_seed(results):
    ax = plots.plot_seed_spread(results, ["a", "b"])
    assert len(ax.get_lines()) == 2
    plt.close("all")


def test_seed_spread_keeps_equal_values_apart(results):
    ax = plots.plot_seed_spread(results, ["a", "b"])
    first, second = (line.get_ydata() for line in ax.get_lines())
    # Model "a" scores 0.85 on both seeds; the two points sit at different heights.
    assert first[-1] != second[-1]
    plt.close("all")


def test_seed_spread_unknown_model(results):
    with pytest.raises(ValueError, match=r"No results for \['c'\]"):
        plots.plot_seed_spread(results, ["a", "c"])


def test_history_marks_best_epoch():
    history = pd.DataFrame({"rmse": [1.0, 0.9, 0.8], "val_rmse": [0.95, 0.90, 0.92]},
                           index=pd.RangeIndex(1, 4, name="epoch"))
    ax = plots.plot_history(history)
    labels = ax.get_legend_handles_labels()[1]
    assert "best epoch (2)" in labels
    assert "train" in labels
    assert "validation" in labels
    plt.close("all")
