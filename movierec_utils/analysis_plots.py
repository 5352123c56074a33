"""Figures of the analysis chapters: labelled scatters, explained variance, genre heatmaps.

Like :mod:`movierec_utils.plots`, every function draws on an optional
Matplotlib ``Axes``, creates a figure sized for a page about 7.5 inches wide
when none is given, sets a title and axis labels, and returns the ``Axes``.
Point labels are moved apart with adjustText 1.x, which seeds its own random
nudges and here runs a fixed number of iterations, so a figure repeats from
run to run with the same library versions.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from adjustText import adjust_text

from movierec_utils.analysis import MEAN_RATING_COL, N_RATINGS_COL, shorten
from movierec_utils.columns import TITLE_COL
from movierec_utils.ranking import require_finite, require_integer


# adjustText 1.x stops after 1 second by default, so its result depends on
# the speed of the machine. A fixed number of iterations makes it repeat.
ITERATION_LIMIT = 300


def _axes(ax, figsize):
    if ax is None:
        _, ax = plt.subplots(figsize=figsize, layout="constrained")
    return ax


def add_point_labels(ax, x, y, labels, fontsize: float = 8, title_width: int = 28):
    """Write a label beside each point and move the labels apart with adjustText.

    adjustText removes the overlaps between labels, and between labels and
    points, in all but very crowded plots. Labels longer than
    ``title_width`` characters are cut. A thin grey line joins each moved
    label to its point. Call this after the axes limits are final, since
    the labels are kept inside them.
    """
    title_width = require_integer(title_width, "title_width", minimum=2)
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    labels = [shorten(str(label), title_width) for label in labels]
    if not len(x) == len(y) == len(labels):
        raise ValueError(
            f"x, y and labels must have the same length, got {len(x)}, {len(y)} and {len(labels)}."
        )
    # A light box keeps a label readable where it lies over other points.
    box = {"facecolor": "white", "alpha": 0.75, "edgecolor": "none", "pad": 0.5}
    texts = [ax.text(xi, yi, label, fontsize=fontsize, bbox=box, zorder=4)
             for xi, yi, label in zip(x, y, labels)]
    adjust_text(
        texts,
        x=x,
        y=y,
        ax=ax,
        expand=(1.2, 1.5),
        # Push labels off the points harder than adjustText's default
        # (0.1, 0.2), so that a label rarely covers a point.
        force_static=(0.6, 0.9),
        force_text=(0.2, 0.4),
        force_pull=(0.005, 0.005),
        iter_lim=ITERATION_LIMIT,
        arrowprops={"arrowstyle": "-", "color": "grey", "lw": 0.5},
    )
    return texts


def plot_labelled_scatter(
    x,
    y,
    labels,
    ax=None,
    title: str = "",
    xlabel: str = "",
    ylabel: str = "",
    fontsize: float = 8,
    title_width: int = 28,
):
    """Draw a scatter of ``(x, y)`` with a non-overlapping text label per point.

    Keep the number of points modest, about 30 to 40 at a page width of 7.5
    inches. Beyond that the labels crowd the axes however they are moved.
    """
    ax = _axes(ax, (7.5, 6.5))
    # Points are drawn above the label boxes (zorder 4), so none is hidden.
    ax.scatter(x, y, s=14, color="tab:blue", zorder=5)
    ax.axhline(0, color="lightgrey", lw=0.8, zorder=1)
    ax.axvline(0, color="lightgrey", lw=0.8, zorder=1)
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    # Room beyond the outermost points, so that their labels need not cover them.
    ax.margins(x=0.15, y=0.08)
    add_point_labels(ax, x, y, labels, fontsize=fontsize, title_width=title_width)
    return ax


def plot_explained_variance(pca, ax=None, title: str = "Variance explained per component"):
    """Draw each component's share of the variance as bars and the running total as a line.

    ``pca`` is a fitted :class:`sklearn.decomposition.PCA`.
    """
    ax = _axes(ax, (7.5, 4))
    ratios = np.asarray(pca.explained_variance_ratio_)
    positions = np.arange(1, len(ratios) + 1)
    ax.bar(positions, ratios, color="tab:blue", label="this component")
    ax.plot(positions, np.cumsum(ratios), color="tab:orange", marker="o", markersize=4,
            label="cumulative")
    ax.set_xticks(positions)
    ax.set_xticklabels([f"PC{i}" for i in positions])
    ax.set_ylim(0, 1)
    ax.set_xlabel("principal component")
    ax.set_ylabel("share of the variance")
    ax.set_title(title)
    ax.legend(loc="upper left")
    return ax


def plot_genre_heatmap(
    correlation: pd.DataFrame,
    ax=None,
    title: str = "Correlation of component scores with genres",
    annotate: bool = True,
    limit: float | None = None,
):
    """Draw a genre-by-component table of correlations as a heatmap.

    Colours run from blue (negative) to red (positive) on a scale from
    ``-limit`` to ``+limit``. Without ``limit``, the scale ends at the
    largest absolute value, which makes weak correlations look strong. Pass
    a fixed value such as 0.5 to compare figures. With ``annotate``, each
    cell shows its value to two decimals.
    """
    if correlation.empty:
        raise ValueError(
            f"correlation is empty (shape {correlation.shape}), so there is nothing to draw. "
            f"Pass the output of genre_correlation."
        )
    if limit is not None and require_finite(limit, "limit") <= 0:
        raise ValueError(f"limit must be positive, got {limit!r}. Pass a value such as 0.5.")
    height = max(3.0, 0.3 * len(correlation) + 1.2)
    ax = _axes(ax, (7.5, height))
    values = correlation.to_numpy(dtype=np.float64)
    if limit is None:
        limit = max(float(np.nanmax(np.abs(values))), 1e-9)
    image = ax.imshow(values, cmap="RdBu_r", vmin=-limit, vmax=limit, aspect="auto")
    ax.set_xticks(np.arange(values.shape[1]))
    ax.set_xticklabels(correlation.columns)
    ax.set_yticks(np.arange(values.shape[0]))
    ax.set_yticklabels(correlation.index)
    if annotate:
        for (row, column), value in np.ndenumerate(values):
            colour = "white" if abs(value) > 0.6 * limit else "black"
            ax.text(column, row, f"{value:.2f}", ha="center", va="center", fontsize=7,
                    color=colour)
    ax.figure.colorbar(image, ax=ax, label="Pearson correlation")
    ax.set_xlabel("principal component")
    ax.set_ylabel("genre")
    ax.set_title(title)
    return ax


def plot_bias_vs_mean(
    table: pd.DataFrame,
    ax=None,
    bias_column: str = "bias",
    labelled=None,
    title: str = "Learned movie bias against mean rating",
    title_width: int = 34,
):
    """Draw each movie's learned bias against its mean rating, coloured by its number of ratings.

    Parameters
    ----------
    table : pandas.DataFrame
        A :func:`movierec_utils.analysis.bias_table`. Movies without a
        rating (no mean) are not drawn.
    bias_column : str, default "bias"
        Column for the vertical axis.
    labelled : array-like of row labels of ``table``, optional
        Movies to label with their titles.
    """
    missing = [c for c in (bias_column, MEAN_RATING_COL, N_RATINGS_COL) if c not in table.columns]
    if missing:
        raise KeyError(
            f"table has no column(s) {missing}. Its columns are {list(table.columns)}. "
            f"Build it with analysis.bias_table."
        )
    if labelled is not None:
        unknown = [label for label in labelled if label not in table.index]
        if unknown:
            raise KeyError(
                f"labelled contains row labels that table lacks, for example {unknown[:5]}. "
                f"Pass labels of table.index, not movieIds."
            )
    title_width = require_integer(title_width, "title_width", minimum=2)
    ax = _axes(ax, (7.5, 5.5))
    rated = table[table[N_RATINGS_COL] > 0].sort_values(N_RATINGS_COL, kind="stable")
    points = ax.scatter(
        rated[MEAN_RATING_COL],
        rated[bias_column],
        c=np.log10(rated[N_RATINGS_COL]),
        cmap="viridis",
        s=8,
        alpha=0.7,
    )
    colorbar = ax.figure.colorbar(points, ax=ax)
    ticks = [t for t in (1, 10, 100, 1000) if t <= rated[N_RATINGS_COL].max()]
    colorbar.set_ticks(np.log10(ticks))
    colorbar.set_ticklabels([str(t) for t in ticks])
    colorbar.set_label("number of ratings (log scale)")
    ax.margins(x=0.06, y=0.08)
    if labelled is not None and len(labelled):
        chosen = table.loc[list(labelled)]
        ax.scatter(chosen[MEAN_RATING_COL], chosen[bias_column], s=30, facecolors="none",
                   edgecolors="red", zorder=5)
        add_point_labels(ax, chosen[MEAN_RATING_COL], chosen[bias_column], chosen[TITLE_COL],
                         title_width=title_width)
    ax.set_xlabel("mean rating in the training part (stars)")
    ax.set_ylabel("learned movie bias (stars)")
    ax.set_title(title)
    return ax
