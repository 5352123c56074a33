"""Retrain on train plus validation, and average several models' predictions.

Two ways to squeeze more accuracy out of the book's models without touching
the test part:

- Retrain on train and validation together once the validation part has
  fixed the settings (the epochs, the penalty, the learning rate). The final
  model then learns from 80 % of all ratings instead of 72 %, 11 % more.
- Train the same model from several seeds and average the predictions. This
  cancels part of the noise that each run's random start and batch order
  leaves in its weights.
"""

from __future__ import annotations

from typing import Callable, Sequence

import numpy as np
import pandas as pd

from movierec_utils import training
from movierec_utils.runtime import keras, set_seed


def cosine_schedule(
    initial_rate: float, epochs: int, n_rows: int, batch_size: int
) -> keras.optimizers.schedules.CosineDecay:
    """Return a learning rate that decays from ``initial_rate`` to zero over ``epochs``."""
    if epochs < 1 or n_rows < 1 or batch_size < 1:
        raise ValueError(
            f"epochs, n_rows and batch_size must be positive, got {epochs}, {n_rows}, {batch_size}."
        )
    steps_per_epoch = -(-n_rows // batch_size)
    return keras.optimizers.schedules.CosineDecay(initial_rate, decay_steps=epochs * steps_per_epoch)


def fit_fixed_epochs(
    build_model: Callable[[], keras.Model],
    frame: pd.DataFrame,
    epochs: int,
    batch_size: int = 2048,
    learning_rate: float = 0.02,
    seed: int = 42,
) -> keras.Model:
    """Build a model after seeding, and train it on ``frame`` for exactly ``epochs``.

    The learning rate follows :func:`cosine_schedule`. No part of ``frame``
    is held out, so the number of epochs must come from an earlier run that
    had a validation part.
    """
    set_seed(seed)
    model = build_model()
    training.compile_model(
        model, learning_rate=cosine_schedule(learning_rate, epochs, len(frame), batch_size)
    )
    dataset = training.make_dataset(model, frame, batch_size, shuffle=True, seed=seed)
    model.fit(dataset, epochs=epochs, shuffle=False, verbose=0)
    return model


def average_predictions(models: Sequence[keras.Model], frame: pd.DataFrame) -> np.ndarray:
    """Average the clipped rating predictions of several single-output models."""
    if not models:
        raise ValueError("models is empty; pass at least one trained model.")
    return np.mean([training.predict_ratings(model, frame) for model in models], axis=0)
