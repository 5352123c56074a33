"""Reversible encoding of user and movie ids to contiguous indices.

Embedding layers need indices ``0 .. n - 1``. Keras 3's ``Embedding`` on the
TensorFlow CPU backend returns the last row for index ``-1`` and raises no
error, so an unknown id must be caught here, before any lookup.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from movierec_utils.columns import ITEM_COL, ITEM_INDEX_COL, USER_COL, USER_INDEX_COL


class IdEncoder:
    """Map arbitrary ids to ``0 .. n - 1`` and back.

    Ids are sorted before they are numbered, so the encoding does not depend
    on row order.

    Parameters
    ----------
    name : str
        What the ids are ("userId", "movieId"); used in error messages.

    Examples
    --------
    >>> encoder = IdEncoder("movieId").fit([30, 10, 20, 10])
    >>> encoder.transform([10, 30]).tolist()
    [0, 2]
    >>> encoder.inverse_transform([2]).tolist()
    [30]
    """

    def __init__(self, name: str = "id"):
        self.name = name
        self.classes_: np.ndarray | None = None

    def fit(self, ids) -> "IdEncoder":
        """Learn the sorted set of distinct ids."""
        self.classes_ = np.unique(np.asarray(ids))
        return self

    def __len__(self) -> int:
        return len(self._fitted_classes())

    def _fitted_classes(self) -> np.ndarray:
        if self.classes_ is None:
            raise RuntimeError(f"This {self.name} encoder is not fitted yet; call fit() first.")
        return self.classes_

    def transform(self, ids) -> np.ndarray:
        """Return the index of each id.

        Raises
        ------
        KeyError
            If an id was not seen by :meth:`fit`; the message lists up to
            five of them.
        """
        classes = self._fitted_classes()
        ids = np.asarray(ids)
        if len(classes) == 0:
            raise KeyError(f"The {self.name} encoder was fitted on no ids; fit it on a non-empty column.")
        positions = np.searchsorted(classes, ids)
        positions = np.clip(positions, 0, len(classes) - 1)
        unknown = classes[positions] != ids
        if unknown.any():
            missing = pd.unique(ids[unknown])
            shown = ", ".join(repr(x.item() if hasattr(x, "item") else x) for x in missing[:5])
            more = f" and {len(missing) - 5} more" if len(missing) > 5 else ""
            raise KeyError(
                f"{len(missing)} {self.name} value(s) not seen when the encoder "
                f"was fitted: {shown}{more}."
            )
        return positions.astype(np.int32)

    def inverse_transform(self, indices) -> np.ndarray:
        """Return the id of each index.

        Raises
        ------
        IndexError
            If an index is outside ``0 .. n - 1``.
        """
        classes = self._fitted_classes()
        indices = np.asarray(indices)
        if indices.size and (indices.min() < 0 or indices.max() >= len(classes)):
            raise IndexError(
                f"{self.name} index out of range 0..{len(classes) - 1}: "
                f"got values from {indices.min()} to {indices.max()}."
            )
        return classes[indices]


@dataclass
class RatingsEncoder:
    """The user and movie encoders of one ratings table."""

    users: IdEncoder
    movies: IdEncoder

    @classmethod
    def fit(cls, ratings: pd.DataFrame) -> "RatingsEncoder":
        """Fit both encoders on the ``userId`` and ``movieId`` columns."""
        return cls(
            users=IdEncoder(USER_COL).fit(ratings[USER_COL]),
            movies=IdEncoder(ITEM_COL).fit(ratings[ITEM_COL]),
        )

    @property
    def n_users(self) -> int:
        return len(self.users)

    @property
    def n_movies(self) -> int:
        return len(self.movies)

    def transform(self, ratings: pd.DataFrame) -> pd.DataFrame:
        """Return a copy of ``ratings`` with ``user`` and ``movie`` index columns."""
        encoded = ratings.copy()
        encoded[USER_INDEX_COL] = self.users.transform(ratings[USER_COL])
        encoded[ITEM_INDEX_COL] = self.movies.transform(ratings[ITEM_COL])
        return encoded
