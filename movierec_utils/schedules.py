"""Per-epoch learning-rate schedules, as Keras callbacks, and their plot."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from movierec_utils.runtime import keras


class StepSchedule:
    """A learning rate that is constant for a number of epochs, then steps.

    Parameters
    ----------
    steps : sequence of (int, float)
        ``(n_epochs, learning_rate)`` pairs in order. The first
        ``learning_rate`` holds for the first ``n_epochs`` epochs, the next
        for the following ``n_epochs``, and so on. After the last step the
        last rate holds.

    Examples
    --------
    >>> schedule = StepSchedule([(2, 0.01), (1, 0.001)])
    >>> [schedule(epoch) for epoch in range(4)]
    [0.01, 0.01, 0.001, 0.001]
    """

    def __init__(self, steps):
        steps = [(n_epochs, float(rate)) for n_epochs, rate in steps]
        if not steps:
            raise ValueError("steps is empty; give at least one (n_epochs, learning_rate) pair.")
        for n_epochs, rate in steps:
            if int(n_epochs) != n_epochs or n_epochs < 1:
                raise ValueError(f"Each step needs a positive whole number of epochs, got {n_epochs!r}.")
            if not rate > 0:
                raise ValueError(f"Each learning rate must be positive, got {rate!r}.")
        self.steps = [(int(n_epochs), rate) for n_epochs, rate in steps]
        self._last_epochs = np.cumsum([n_epochs for n_epochs, _ in self.steps])

    @property
    def n_epochs(self) -> int:
        """Epochs covered by the steps, all of them together."""
        return int(self._last_epochs[-1])

    def __call__(self, epoch: int, learning_rate=None) -> float:
        """Return the learning rate of ``epoch``, counted from 0 as Keras does.

        ``learning_rate``, the current rate that Keras passes, is ignored.
        """
        if epoch < 0:
            raise ValueError(f"epoch must be non-negative, got {epoch!r}.")
        step = int(np.searchsorted(self._last_epochs, epoch, side="right"))
        return self.steps[min(step, len(self.steps) - 1)][1]

    def rates(self, n_epochs: int | None = None) -> pd.Series:
        """Return the rate of each epoch, indexed from 1 like a training history."""
        n_epochs = self.n_epochs if n_epochs is None else int(n_epochs)
        index = pd.RangeIndex(1, n_epochs + 1, name="epoch")
        return pd.Series([self(epoch) for epoch in range(n_epochs)], index=index,
                         name="learning_rate")

    def callback(self) -> keras.callbacks.LearningRateScheduler:
        """Return a Keras callback that sets this rate at the start of each epoch.

        The callback also logs the rate, so a history from
        :func:`movierec_utils.training.fit_model` gets a ``learning_rate``
        column.
        """
        return keras.callbacks.LearningRateScheduler(self, verbose=0)

    def __repr__(self) -> str:
        return f"StepSchedule({self.steps!r})"


def plot_learning_rate(rates, ax=None, title: str = "Learning rate per epoch", label=None):
    """Draw a per-epoch learning rate as steps on a log scale.

    Parameters
    ----------
    rates : pandas.Series or StepSchedule
        Rates indexed by epoch from 1, such as the ``learning_rate`` column
        of a training history or :meth:`StepSchedule.rates`. A schedule is
        drawn over the epochs its steps cover.
    ax : matplotlib Axes, optional
        Where to draw; a new figure when omitted.
    title : str
        Axes title.
    label : str, optional
        Legend label of the line; no legend is drawn without one.
    """
    if isinstance(rates, StepSchedule):
        rates = rates.rates()
    rates = pd.Series(rates)
    if rates.empty:
        raise ValueError("rates is empty; nothing to plot.")
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 3))
    ax.step(rates.index, rates.to_numpy(), where="mid", marker="o", markersize=3, label=label)
    ax.set_yscale("log")
    ax.set_xlabel("epoch")
    ax.set_ylabel("learning rate (log scale)")
    ax.set_title(title)
    ax.xaxis.get_major_locator().set_params(integer=True)
    if label is not None:
        ax.legend()
    return ax
