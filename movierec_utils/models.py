"""Keras 3 builders for the book's rating models.

Every model takes two integer inputs named ``user`` and ``movie`` (encoded
indices, see :mod:`movierec_utils.encoding`) and predicts a rating.
"""

from __future__ import annotations

import numpy as np

from movierec_utils.columns import ITEM_INDEX_COL, USER_INDEX_COL
from movierec_utils.runtime import keras

ops = keras.ops
layers = keras.layers


@keras.saving.register_keras_serializable(package="movierec")
class PenalizedEmbedding(layers.Embedding):
    """An ``Embedding`` with an L2 penalty on the rows it looks up.

    The penalty is ``l2 * mean over the batch of sum(row ** 2)``, the
    per-rating regularization of classic matrix factorization (Koren, Bell
    and Volinsky, 2009): a movie rated 300 times is pulled to zero 300 times
    as often as a movie rated once, and the strength does not depend on the
    batch size. Keras' ``embeddings_regularizer`` instead penalizes the
    whole table once per step, whatever the batch holds.
    """

    def __init__(self, input_dim, output_dim, l2=0.0, **kwargs):
        super().__init__(input_dim, output_dim, **kwargs)
        self.l2 = float(l2)

    def call(self, inputs):
        rows = super().call(inputs)
        if self.l2 > 0:
            self.add_loss(self.l2 * ops.mean(ops.sum(ops.square(rows), axis=-1)))
        return rows

    def get_config(self):
        return {**super().get_config(), "l2": self.l2}


@keras.saving.register_keras_serializable(package="movierec")
class GlobalBias(layers.Layer):
    """A trainable scalar added to every prediction, started at ``initial_value``."""

    def __init__(self, initial_value=0.0, **kwargs):
        super().__init__(**kwargs)
        self.initial_value = float(initial_value)

    def build(self, input_shape):
        self.bias = self.add_weight(
            shape=(),
            initializer=keras.initializers.Constant(self.initial_value),
            name="bias",
        )

    def call(self, inputs):
        return inputs + self.bias

    def get_config(self):
        return {**super().get_config(), "initial_value": self.initial_value}


@keras.saving.register_keras_serializable(package="movierec")
class ScaledSigmoid(layers.Layer):
    """Map a real score into ``(low, high)`` with a sigmoid."""

    def __init__(self, low, high, **kwargs):
        super().__init__(**kwargs)
        self.low = float(low)
        self.high = float(high)

    def call(self, inputs):
        return self.low + (self.high - self.low) * ops.sigmoid(inputs)

    def get_config(self):
        return {**super().get_config(), "low": self.low, "high": self.high}


def layer_table(model: keras.Model) -> "pd.DataFrame":
    """Tabulate a model's layers: name, class, output shape and weight count.

    A plain-text alternative to ``model.summary()``, whose box drawing and
    colour codes do not read well in a rendered book.
    """
    import pandas as pd

    rows = []
    for layer in model.layers:
        shape = layer.output.shape if hasattr(layer, "output") else None
        rows.append({
            "layer": layer.name,
            "type": type(layer).__name__,
            "output shape": str(tuple(shape)) if shape is not None else "",
            "weights": int(sum(int(np.prod(w.shape)) for w in layer.weights)),
        })
    table = pd.DataFrame(rows).set_index("layer")
    return table


def _inputs():
    user = keras.Input(shape=(), dtype="int32", name=USER_INDEX_COL)
    movie = keras.Input(shape=(), dtype="int32", name=ITEM_INDEX_COL)
    return user, movie


def _check_sizes(n_users, n_movies, n_factors):
    for name, value in (("n_users", n_users), ("n_movies", n_movies), ("n_factors", n_factors)):
        if int(value) != value or value < 1:
            raise ValueError(f"{name} must be a positive integer, got {value!r}.")


def build_dot_model(
    n_users: int,
    n_movies: int,
    n_factors: int = 50,
    l2: float = 0.05,
    bias_l2: float = 0.005,
    global_mean: float = 0.0,
    name: str = "dot_product",
) -> keras.Model:
    """Build the matrix-factorization model: a dot product plus biases.

    The predicted rating of user ``u`` for movie ``m`` is
    ``global_mean + b_u + b_m + p_u . q_m``, where ``p`` and ``q`` are
    ``n_factors``-dimensional embeddings and ``b`` are scalar biases.

    Parameters
    ----------
    n_users, n_movies : int
        Sizes of the user and movie vocabularies.
    n_factors : int, default 50
        Embedding size.
    l2 : float, default 0.05
        Per-rating L2 penalty on the embedding rows (see
        :class:`PenalizedEmbedding`).
    bias_l2 : float, default 0.005
        Per-rating L2 penalty on the biases.
    global_mean : float, default 0.0
        Starting value of the global bias; pass the mean training rating.
    name : str
        Model name.

    Returns
    -------
    keras.Model
        Inputs ``{"user", "movie"}`` of shape ``(batch,)``; output of shape
        ``(batch, 1)``. The layers are named ``user_embedding``,
        ``movie_embedding``, ``user_bias``, ``movie_bias`` and
        ``global_bias``.
    """
    _check_sizes(n_users, n_movies, n_factors)
    user, movie = _inputs()
    init = keras.initializers.RandomNormal(stddev=0.05)
    user_vec = PenalizedEmbedding(n_users, n_factors, l2=l2, embeddings_initializer=init,
                                  name="user_embedding")(user)
    movie_vec = PenalizedEmbedding(n_movies, n_factors, l2=l2, embeddings_initializer=init,
                                   name="movie_embedding")(movie)
    user_bias = PenalizedEmbedding(n_users, 1, l2=bias_l2, embeddings_initializer="zeros",
                                   name="user_bias")(user)
    movie_bias = PenalizedEmbedding(n_movies, 1, l2=bias_l2, embeddings_initializer="zeros",
                                    name="movie_bias")(movie)
    dot = layers.Dot(axes=1, name="dot")([user_vec, movie_vec])
    total = layers.Add(name="sum")([dot, user_bias, movie_bias])
    rating = GlobalBias(global_mean, name="global_bias")(total)
    return keras.Model({USER_INDEX_COL: user, ITEM_INDEX_COL: movie}, rating, name=name)
