"""The book's standard recipe for training the dot-product model, in one call.

The dot-product chapter builds, compiles and fits the model step by step.
The later chapters need the same trained model as a starting point, so they
call :func:`train_dot_product` and work with the model whose test error the
dot-product chapter reports.
"""

from __future__ import annotations

import pandas as pd

from movierec_utils import models, training
from movierec_utils.ensemble import cosine_schedule
from movierec_utils.prepare import PreparedData
from movierec_utils.runtime import keras, set_seed

DOT_PRODUCT_SETTINGS = {
    "n_factors": 50,
    "l2": 0.1,
    "bias_l2": 0.005,
    "epochs": 5,
    "batch_size": 2048,
    "learning_rate": 0.02,
}


def train_dot_product(
    data: PreparedData,
    seed: int = 42,
    verbose: bool = False,
    **settings,
) -> tuple[keras.Model, pd.DataFrame]:
    """Train the dot-product model of the dot-product chapter on ``data``.

    The model is :func:`movierec_utils.models.build_dot_model` with 50
    factors, a per-rating L2 penalty of 0.1 on the embeddings and 0.005 on
    the biases, the global bias started at the mean training rating. Adam
    starts at a learning rate of 0.02, which a cosine schedule lowers to zero
    over 5 epochs of batches of 2048 ratings. Early stopping on the
    validation part keeps the best epoch.

    Parameters
    ----------
    data : PreparedData
        From :func:`movierec_utils.prepare.load_and_split`.
    seed : int, default 42
        Seed of the weights and of the batch order.
    verbose : bool, default False
        Print one line per epoch.
    **settings
        Overrides of ``DOT_PRODUCT_SETTINGS`` (``n_factors``, ``l2``,
        ``bias_l2``, ``epochs``, ``batch_size``, ``learning_rate``).

    Returns
    -------
    (keras.Model, pandas.DataFrame)
        The trained model and its history, one row per epoch.
    """
    unknown = set(settings) - set(DOT_PRODUCT_SETTINGS)
    if unknown:
        raise ValueError(
            f"Unknown settings {sorted(unknown)}; expected some of {sorted(DOT_PRODUCT_SETTINGS)}."
        )
    chosen = {**DOT_PRODUCT_SETTINGS, **settings}
    train, val, _ = data.split
    set_seed(seed)
    model = models.build_dot_model(
        data.n_users,
        data.n_movies,
        n_factors=chosen["n_factors"],
        l2=chosen["l2"],
        bias_l2=chosen["bias_l2"],
        global_mean=float(train["rating"].mean()),
    )
    schedule = cosine_schedule(chosen["learning_rate"], chosen["epochs"], len(train),
                               chosen["batch_size"])
    training.compile_model(model, learning_rate=schedule)
    history = training.fit_model(
        model, train, val, epochs=chosen["epochs"], batch_size=chosen["batch_size"],
        patience=3, seed=seed, verbose=verbose,
    )
    return model, history
