"""Compile, fit and evaluate the rating models with short, repeatable output."""

from __future__ import annotations

import numpy as np
import pandas as pd

from movierec_utils.columns import ITEM_INDEX_COL, RATING_COL, USER_INDEX_COL
from movierec_utils.runtime import keras, tf

RATING_MIN = 0.5
RATING_MAX = 5.0


def model_inputs(frame: pd.DataFrame) -> dict[str, np.ndarray]:
    """Return the ``user`` and ``movie`` index columns as int32 arrays for Keras."""
    missing = [c for c in (USER_INDEX_COL, ITEM_INDEX_COL) if c not in frame.columns]
    if missing:
        raise KeyError(
            f"Missing index column(s) {missing}; encode the ids first with "
            "RatingsEncoder.transform()."
        )
    arrays = {}
    for column in (USER_INDEX_COL, ITEM_INDEX_COL):
        values = frame[column].to_numpy()
        if not np.issubdtype(values.dtype, np.integer):
            raise TypeError(
                f"Column {column!r} must hold integer indices, got dtype {values.dtype}; "
                "encode the ids with RatingsEncoder.transform()."
            )
        if values.size and (values.min() < 0 or values.max() > np.iinfo(np.int32).max):
            raise IndexError(
                f"{column} index values from {values.min()} to {values.max()} are out of "
                "range; indices must be non-negative and fit in int32."
            )
        arrays[column] = values.astype(np.int32)
    return arrays


def model_targets(model: keras.Model, frame: pd.DataFrame):
    """Return the ratings as the target of every output of ``model``."""
    y = frame[RATING_COL].to_numpy(dtype=np.float32)
    if not np.isfinite(y).all():
        raise ValueError(
            f"{int((~np.isfinite(y)).sum())} rating(s) are NaN or infinite; drop or fix them "
            "before training."
        )
    if len(model.outputs) == 1:
        return y
    return {name: y for name in model.output_names}


def make_dataset(
    model: keras.Model,
    frame: pd.DataFrame,
    batch_size: int = 1024,
    shuffle: bool = False,
    seed: int = 42,
    with_targets: bool = True,
) -> tf.data.Dataset:
    """Build a batched ``tf.data`` pipeline of inputs (and targets) from ``frame``.

    Each batch is one ``tf.gather`` of a slice of row indices, so the cost
    per epoch is a few operations per batch rather than per row, and no
    Python runs per batch. With ``shuffle=True`` the indices are a new
    permutation at every pass over the data (every epoch), drawn from
    ``seed``, so two runs with the same seed see the same batches.
    """
    if int(batch_size) != batch_size or batch_size < 1:
        raise ValueError(f"batch_size must be a positive integer, got {batch_size!r}.")
    n_rows = len(frame)
    if n_rows == 0:
        raise ValueError("Cannot build a dataset from an empty frame.")
    n_batches = -(-n_rows // batch_size)
    columns = {name: tf.constant(values) for name, values in model_inputs(frame).items()}
    targets = model_targets(model, frame) if with_targets else None
    if targets is not None and not isinstance(targets, dict):
        targets = tf.constant(targets)
    elif targets is not None:
        targets = {name: tf.constant(values) for name, values in targets.items()}

    def slices(order):
        return tf.data.Dataset.range(n_batches).map(
            lambda i: order[i * batch_size : (i + 1) * batch_size]
        )

    if shuffle:
        # One fresh int64 seed per pass over the dataset, then a stateless
        # shuffle of all row indices from that seed.
        epoch_seeds = tf.data.Dataset.random(seed=seed, rerandomize_each_iteration=True)
        indices = epoch_seeds.take(1).flat_map(
            lambda s: slices(
                tf.random.experimental.stateless_shuffle(
                    tf.range(n_rows, dtype=tf.int64), seed=tf.stack([s, tf.constant(0, tf.int64)])
                )
            )
        )
    else:
        indices = slices(tf.range(n_rows, dtype=tf.int64))

    def gather(rows):
        inputs = {name: tf.gather(values, rows) for name, values in columns.items()}
        if targets is None:
            return inputs
        return inputs, tf.nest.map_structure(lambda values: tf.gather(values, rows), targets)

    dataset = indices.map(gather).apply(tf.data.experimental.assert_cardinality(n_batches))
    return dataset.prefetch(2)


def compile_model(model: keras.Model, learning_rate=0.01, loss_weights=None) -> keras.Model:
    """Compile with Adam, mean squared error and an RMSE metric on every output.

    ``learning_rate`` may be a float or a
    ``keras.optimizers.schedules.LearningRateSchedule``. ``loss_weights``
    maps output names to weights for a model with several outputs.
    """
    n_outputs = len(model.outputs)
    if n_outputs == 1:
        loss, metrics = "mse", [keras.metrics.RootMeanSquaredError(name="rmse")]
    else:
        loss = {name: "mse" for name in model.output_names}
        metrics = {name: [keras.metrics.RootMeanSquaredError(name="rmse")]
                   for name in model.output_names}
        if loss_weights is not None:
            unknown = set(loss_weights) - set(model.output_names)
            if unknown:
                raise ValueError(
                    f"loss_weights names unknown outputs {sorted(unknown)}; the "
                    f"model's outputs are {model.output_names}."
                )
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate),
        loss=loss,
        loss_weights=loss_weights,
        metrics=metrics,
    )
    return model


class EpochLine(keras.callbacks.Callback):
    """Print one line per epoch: the epoch and every RMSE Keras logged.

    Values are rounded to ``digits`` decimals and no timing is printed, so
    that the line repeats from run to run.
    """

    def __init__(self, digits: int = 4):
        super().__init__()
        self.digits = digits

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}
        parts = [f"epoch {epoch + 1:3d}"]
        for key in sorted(k for k in logs if k.endswith("rmse")):
            parts.append(f"{key} {logs[key]:.{self.digits}f}")
        print("  ".join(parts))


def fit_model(
    model: keras.Model,
    train: pd.DataFrame,
    val: pd.DataFrame,
    epochs: int = 50,
    batch_size: int = 1024,
    patience: int = 3,
    monitor: str = "val_rmse",
    callbacks=None,
    seed: int = 42,
    verbose: bool = True,
) -> pd.DataFrame:
    """Fit a compiled model with early stopping on the validation part.

    Early stopping watches ``monitor`` and restores the weights of the best
    epoch, so the returned model is the one that scored best on ``val``.

    Returns
    -------
    pandas.DataFrame
        The Keras history, one row per epoch, indexed from 1.
    """
    if getattr(model, "optimizer", None) is None or not model.compiled:
        raise ValueError("The model is not compiled; call compile_model() first.")
    stop = keras.callbacks.EarlyStopping(
        monitor=monitor, patience=patience, restore_best_weights=True, mode="min"
    )
    all_callbacks = [stop, *(callbacks or [])]
    if verbose:
        all_callbacks.append(EpochLine())
    history = model.fit(
        make_dataset(model, train, batch_size, shuffle=True, seed=seed),
        validation_data=make_dataset(model, val, max(batch_size, 8192)),
        epochs=epochs,
        callbacks=all_callbacks,
        shuffle=False,  # make_dataset already shuffles
        verbose=0,
    )
    frame = pd.DataFrame(history.history)
    frame.index = pd.RangeIndex(1, len(frame) + 1, name="epoch")
    return frame


def predict_ratings(
    model: keras.Model,
    frame: pd.DataFrame,
    output: str | None = None,
    batch_size: int = 8192,
    low: float = RATING_MIN,
    high: float = RATING_MAX,
) -> np.ndarray:
    """Predict ratings for the rows of ``frame``, clipped to ``[low, high]``.

    For a model with several outputs, ``output`` names the one to return.

    Raises
    ------
    IndexError
        If an index in ``frame`` is outside an embedding table of ``model``
        (see :func:`check_index_range`).
    """
    check_index_range(model, frame)
    dataset = make_dataset(model, frame, batch_size, with_targets=False)
    predictions = model.predict(dataset, verbose=0)
    if isinstance(predictions, dict):
        if output not in predictions:
            raise ValueError(f"output must be one of {sorted(predictions)}, got {output!r}.")
        predictions = predictions[output]
    elif isinstance(predictions, (list, tuple)):
        names = list(model.output_names)
        if output not in names:
            raise ValueError(f"output must be one of {names}, got {output!r}.")
        predictions = predictions[names.index(output)]
    return np.clip(np.asarray(predictions, dtype=np.float64).ravel(), low, high)


def vocabulary_sizes(model: keras.Model) -> dict[str, int]:
    """Return, for each model input, the row count of the embedding tables it indexes.

    An input that feeds several embedding layers gets the smallest of their
    sizes; an input that feeds none is left out.
    """
    inputs = model.input if isinstance(model.input, dict) else {}
    sizes: dict[str, int] = {}
    for layer in model.layers:
        if not isinstance(layer, keras.layers.Embedding):
            continue
        for name, tensor in inputs.items():
            if layer.input is tensor:
                sizes[name] = min(sizes.get(name, layer.input_dim), layer.input_dim)
    return sizes


def check_index_range(model: keras.Model, frame: pd.DataFrame) -> None:
    """Raise ``IndexError`` if an index of ``frame`` falls outside the model's tables.

    Keras 3's ``Embedding`` on the TensorFlow backend reads the last row for
    index ``-1`` without an error. The ``tf.gather`` documentation states that
    a GPU returns zeros for a too large index, where a CPU raises. Either would
    give a silent, wrong prediction. :func:`model_inputs` already rejects
    negative indices, so this function checks the upper end of each table.
    """
    values = model_inputs(frame)
    for name, size in vocabulary_sizes(model).items():
        column = values[name]
        bad = column[column >= size]
        if bad.size:
            examples = ", ".join(str(v) for v in np.unique(bad)[:5])
            raise IndexError(
                f"{bad.size} {name} index value(s) outside 0..{size - 1}, the rows of "
                f"the model's embedding table: {examples}. Encode the ids with the "
                "encoder the model was built for."
            )


def concat_histories(histories: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Join the histories of training stages into one, with epochs counted on.

    Parameters
    ----------
    histories : dict of str to pandas.DataFrame
        Stage name to the history that :func:`fit_model` returned, in the
        order the stages ran.

    Returns
    -------
    pandas.DataFrame
        The rows of all stages, indexed by epoch from 1 across stages, with
        a ``stage`` column. A metric that a stage did not log is NaN there.
    """
    if not histories:
        raise ValueError("histories is empty; give at least one stage.")
    frames = [frame.assign(stage=name) for name, frame in histories.items()]
    joined = pd.concat(frames, ignore_index=True)
    joined.index = pd.RangeIndex(1, len(joined) + 1, name="epoch")
    return joined
