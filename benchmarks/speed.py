"""Time the dot-product model's training: the 2017 notebook's settings against the book's.

Both runs train the same model (``models.build_dot_model`` with the book's
regularization) on the same split of ml-latest-small for the same number of
epochs, without early stopping, and are scored on the test part:

- seed: the original notebook's configuration, NumPy arrays passed to
  ``model.fit`` in batches of 64 with Adam at a learning rate of 0.001;
- book: the book's configuration, the ``tf.data`` pipeline of
  ``training.make_dataset`` in batches of 2048 with Adam, its learning rate
  decaying from 0.02 to zero on a cosine schedule over the epochs.

The last line printed is one JSON object with the keys ``seed_epoch_s``,
``book_epoch_s``, ``speedup``, ``seed_test_rmse`` and ``book_test_rmse``.
An epoch time is the median over the epochs after the first, because the
first epoch of either run also traces and compiles the training step.

Usage::

    python benchmarks/speed.py [--epochs 5] [--seed 42] [--variant ml-latest-small]
"""

from __future__ import annotations

import argparse
import json
import time

import numpy as np
import pandas as pd

from movierec_utils import metrics, models, prepare, training
from movierec_utils.runtime import keras, set_seed


class EpochTimer(keras.callbacks.Callback):
    """Record the wall time of every epoch."""

    def __init__(self):
        super().__init__()
        self.seconds = []

    def on_epoch_begin(self, epoch, logs=None):
        self._start = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        self.seconds.append(time.perf_counter() - self._start)

    def steady_epoch_seconds(self):
        later = self.seconds[1:] or self.seconds
        return float(pd.Series(later).median())


def build(data, seed):
    set_seed(seed)
    return models.build_dot_model(
        data.n_users, data.n_movies, n_factors=50, l2=0.1, bias_l2=0.005,
        global_mean=float(data.split.train["rating"].mean()),
    )


def run_seed_configuration(data, epochs, seed):
    """Train as the 2017 notebook did: arrays, batch 64, Adam 0.001."""
    model = build(data, seed)
    model.compile(optimizer=keras.optimizers.Adam(0.001), loss="mse")
    train = data.split.train
    timer = EpochTimer()
    model.fit(
        training.model_inputs(train),
        train["rating"].to_numpy(dtype=np.float32),
        batch_size=64,
        epochs=epochs,
        shuffle=True,
        callbacks=[timer],
        verbose=0,
    )
    return model, timer.steady_epoch_seconds()


def run_book_configuration(data, epochs, seed):
    """Train as the book does: tf.data pipeline, batch 2048, Adam with cosine decay."""
    model = build(data, seed)
    batch_size = 2048
    steps_per_epoch = -(-len(data.split.train) // batch_size)
    schedule = keras.optimizers.schedules.CosineDecay(0.02, decay_steps=epochs * steps_per_epoch)
    training.compile_model(model, learning_rate=schedule)
    dataset = training.make_dataset(
        model, data.split.train, batch_size=batch_size, shuffle=True, seed=seed
    )
    timer = EpochTimer()
    model.fit(dataset, epochs=epochs, shuffle=False, callbacks=[timer], verbose=0)
    return model, timer.steady_epoch_seconds()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=5, help="epochs for both runs (default: 5)")
    parser.add_argument("--seed", type=int, default=42, help="split and weight seed (default: 42)")
    parser.add_argument("--variant", default="ml-latest-small", help="MovieLens variant")
    args = parser.parse_args(argv)

    data = prepare.load_and_split(args.variant, seed=args.seed)
    test = data.split.test
    results = {}
    for name, run in (("seed", run_seed_configuration), ("book", run_book_configuration)):
        model, epoch_seconds = run(data, args.epochs, args.seed)
        rmse = metrics.rmse(test["rating"], training.predict_ratings(model, test))
        results[f"{name}_epoch_s"] = round(epoch_seconds, 3)
        results[f"{name}_test_rmse"] = round(rmse, 4)
        print(f"{name}: {epoch_seconds:.3f} s per epoch, test RMSE {rmse:.4f}", flush=True)
    results["speedup"] = round(results["seed_epoch_s"] / results["book_epoch_s"], 1)
    ordered = {key: results[key] for key in
               ("seed_epoch_s", "book_epoch_s", "speedup", "seed_test_rmse", "book_test_rmse")}
    print(json.dumps(ordered))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
