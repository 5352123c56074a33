"""Tests of movierec_utils.models: shapes, the hybrid's losses and weight transfers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from movierec_utils import models, training
from movierec_utils.encoding import RatingsEncoder
from movierec_utils.runtime import keras, set_seed

N_USERS, N_MOVIES, N_FACTORS = 6, 9, 4


@pytest.fixture
def frame() -> pd.DataFrame:
    """Eight ratings on encoded indices, every user and several movies."""
    return pd.DataFrame({
        "user": [0, 1, 2, 3, 4, 5, 0, 3],
        "movie": [0, 2, 4, 6, 8, 1, 3, 5],
        "rating": [4.0, 3.5, 1.0, 5.0, 2.5, 3.0, 4.5, 0.5],
    })


def weights_of(model, name):
    return [np.array(w) for w in model.get_layer(name).get_weights()]


def test_neural_net_output_shape(frame):
    set_seed(0)
    model = models.build_neural_net(N_USERS, N_MOVIES, N_FACTORS)
    predictions = model.predict(training.make_dataset(model, frame, with_targets=False), verbose=0)
    assert predictions.shape == (len(frame), 1)


def test_neural_net_default_layers():
    model = models.build_neural_net(N_USERS, N_MOVIES, N_FACTORS)
    units = [model.get_layer(f"hidden_{i}").units for i in (1, 2, 3)]
    rates = [model.get_layer(f"dropout_{i}").rate for i in (1, 2, 3)]
    assert units == [100, 100, 50]
    assert rates == [0.5, 0.6, 0.7]
    assert model.get_layer("concatenate").output.shape == (None, 2 * N_FACTORS)


def test_neural_net_zero_dropout_omits_layer():
    model = models.build_neural_net(N_USERS, N_MOVIES, hidden_units=(8, 4), dropout_rates=(0.0, 0.2))
    names = [layer.name for layer in model.layers]
    assert "dropout_1" not in names
    assert "dropout_2" in names


def test_neural_net_output_starts_at_mean():
    model = models.build_neural_net(N_USERS, N_MOVIES, N_FACTORS, global_mean=3.5)
    _, bias = model.get_layer("rating").get_weights()
    assert bias.tolist() == [3.5]


def test_neural_net_predicts_without_dropout(frame):
    # Dropout must be off at prediction time, so two predictions agree.
    set_seed(0)
    model = models.build_neural_net(N_USERS, N_MOVIES, N_FACTORS)
    first = training.predict_ratings(model, frame)
    second = training.predict_ratings(model, frame)
    np.testing.assert_array_equal(first, second)


@pytest.mark.parametrize(
    "hidden_units, dropout_rates, match",
    [
        ((8, 4), (0.1,), "same length, got 2 and 1"),
        ((8, 0), (0.1, 0.1), "hidden_units must be positive integers"),
        ((8,), (1.0,), r"dropout_rates must be in \[0, 1\)"),
    ],
)
def test_neural_net_invalid_stack_raises(hidden_units, dropout_rates, match):
    with pytest.raises(ValueError, match=match):
        models.build_neural_net(N_USERS, N_MOVIES, hidden_units=hidden_units,
                                dropout_rates=dropout_rates)


def test_hybrid_output_names_in_declared_order():
    model = models.build_hybrid_model(N_USERS, N_MOVIES, N_FACTORS)
    # Declared linear head first, which is not alphabetical order.
    assert list(model.output_names) == ["linear_head", "dot_head"]
    assert sorted(model.output_names) != list(model.output_names)


def test_hybrid_output_shapes(frame):
    set_seed(0)
    model = models.build_hybrid_model(N_USERS, N_MOVIES, N_FACTORS)
    linear, dot = model.predict(training.make_dataset(model, frame, with_targets=False), verbose=0)
    assert linear.shape == (len(frame), 1)
    assert dot.shape == (len(frame), 1)


def test_hybrid_heads_share_embeddings():
    model = models.build_hybrid_model(N_USERS, N_MOVIES, N_FACTORS)
    embedding_layers = [layer for layer in model.layers if layer.name.endswith("_embedding")]
    assert [layer.name for layer in embedding_layers] == ["user_embedding", "movie_embedding"]


@pytest.mark.parametrize("linear_weight, dot_weight", [(0.2, 1.0), (1.0, 0.2), (0.0, 1.0)])
def test_hybrid_loss_weights_by_output_name(frame, linear_weight, dot_weight):
    # Without penalties, the total loss is the weighted sum of each head's
    # mean squared error, computed here by hand.
    set_seed(0)
    model = models.build_hybrid_model(N_USERS, N_MOVIES, N_FACTORS, l2=0.0, bias_l2=0.0,
                                      global_mean=3.0)
    # Different starting points make the two heads' errors differ clearly.
    model.get_layer("linear_head").set_weights([
        np.full((2 * N_FACTORS, 1), 0.5, dtype=np.float32), np.array([1.0], np.float32),
    ])
    training.compile_model(model, loss_weights={"dot_head": dot_weight, "linear_head": linear_weight})
    dataset = training.make_dataset(model, frame, batch_size=len(frame))
    result = model.evaluate(dataset, verbose=0, return_dict=True)

    linear, dot = model.predict(training.make_dataset(model, frame, with_targets=False), verbose=0)
    y = frame["rating"].to_numpy()
    mse_linear = np.mean((linear.ravel() - y) ** 2)
    mse_dot = np.mean((dot.ravel() - y) ** 2)
    assert abs(mse_linear - mse_dot) > 1.0
    assert result["linear_head_loss"] == pytest.approx(mse_linear, rel=1e-5)
    assert result["dot_head_loss"] == pytest.approx(mse_dot, rel=1e-5)
    expected = linear_weight * mse_linear + dot_weight * mse_dot
    assert result["loss"] == pytest.approx(expected, rel=1e-5)


def test_hybrid_loss_includes_penalty(frame):
    set_seed(0)
    model = models.build_hybrid_model(N_USERS, N_MOVIES, N_FACTORS, l2=0.5, bias_l2=0.0)
    training.compile_model(model, loss_weights={"linear_head": 0.2, "dot_head": 1.0})
    dataset = training.make_dataset(model, frame, batch_size=len(frame))
    result = model.evaluate(dataset, verbose=0, return_dict=True)
    weighted = 0.2 * result["linear_head_loss"] + result["dot_head_loss"]

    user_rows = weights_of(model, "user_embedding")[0][frame["user"]]
    movie_rows = weights_of(model, "movie_embedding")[0][frame["movie"]]
    penalty = 0.5 * (np.mean(np.sum(user_rows**2, axis=1)) + np.mean(np.sum(movie_rows**2, axis=1)))
    assert result["loss"] == pytest.approx(weighted + penalty, rel=1e-5)


def test_transfer_embeddings_copies_arrays():
    set_seed(0)
    source = models.build_neural_net(N_USERS, N_MOVIES, N_FACTORS)
    target = models.build_dot_model(N_USERS, N_MOVIES, N_FACTORS)
    target_bias = weights_of(target, "user_bias")
    copied = models.transfer_embeddings(source, target)
    assert copied == ["user_embedding", "movie_embedding"]
    for name in copied:
        np.testing.assert_array_equal(weights_of(target, name)[0], weights_of(source, name)[0])
    np.testing.assert_array_equal(weights_of(target, "user_bias")[0], target_bias[0])


def test_transfer_leaves_source_independent():
    set_seed(0)
    source = models.build_neural_net(N_USERS, N_MOVIES, N_FACTORS)
    target = models.build_dot_model(N_USERS, N_MOVIES, N_FACTORS)
    models.transfer_embeddings(source, target)
    before = weights_of(source, "user_embedding")[0]
    target.get_layer("user_embedding").set_weights([np.zeros((N_USERS, N_FACTORS), np.float32)])
    np.testing.assert_array_equal(weights_of(source, "user_embedding")[0], before)


def test_transfer_shape_mismatch_raises_and_writes_nothing():
    set_seed(0)
    source = models.build_neural_net(N_USERS, N_MOVIES, N_FACTORS)
    target = models.build_dot_model(N_USERS, N_MOVIES + 1, N_FACTORS)
    before = weights_of(target, "user_embedding")[0]
    with pytest.raises(ValueError, match="'movie_embedding'.*weight shapes"):
        models.transfer_embeddings(source, target)
    # user_embedding would fit, but the copy is all or nothing.
    np.testing.assert_array_equal(weights_of(target, "user_embedding")[0], before)


def test_copy_weights_missing_layer_raises():
    source = models.build_neural_net(N_USERS, N_MOVIES, N_FACTORS)
    target = models.build_dot_model(N_USERS, N_MOVIES, N_FACTORS)
    with pytest.raises(ValueError, match="has no layer 'user_bias'"):
        models.copy_weights(source, target, ["user_bias"])


def test_copy_weights_empty_names_raises():
    model = models.build_dot_model(N_USERS, N_MOVIES, N_FACTORS)
    with pytest.raises(ValueError, match="layer_names is empty"):
        models.copy_weights(model, model, [])


def test_dot_head_model_predicts_like_hybrid(frame):
    set_seed(0)
    hybrid = models.build_hybrid_model(N_USERS, N_MOVIES, N_FACTORS, l2=0.3, bias_l2=0.02,
                                       global_mean=3.2)
    training.compile_model(hybrid, learning_rate=0.05)
    training.fit_model(hybrid, frame, frame, epochs=3, batch_size=4, monitor="val_dot_head_rmse",
                       verbose=False)
    dot = models.dot_head_model(hybrid)
    np.testing.assert_allclose(
        training.predict_ratings(dot, frame),
        training.predict_ratings(hybrid, frame, output="dot_head"),
        rtol=0, atol=1e-6,
    )
    for name in ("user_embedding", "movie_embedding", "user_bias", "movie_bias"):
        np.testing.assert_array_equal(weights_of(dot, name)[0], weights_of(hybrid, name)[0])
    assert dot.get_layer("user_embedding").l2 == pytest.approx(0.3)
    assert dot.get_layer("user_bias").l2 == pytest.approx(0.02)
    assert len(dot.outputs) == 1


def test_unknown_id_raises_in_encoder():
    ratings = pd.DataFrame({"userId": [10, 20], "movieId": [1, 2], "rating": [3.0, 4.0]})
    encoder = RatingsEncoder.fit(ratings)
    unseen = pd.DataFrame({"userId": [10], "movieId": [99], "rating": [3.0]})
    with pytest.raises(KeyError, match="1 movieId value"):
        encoder.transform(unseen)


@pytest.mark.parametrize("builder", [models.build_dot_model, models.build_neural_net,
                                     models.build_hybrid_model])
@pytest.mark.parametrize("column, bad_index", [("user", -1), ("user", N_USERS),
                                               ("movie", N_MOVIES)])
def test_out_of_range_index_raises_in_predict(builder, column, bad_index, frame):
    model = builder(N_USERS, N_MOVIES, N_FACTORS)
    bad = frame.copy()
    bad.loc[0, column] = bad_index
    output = "dot_head" if len(model.outputs) > 1 else None
    with pytest.raises(IndexError, match=f"{column} index value"):
        training.predict_ratings(model, bad, output=output)


def test_embedding_reads_last_row_for_minus_one():
    # Why the check above exists: Keras does not raise for index -1.
    layer = keras.layers.Embedding(3, 2)
    layer.build((None,))
    table = np.array(layer.get_weights()[0])
    np.testing.assert_array_equal(np.array(layer(np.array([-1]))), table[[2]])


def test_builder_accepts_numpy_sizes():
    model = models.build_dot_model(np.int64(3), np.int32(4), np.int64(2))
    assert model.get_layer("movie_embedding").input_dim == 4


@pytest.mark.parametrize("bad", [True, 2.0, 0, -1])
def test_builder_rejects_non_integer_sizes(bad):
    with pytest.raises(ValueError, match="n_users must be a positive integer"):
        models.build_dot_model(bad, 4, 2)
