"""Figures of the book, each drawn on a Matplotlib ``Axes`` that it returns.

Every function takes an optional ``ax``; without one it creates a figure.
Titles and axis labels are set, so a figure reads on its own.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from movierec_utils.columns import ITEM_COL, RATING_COL, USER_COL

_ENTITY_NAMES = {USER_COL: "user", ITEM_COL: "movie"}


def _axes(ax):
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 4))
    return ax


def plot_rating_distribution(ratings: pd.DataFrame, ax=None):
    """Draw a bar chart of how many ratings each star value received."""
    ax = _axes(ax)
    counts = ratings[RATING_COL].value_counts().sort_index()
    ax.bar(counts.index.astype(float), counts.to_numpy(), width=0.4, color="tab:blue")
    ax.set_xticks(counts.index.astype(float))
    ax.set_xlabel("rating (stars)")
    ax.set_ylabel("number of ratings")
    ax.set_title("Distribution of ratings")
    return ax


def plot_long_tail(ratings: pd.DataFrame, by: str = ITEM_COL, ax=None):
    """Draw the number of ratings per user or per movie, sorted, on a log scale.

    Parameters
    ----------
    by : {"userId", "movieId"}
        Which column to count ratings by.
    """
    if by not in _ENTITY_NAMES:
        raise ValueError(f"by must be {USER_COL!r} or {ITEM_COL!r}, got {by!r}.")
    ax = _axes(ax)
    name = _ENTITY_NAMES[by]
    counts = np.sort(ratings[by].value_counts().to_numpy())[::-1]
    ax.plot(np.arange(1, len(counts) + 1), counts, color="tab:orange")
    ax.set_yscale("log")
    ax.set_xlabel(f"{name} rank (most ratings first)")
    ax.set_ylabel("ratings (log scale)")
    ax.set_title(f"Ratings per {name}")
    return ax


def plot_history(history: pd.DataFrame, metric: str = "rmse", ax=None, title: str | None = None):
    """Draw the training and validation curves of one metric per epoch.

    ``history`` is the frame returned by
    :func:`movierec_utils.training.fit_model`. Every column that ends with
    ``metric`` is drawn. Columns starting with ``val_`` are labelled
    "validation" and the others "train". A train value is Keras' metric on
    the training batches, averaged over the epoch while the weights change.
    """
    columns = [c for c in history.columns if c.endswith(metric)]
    if not columns:
        raise ValueError(f"history has no column ending in {metric!r}: {list(history.columns)}.")
    ax = _axes(ax)
    for column in columns:
        split_name = "validation" if column.startswith("val_") else "train"
        head = column.removeprefix("val_").removesuffix(metric).rstrip("_")
        label = f"{head} ({split_name})" if head else split_name
        style = "-" if split_name == "validation" else "--"
        ax.plot(history.index, history[column], style, marker="o", markersize=3, label=label)
    monitored = f"val_{metric}"
    if monitored in history.columns:
        best_epoch = history[monitored].idxmin()
        ax.axvline(best_epoch, color="grey", linestyle=":", label=f"best epoch ({best_epoch})")
    ax.set_xlabel("epoch")
    ax.set_ylabel(metric.upper())
    ax.set_title(title or f"{metric.upper()} per epoch")
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.legend()
    return ax


_SOURCE_COLORS = {"book": "tab:blue", "baseline": "tab:gray", "surprise": "tab:orange"}


def plot_model_comparison(results: pd.DataFrame, ax=None, title: str = "Test RMSE by model"):
    """Draw each model's test RMSE as a horizontal bar, labelled with its fit time.

    ``results`` has the columns ``name``, ``source`` (``book``, ``baseline``
    or ``surprise``, which set the colour), ``rmse`` and ``fit_s``, one row
    per model, as :func:`movierec_utils.comparison.load_results` returns for
    one seed. The best model is drawn at the top.
    """
    missing = {"name", "source", "rmse", "fit_s"} - set(results.columns)
    if missing:
        raise ValueError(f"results lacks the columns {sorted(missing)}.")
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 0.45 * len(results) + 1.2))
    ordered = results.sort_values("rmse", ascending=False)
    colors = [_SOURCE_COLORS.get(source, "tab:green") for source in ordered["source"]]
    ax.barh(ordered["name"], ordered["rmse"], color=colors)
    low = ordered["rmse"].min()
    high = ordered["rmse"].max()
    ax.set_xlim(low - 0.02, high + 0.025)
    for y, (rmse, seconds) in enumerate(zip(ordered["rmse"], ordered["fit_s"])):
        ax.text(rmse + 0.001, y, f"{rmse:.4f}  ({seconds:.1f} s)", va="center", fontsize=8)
    handles = [plt.Rectangle((0, 0), 1, 1, color=color) for color in _SOURCE_COLORS.values()]
    ax.legend(handles, list(_SOURCE_COLORS), loc="upper right", title="source")
    ax.set_xlabel("test RMSE (lower is better); fit time in brackets")
    ax.set_title(title)
    return ax


def plot_seed_spread(results: pd.DataFrame, names, ax=None, title: str = "Test RMSE over split seeds"):
    """Draw each model's test RMSE on every split seed as dots, one row per model.

    ``results`` is the long table of
    :func:`movierec_utils.comparison.load_results`; ``names`` selects and
    orders the models, top to bottom. Lines join the points of one seed, so
    a reader can see whether the ranking holds on every split. Each seed's
    points are shifted vertically by a fixed small step, so that equal
    values do not hide each other.
    """
    names = list(names)
    unknown = set(names) - set(results["name"])
    if unknown:
        raise ValueError(f"No results for {sorted(unknown)}.")
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 0.5 * len(names) + 1.2))
    positions = {name: len(names) - 1 - i for i, name in enumerate(names)}
    subset = results[results["name"].isin(names)]
    seeds = sorted(subset["seed"].unique())
    # Shift each seed's points up or down a little, so equal values stay visible.
    offsets = np.linspace(-0.2, 0.2, len(seeds)) if len(seeds) > 1 else [0.0]
    for seed, offset in zip(seeds, offsets):
        runs = subset[subset["seed"] == seed]
        runs = runs.assign(y=runs["name"].map(positions) + offset).sort_values("y")
        ax.plot(runs["rmse"], runs["y"], marker="o", alpha=0.7, label=f"seed {seed}")
    ax.set_yticks(list(positions.values()), list(positions))
    ax.set_xlabel("test RMSE")
    ax.set_title(title)
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    return ax
