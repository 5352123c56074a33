"""One call that loads a variant, encodes its ids and splits it, as every chapter does."""

from __future__ import annotations

import os
from dataclasses import dataclass

import pandas as pd

from movierec_utils import datasets
from movierec_utils.encoding import RatingsEncoder
from movierec_utils.split import Split, split_ratings


@dataclass
class PreparedData:
    """Ratings and movies of one variant, the fitted id encoder and the split.

    ``ratings`` and the three parts of ``split`` carry the ``user`` and
    ``movie`` index columns.
    """

    variant: str
    ratings: pd.DataFrame
    movies: pd.DataFrame
    encoder: RatingsEncoder
    split: Split

    @property
    def n_users(self) -> int:
        return self.encoder.n_users

    @property
    def n_movies(self) -> int:
        return self.encoder.n_movies


def load_and_split(
    variant: str = datasets.DEFAULT_VARIANT,
    seed: int = 42,
    test_size: float = 0.2,
    val_size: float = 0.1,
    data_home: str | os.PathLike | None = None,
) -> PreparedData:
    """Load ratings and movies, encode the ids and split at random by ``seed``.

    The encoder is fitted on all ratings: every rated movie and every user
    gets an index, including those whose ratings all fall in the test part.
    Knowing that a movie exists reveals none of its test ratings. Such a
    movie is never looked up in training, so it keeps its zero bias and its
    small random starting embedding, and the model predicts it from the
    global mean and the user's bias, plus a little noise.
    """
    ratings = datasets.load_ratings(variant, data_home)
    movies = datasets.load_movies(variant, data_home)
    encoder = RatingsEncoder.fit(ratings)
    encoded = encoder.transform(ratings)
    parts = split_ratings(encoded, test_size=test_size, val_size=val_size, seed=seed)
    return PreparedData(variant, encoded, movies, encoder, parts)
