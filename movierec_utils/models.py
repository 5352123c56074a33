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

    The penalty is ``l2 * mean over the batch of sum(row ** 2)``: each
    rating adds the penalty of the rows it looks up, so a movie rated 300
    times pays it 300 times, and its strength does not depend on the batch
    size. Because a row's data term grows with its ratings too, the penalty
    shrinks every row by a similar proportion rather than damping rarely
    rated rows more (the "weighted-lambda" form of alternating least
    squares). Keras' ``embeddings_regularizer`` instead penalizes the whole
    table once per step, whatever the batch holds.
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
    """Return the three sizes as Python ints, raising if one is not a positive integer.

    NumPy integers are accepted (``frame["user"].max() + 1`` is one), since
    Keras' ``Embedding`` takes only Python ints.
    """
    sizes = []
    for name, value in (("n_users", n_users), ("n_movies", n_movies), ("n_factors", n_factors)):
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)) or value < 1:
            raise ValueError(f"{name} must be a positive integer, got {value!r}.")
        sizes.append(int(value))
    return sizes


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
    n_users, n_movies, n_factors = _check_sizes(n_users, n_movies, n_factors)
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


# Layer names shared by every builder, so that weights can move between models
# by name (see copy_weights).
EMBEDDING_LAYERS = ("user_embedding", "movie_embedding")
BIAS_LAYERS = ("user_bias", "movie_bias")


def _embeddings(user, movie, n_users, n_movies, n_factors, l2):
    init = keras.initializers.RandomNormal(stddev=0.05)
    user_vec = PenalizedEmbedding(n_users, n_factors, l2=l2, embeddings_initializer=init,
                                  name="user_embedding")(user)
    movie_vec = PenalizedEmbedding(n_movies, n_factors, l2=l2, embeddings_initializer=init,
                                   name="movie_embedding")(movie)
    return user_vec, movie_vec


def _check_dense_stack(hidden_units, dropout_rates):
    hidden_units = tuple(hidden_units)
    dropout_rates = tuple(dropout_rates)
    if len(hidden_units) != len(dropout_rates):
        raise ValueError(
            f"hidden_units and dropout_rates must have the same length, got "
            f"{len(hidden_units)} and {len(dropout_rates)}."
        )
    for units in hidden_units:
        if int(units) != units or units < 1:
            raise ValueError(f"hidden_units must be positive integers, got {hidden_units!r}.")
    for rate in dropout_rates:
        if not 0.0 <= rate < 1.0:
            raise ValueError(f"dropout_rates must be in [0, 1), got {dropout_rates!r}.")
    return hidden_units, dropout_rates


def build_neural_net(
    n_users: int,
    n_movies: int,
    n_factors: int = 50,
    l2: float = 0.0001,
    hidden_units=(100, 100, 50),
    dropout_rates=(0.5, 0.6, 0.7),
    global_mean: float = 0.0,
    name: str = "neural_net",
) -> keras.Model:
    """Build the neural-net model: concatenated embeddings through dense layers.

    The user and movie embeddings are concatenated into one vector of
    ``2 * n_factors`` numbers, which passes through one ReLU ``Dense`` layer
    per entry of ``hidden_units``, each followed by ``Dropout`` at the
    matching rate, and ends in a single linear unit. The defaults are the
    architecture of the 2017 Keras 1 notebook that this book modernizes.

    Parameters
    ----------
    n_users, n_movies : int
        Sizes of the user and movie vocabularies.
    n_factors : int, default 50
        Embedding size.
    l2 : float, default 0.0001
        Per-rating L2 penalty on the embedding rows (see
        :class:`PenalizedEmbedding`).
    hidden_units : sequence of int, default (100, 100, 50)
        Units of the hidden ReLU layers, first to last.
    dropout_rates : sequence of float, default (0.5, 0.6, 0.7)
        Dropout rate after each hidden layer; 0 leaves a layer without
        dropout.
    global_mean : float, default 0.0
        Starting bias of the output unit; pass the mean training rating.
    name : str
        Model name.

    Returns
    -------
    keras.Model
        Inputs ``{"user", "movie"}`` of shape ``(batch,)``; output of shape
        ``(batch, 1)``. The embedding layers are named ``user_embedding``
        and ``movie_embedding`` as in :func:`build_dot_model`, the hidden
        layers ``hidden_1``, ``dropout_1`` and so on, the output ``rating``.
    """
    n_users, n_movies, n_factors = _check_sizes(n_users, n_movies, n_factors)
    hidden_units, dropout_rates = _check_dense_stack(hidden_units, dropout_rates)
    user, movie = _inputs()
    user_vec, movie_vec = _embeddings(user, movie, n_users, n_movies, n_factors, l2)
    x = layers.Concatenate(name="concatenate")([user_vec, movie_vec])
    for number, (units, rate) in enumerate(zip(hidden_units, dropout_rates), start=1):
        x = layers.Dense(units, activation="relu", name=f"hidden_{number}")(x)
        if rate > 0:
            x = layers.Dropout(rate, name=f"dropout_{number}")(x)
    rating = layers.Dense(
        1, bias_initializer=keras.initializers.Constant(global_mean), name="rating"
    )(x)
    return keras.Model({USER_INDEX_COL: user, ITEM_INDEX_COL: movie}, rating, name=name)


# Output names of the hybrid model, in the order it declares them.
LINEAR_HEAD = "linear_head"
DOT_HEAD = "dot_head"


def build_hybrid_model(
    n_users: int,
    n_movies: int,
    n_factors: int = 50,
    l2: float = 0.05,
    bias_l2: float = 0.005,
    global_mean: float = 0.0,
    name: str = "hybrid",
) -> keras.Model:
    """Build the hybrid model: one set of embeddings, a linear head and a dot head.

    Both heads read the same ``user_embedding`` and ``movie_embedding``
    layers, so a loss on either output trains them:

    - ``linear_head``: one linear unit on the concatenated embeddings;
    - ``dot_head``: ``global_mean + b_u + b_m + p_u . q_m``, the model of
      :func:`build_dot_model`.

    The outputs are declared in that order, linear head first, which is not
    alphabetical, so code that matches losses to outputs by position instead
    of by name would pair them wrongly.

    Parameters
    ----------
    n_users, n_movies, n_factors, l2, bias_l2, global_mean, name
        As in :func:`build_dot_model`; ``global_mean`` also starts the bias
        of the linear head.

    Returns
    -------
    keras.Model
        Inputs ``{"user", "movie"}`` of shape ``(batch,)``; two outputs of
        shape ``(batch, 1)`` named ``linear_head`` and ``dot_head``. The
        embedding and bias layers carry the names of
        :func:`build_dot_model`; the global bias of the dot head is the
        ``dot_head`` layer itself.
    """
    n_users, n_movies, n_factors = _check_sizes(n_users, n_movies, n_factors)
    user, movie = _inputs()
    user_vec, movie_vec = _embeddings(user, movie, n_users, n_movies, n_factors, l2)
    user_bias = PenalizedEmbedding(n_users, 1, l2=bias_l2, embeddings_initializer="zeros",
                                   name="user_bias")(user)
    movie_bias = PenalizedEmbedding(n_movies, 1, l2=bias_l2, embeddings_initializer="zeros",
                                    name="movie_bias")(movie)
    joined = layers.Concatenate(name="concatenate")([user_vec, movie_vec])
    linear = layers.Dense(
        1, bias_initializer=keras.initializers.Constant(global_mean), name=LINEAR_HEAD
    )(joined)
    dot = layers.Dot(axes=1, name="dot")([user_vec, movie_vec])
    total = layers.Add(name="sum")([dot, user_bias, movie_bias])
    rating = GlobalBias(global_mean, name=DOT_HEAD)(total)
    return keras.Model(
        {USER_INDEX_COL: user, ITEM_INDEX_COL: movie}, [linear, rating], name=name
    )


def copy_weights(source: keras.Model, target: keras.Model, layer_names) -> list[str]:
    """Copy the weights of named layers from ``source`` into ``target``.

    Parameters
    ----------
    source, target : keras.Model
        Built models; ``target`` is changed in place.
    layer_names : sequence of str or mapping of str to str
        Layers to copy. A sequence names layers that have the same name in
        both models; a mapping pairs a ``source`` layer name with a
        ``target`` layer name.

    Returns
    -------
    list of str
        The names of the target layers that were written.

    Raises
    ------
    ValueError
        If a layer is missing from either model, or if the weight shapes of
        a pair differ (for example, models built for different vocabularies
        or embedding sizes). Nothing is written in that case.
    """
    pairs = dict(layer_names) if hasattr(layer_names, "items") else {n: n for n in layer_names}
    if not pairs:
        raise ValueError("layer_names is empty; name at least one layer to copy.")
    planned = []
    for source_name, target_name in pairs.items():
        source_layer = _layer(source, source_name)
        target_layer = _layer(target, target_name)
        values = source_layer.get_weights()
        shapes = [tuple(v.shape) for v in values]
        target_shapes = [tuple(w.shape) for w in target_layer.weights]
        if shapes != target_shapes:
            raise ValueError(
                f"Cannot copy layer {source_name!r} of {source.name!r} into layer "
                f"{target_name!r} of {target.name!r}: weight shapes {shapes} and "
                f"{target_shapes} differ."
            )
        planned.append((target_layer, values))
    for target_layer, values in planned:
        target_layer.set_weights(values)
    return [target_layer.name for target_layer, _ in planned]


def _layer(model, name):
    try:
        return model.get_layer(name)
    except ValueError:
        names = [layer.name for layer in model.layers]
        raise ValueError(
            f"Model {model.name!r} has no layer {name!r}; its layers are {names}."
        ) from None


def transfer_embeddings(source: keras.Model, target: keras.Model) -> list[str]:
    """Copy the user and movie embeddings of ``source`` into ``target``.

    Both models must have been built for the same vocabularies and
    ``n_factors``, for example a :func:`build_neural_net` model as the
    source and a :func:`build_dot_model` model as the target. The target's
    other layers (biases, dense layers) keep their own weights.
    """
    return copy_weights(source, target, EMBEDDING_LAYERS)


def dot_head_model(hybrid: keras.Model, name: str = "hybrid_dot_head") -> keras.Model:
    """Build a dot-product model that starts as the dot head of a hybrid model.

    A new :func:`build_dot_model` model of the same sizes and penalties
    receives copies of the hybrid's embeddings, biases and global bias, so
    it predicts exactly what the hybrid's ``dot_head`` output predicts. The
    hybrid is not changed by training the new model, since no layer is
    shared.
    """
    user_layer = _layer(hybrid, "user_embedding")
    movie_layer = _layer(hybrid, "movie_embedding")
    head = _layer(hybrid, DOT_HEAD)
    bias_l2 = _layer(hybrid, "user_bias").l2
    model = build_dot_model(
        user_layer.input_dim,
        movie_layer.input_dim,
        n_factors=user_layer.output_dim,
        l2=user_layer.l2,
        bias_l2=bias_l2,
        global_mean=float(np.asarray(head.get_weights()[0])),
        name=name,
    )
    names = {n: n for n in EMBEDDING_LAYERS + BIAS_LAYERS}
    names[DOT_HEAD] = "global_bias"
    copy_weights(hybrid, model, names)
    return model
