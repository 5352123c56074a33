"""Rating-prediction metrics and the two baselines every model is compared with."""

from __future__ import annotations

import numpy as np
import pandas as pd

from movierec_utils.columns import ITEM_COL, RATING_COL, USER_COL


def _paired(y_true, y_pred):
    # Keras returns predictions of shape (n, 1); squeeze before comparing
    # shapes, so that (2, 3) against (3, 2) is still rejected.
    y_true = np.squeeze(np.asarray(y_true, dtype=np.float64))
    y_pred = np.squeeze(np.asarray(y_pred, dtype=np.float64))
    if y_true.shape != y_pred.shape:
        raise ValueError(
            f"y_true and y_pred must have the same shape, got {y_true.shape} and {y_pred.shape}."
        )
    y_true, y_pred = y_true.ravel(), y_pred.ravel()
    if y_true.size == 0:
        raise ValueError("y_true and y_pred are empty.")
    if not (np.isfinite(y_true).all() and np.isfinite(y_pred).all()):
        raise ValueError("y_true and y_pred must not contain NaN or infinite values.")
    return y_true, y_pred


def rmse(y_true, y_pred) -> float:
    """Compute the root mean squared error."""
    y_true, y_pred = _paired(y_true, y_pred)
    return float(np.sqrt(np.mean((y_true - y_pred) ** 2)))


def mae(y_true, y_pred) -> float:
    """Compute the mean absolute error."""
    y_true, y_pred = _paired(y_true, y_pred)
    return float(np.mean(np.abs(y_true - y_pred)))


class GlobalMeanBaseline:
    """Predict the mean training rating for everyone."""

    def fit(self, ratings: pd.DataFrame) -> "GlobalMeanBaseline":
        self.mean_ = float(ratings[RATING_COL].mean())
        return self

    def predict(self, ratings: pd.DataFrame) -> np.ndarray:
        return np.full(len(ratings), self.mean_)


class BiasBaseline:
    """Predict ``mean + b_user + b_movie`` with damped, alternating bias estimates.

    Each bias is a regularized mean of residuals, for example
    ``b_m = sum(r - mean - b_u) / (reg + n_m)`` over the ``n_m`` ratings of
    movie ``m``, so that a movie with few ratings stays near zero. The user
    and movie biases are updated in turn for ``n_iter`` rounds, which is
    alternating least squares on the biases-only model. Unknown users and
    movies get a bias of zero.

    Parameters
    ----------
    reg_user, reg_movie : float
        Damping of the user and movie biases, in ratings.
    n_iter : int
        Rounds of alternating updates.
    """

    def __init__(self, reg_user: float = 15.0, reg_movie: float = 10.0, n_iter: int = 10):
        if reg_user < 0 or reg_movie < 0:
            raise ValueError("reg_user and reg_movie must be non-negative.")
        if n_iter < 1:
            raise ValueError(f"n_iter must be at least 1, got {n_iter!r}.")
        self.reg_user = reg_user
        self.reg_movie = reg_movie
        self.n_iter = n_iter

    def fit(self, ratings: pd.DataFrame) -> "BiasBaseline":
        self.mean_ = float(ratings[RATING_COL].mean())
        users = ratings[USER_COL].to_numpy()
        movies = ratings[ITEM_COL].to_numpy()
        residual = ratings[RATING_COL].to_numpy(dtype=np.float64) - self.mean_
        user_bias = pd.Series(0.0, index=np.unique(users))
        movie_bias = pd.Series(0.0, index=np.unique(movies))
        for _ in range(self.n_iter):
            movie_bias = self._damped_mean(
                residual - user_bias.reindex(users).to_numpy(), movies, self.reg_movie)
            user_bias = self._damped_mean(
                residual - movie_bias.reindex(movies).to_numpy(), users, self.reg_user)
        self.user_bias_ = user_bias
        self.movie_bias_ = movie_bias
        return self

    @staticmethod
    def _damped_mean(values, keys, reg):
        grouped = pd.Series(values).groupby(keys)
        return grouped.sum() / (grouped.count() + reg)

    def predict(self, ratings: pd.DataFrame) -> np.ndarray:
        user_part = self.user_bias_.reindex(ratings[USER_COL].to_numpy()).fillna(0.0)
        movie_part = self.movie_bias_.reindex(ratings[ITEM_COL].to_numpy()).fillna(0.0)
        return self.mean_ + user_part.to_numpy() + movie_part.to_numpy()


def score_table(test: pd.DataFrame, predictions: dict[str, np.ndarray], digits: int = 4) -> pd.DataFrame:
    """Tabulate test RMSE and MAE for several models' predictions, best RMSE first."""
    rows = [
        {"model": name, "RMSE": rmse(test[RATING_COL], pred), "MAE": mae(test[RATING_COL], pred)}
        for name, pred in predictions.items()
    ]
    table = pd.DataFrame(rows).set_index("model").sort_values("RMSE")
    return table.round(digits)


def error_by_support(
    train: pd.DataFrame,
    test: pd.DataFrame,
    predictions,
    by: str = ITEM_COL,
    edges=(0, 1, 5, 20, 100),
) -> pd.DataFrame:
    """Break the test RMSE down by how many training ratings each movie (or user) has.

    Parameters
    ----------
    train, test : pandas.DataFrame
        The training part (to count ratings) and the test part.
    predictions : array-like
        One prediction per row of ``test``.
    by : {"movieId", "userId"}
        Whose training ratings to count.
    edges : increasing sequence of non-negative integers
        Upper ends of the buckets, inclusive. The default gives the buckets
        0, 1, 2-5, 6-20, 21-100 and "more than 100" training ratings.

    Returns
    -------
    pandas.DataFrame
        One row per bucket: the number of test ratings and their RMSE (NaN
        for an empty bucket).
    """
    predictions = np.asarray(predictions, dtype=np.float64).ravel()
    if len(predictions) != len(test):
        raise ValueError(f"Expected {len(test)} predictions, got {len(predictions)}.")
    edges = [int(e) for e in edges]
    if not edges or edges[0] < 0 or any(b <= a for a, b in zip(edges, edges[1:])):
        raise ValueError(f"edges must be increasing non-negative integers, got {edges}.")
    lows = [0] + [e + 1 for e in edges]
    labels = [str(high) if low == high else f"{low}-{high}" for low, high in zip(lows, edges)]
    labels.append(f"more than {edges[-1]}")
    support = test[by].map(train[by].value_counts()).fillna(0).to_numpy()
    bucket = pd.Categorical.from_codes(np.searchsorted(edges, support, side="left"), labels)
    squared = (test[RATING_COL].to_numpy(dtype=np.float64) - predictions) ** 2
    grouped = pd.Series(squared).groupby(bucket, observed=False)
    table = pd.DataFrame({"test ratings": grouped.size(), "RMSE": np.sqrt(grouped.mean())})
    table.index.name = f"training ratings per {by}"
    return table
