"""Top-k ranking: ordering items by score, precision, recall, NDCG and a popularity baseline.

Conventions used by every function here:

- Items are positions ``0 .. n_items - 1`` of a score vector, for example
  the movie indices of :class:`movierec_utils.encoding.RatingsEncoder`.
- Equal scores are ordered by the smaller item id, so every ranking is
  deterministic. The item id of a position is the position itself unless
  ``item_ids`` is passed.
- Relevance is binary: a test rating of at least ``threshold`` stars (4 by
  default) makes an item relevant to its user.
- A user without any relevant test item has no defined recall or NDCG.
  :func:`evaluate_ranking` sets all three metrics of such a user to NaN,
  so that the averages of :func:`ranking_table` are taken over the same
  users: those with at least one relevant test item.
"""

from __future__ import annotations

import math
import numbers

import numpy as np
import pandas as pd

from movierec_utils.columns import ITEM_INDEX_COL, RATING_COL, USER_INDEX_COL

RELEVANCE_THRESHOLD = 4.0


def require_integer(value, name: str, minimum: int = 1) -> int:
    """Return ``value`` as an ``int`` after checking that it is an integer of at least ``minimum``.

    Python and NumPy integers are accepted. Booleans, floats (even whole
    ones such as ``2.0``), NaN and None are not, because a count or a list
    length given as one of them is almost always a mistake.

    Raises
    ------
    TypeError
        If ``value`` is not an integer.
    ValueError
        If ``value`` is below ``minimum``.
    """
    if minimum == 0:
        expected = "a non-negative integer"
    elif minimum == 1:
        expected = "a positive integer"
    else:
        expected = f"an integer of at least {minimum}"
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise TypeError(
            f"{name} must be {expected}, got {value!r} of type {type(value).__name__}. "
            f"Pass a whole number such as {max(minimum, 10)}."
        )
    if value < minimum:
        raise ValueError(f"{name} must be {expected}, got {value}.")
    return int(value)


def require_finite(value, name: str) -> float:
    """Return ``value`` as a ``float`` after checking that it is a finite real number.

    Raises
    ------
    TypeError
        If ``value`` is a boolean, None or not a real number.
    ValueError
        If ``value`` is NaN or infinite.
    """
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(
            f"{name} must be a real number, got {value!r} of type {type(value).__name__}."
        )
    if not math.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value!r}.")
    return float(value)


def _check_k(k) -> int:
    return require_integer(k, "k")


def _valid_range(n_items: int) -> str:
    return f"0..{n_items - 1}" if n_items else "none (there are no items)"


def _check_positions(positions, name: str, n_items: int) -> np.ndarray:
    """Return item positions as int64 after checking that each lies in ``0 .. n_items - 1``."""
    positions = np.asarray(positions)
    if positions.size == 0:
        return np.empty(0, dtype=np.int64)
    if positions.dtype == bool or not np.issubdtype(positions.dtype, np.integer):
        raise TypeError(
            f"{name} must contain integer item positions, got dtype {positions.dtype}. "
            f"Pass positions such as np.flatnonzero(mask) rather than a mask or floats."
        )
    positions = positions.astype(np.int64).ravel()
    outside = positions[(positions < 0) | (positions >= n_items)]
    if len(outside):
        raise ValueError(
            f"{name} contains the position {outside[0]}, but valid positions are "
            f"{_valid_range(n_items)} for {n_items} scored items. Negative positions "
            f"are not counted from the end."
        )
    return positions


def top_k_items(scores, k: int, item_ids=None, exclude=None) -> np.ndarray:
    """Return the positions of the ``k`` highest scores, best first.

    Parameters
    ----------
    scores : array-like of shape (n_items,)
        One finite score per item.
    k : int
        Length of the list. Fewer positions are returned when fewer than
        ``k`` items remain after ``exclude``.
    item_ids : array-like of shape (n_items,), optional
        Id of each position, used only to break ties: of two equal scores,
        the smaller id comes first. Defaults to the positions.
    exclude : array-like of int, optional
        Positions that must not be returned, such as the movies a user has
        already rated.

    Returns
    -------
    numpy.ndarray of int
        Positions into ``scores``.

    Raises
    ------
    TypeError
        If ``k`` is not an integer, or ``exclude`` does not contain integers.
    ValueError
        If ``k`` is below 1, ``scores`` is not 1-D, a score is NaN or
        infinite, ``item_ids`` is not 1-D or has another length than
        ``scores``, or a position of ``exclude`` is outside
        ``0 .. n_items - 1``.

    Examples
    --------
    >>> top_k_items([0.5, 0.9, 0.9, 0.1], k=2).tolist()
    [1, 2]
    >>> top_k_items([0.5, 0.9, 0.9, 0.1], k=2, item_ids=[10, 40, 30, 20]).tolist()
    [2, 1]
    >>> top_k_items([0.5, 0.9, 0.9, 0.1], k=2, exclude=[1]).tolist()
    [2, 0]
    """
    k = _check_k(k)
    scores = np.asarray(scores, dtype=np.float64)
    if scores.ndim != 1:
        raise ValueError(
            f"scores must be 1-D with one score per item, got shape {scores.shape}. "
            f"Pass one row of a score matrix, or use top_k_for_users to rank every row."
        )
    if not np.isfinite(scores).all():
        raise ValueError("scores must be finite, but NaN or infinite values were found.")
    if item_ids is None:
        item_ids = np.arange(len(scores))
    else:
        item_ids = _check_item_ids(item_ids, len(scores))
    candidates = np.arange(len(scores))
    if exclude is not None:
        keep = np.ones(len(scores), dtype=bool)
        keep[_check_positions(exclude, "exclude", len(scores))] = False
        candidates = candidates[keep]
    if len(candidates) > k:
        # Keep every candidate that scores at least the k-th highest score,
        # ties included, so that the tie-break below considers all of them.
        kth_score = np.partition(scores[candidates], len(candidates) - k)[len(candidates) - k]
        candidates = candidates[scores[candidates] >= kth_score]
    order = np.lexsort((item_ids[candidates], -scores[candidates]))
    return candidates[order[:k]]


def _check_item_ids(item_ids, n_items: int) -> np.ndarray:
    item_ids = np.asarray(item_ids)
    if item_ids.ndim != 1:
        raise ValueError(f"item_ids must be 1-D with one id per item, got shape {item_ids.shape}.")
    if len(item_ids) != n_items:
        raise ValueError(
            f"item_ids must have one id per score, got {len(item_ids)} ids "
            f"for {n_items} scores."
        )
    return item_ids


def _hits(recommended, relevant, k):
    recommended = list(recommended)[:k]
    if len(set(recommended)) != len(recommended):
        raise ValueError("recommended contains the same item more than once.")
    relevant = set(relevant)
    return np.array([item in relevant for item in recommended], dtype=bool)


def precision_at_k(recommended, relevant, k: int) -> float:
    """Compute the share of the first ``k`` recommended items that are relevant.

    The number of hits is divided by ``k`` even when fewer than ``k`` items
    were recommended, so a short list is not rewarded for being short.
    """
    k = _check_k(k)
    return float(_hits(recommended, relevant, k).sum() / k)


def recall_at_k(recommended, relevant, k: int) -> float:
    """Compute the share of the relevant items found in the first ``k`` recommended.

    Returns NaN when there is no relevant item, because the share is then
    undefined.
    """
    k = _check_k(k)
    relevant = set(relevant)
    if not relevant:
        return float("nan")
    return float(_hits(recommended, relevant, k).sum() / len(relevant))


def _discounts(n):
    return 1.0 / np.log2(np.arange(2, n + 2))


def ndcg_at_k(recommended, relevant, k: int) -> float:
    """Compute the normalized discounted cumulative gain of the first ``k`` items.

    Gains are binary: a relevant item at rank ``i`` (from 1) adds
    ``1 / log2(i + 1)``. The ideal list puts ``min(k, len(relevant))`` of
    the user's relevant items first, whether or not the recommender found
    them, so missing a relevant item lowers the score. Returns NaN when
    there is no relevant item.
    """
    k = _check_k(k)
    relevant = set(relevant)
    if not relevant:
        return float("nan")
    hits = _hits(recommended, relevant, k)
    dcg = float(_discounts(len(hits))[hits].sum())
    ideal = float(_discounts(min(k, len(relevant))).sum())
    return dcg / ideal


def popularity_scores(known: pd.DataFrame, n_items: int) -> np.ndarray:
    """Score every item by its number of ratings in ``known``.

    Parameters
    ----------
    known : pandas.DataFrame
        Ratings with the ``movie`` index column, typically the training and
        validation parts.
    n_items : int
        Number of items. Items without a rating score 0.

    Returns
    -------
    numpy.ndarray of shape (n_items,)
        The same scores for every user. With :func:`top_k_items`, ties
        between equally popular items go to the smaller item id.

    Raises
    ------
    KeyError
        If ``known`` has no ``movie`` column.
    TypeError
        If ``n_items`` or the ``movie`` column is not integer.
    ValueError
        If ``n_items`` is below 1 or a ``movie`` index is outside
        ``0 .. n_items - 1``.
    """
    n_items = require_integer(n_items, "n_items")
    _check_columns("known", known, [ITEM_INDEX_COL])
    _check_integer_column("known", known, ITEM_INDEX_COL)
    items = known[ITEM_INDEX_COL].to_numpy()
    if len(items) and (items.min() < 0 or items.max() >= n_items):
        raise ValueError(
            f"known has {ITEM_INDEX_COL} indices outside 0..{n_items - 1}, from "
            f"{items.min()} to {items.max()}. Pass n_items of at least {items.max() + 1}, "
            f"such as the number of encoded movies."
        )
    return np.bincount(items, minlength=n_items).astype(np.float64)


def _check_users(users) -> list[int]:
    """Return user indices as Python ints after checking that they are non-negative integers."""
    users = np.asarray(list(users))
    if users.size == 0:
        return []
    if users.dtype == bool or not np.issubdtype(users.dtype, np.integer):
        raise TypeError(f"users must contain integer user indices, got dtype {users.dtype}.")
    if users.ndim != 1:
        raise ValueError(f"users must be a flat list of user indices, got shape {users.shape}.")
    if users.min() < 0:
        raise ValueError(
            f"users contains the user index {users.min()}, but user indices start at 0. "
            f"Negative indices are not counted from the end."
        )
    return users.tolist()


def _check_scores(scores, users):
    scores = np.asarray(scores, dtype=np.float64)
    if scores.ndim not in (1, 2):
        raise ValueError(f"scores must be 1-D or 2-D, got shape {scores.shape}.")
    if scores.ndim == 2 and len(users):
        highest_user = int(np.max(users))
        if highest_user >= scores.shape[0]:
            raise ValueError(
                f"scores has {scores.shape[0]} rows, so no row for user index {highest_user}."
            )
    return scores


def _check_columns(name, frame, columns):
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise KeyError(
            f"{name} is missing the column(s) {missing}. It needs {list(columns)}, "
            f"the index columns coming from RatingsEncoder.transform."
        )


def _check_index_columns(name, frame, extra_columns=()):
    _check_columns(name, frame, [USER_INDEX_COL, ITEM_INDEX_COL, *extra_columns])
    _check_integer_column(name, frame, USER_INDEX_COL)
    _check_integer_column(name, frame, ITEM_INDEX_COL)


def _check_integer_column(name, frame, column):
    if not pd.api.types.is_integer_dtype(frame[column]):
        raise TypeError(
            f"{name}[{column!r}] must contain integer indices, got dtype {frame[column].dtype}. "
            f"Encode the ids with RatingsEncoder.transform, and drop rows with missing values."
        )
    if frame[column].isna().any():
        raise ValueError(
            f"{name}[{column!r}] has missing values. Drop those rows before ranking."
        )


def _check_item_range(name, frame, n_items):
    items = frame[ITEM_INDEX_COL].to_numpy()
    outside = items[(items < 0) | (items >= n_items)]
    if len(outside):
        raise ValueError(
            f"{name} has the {ITEM_INDEX_COL} index {outside[0]}, but scores covers the "
            f"items {_valid_range(n_items)}. Pass scores with one value per encoded item "
            f"(one column per item for a 2-D matrix)."
        )


def top_k_for_users(
    scores,
    known: pd.DataFrame,
    users,
    k: int = 10,
    item_ids=None,
    candidates=None,
) -> dict[int, np.ndarray]:
    """Rank the top ``k`` items of each user, leaving out the items the user rated.

    Parameters
    ----------
    scores : array-like of shape (n_users, n_items) or (n_items,)
        Score of every item for every user index. A 1-D array is shared by
        all users.
    known : pandas.DataFrame
        Ratings with the ``user`` and ``movie`` index columns. A user's
        items here are never recommended to that user.
    users : iterable of int
        User indices to rank for.
    k : int, default 10
        Length of each list.
    item_ids : array-like of shape (n_items,), optional
        Item ids for the tie-break, see :func:`top_k_items`.
    candidates : array-like of int, optional
        Item positions that may be recommended at all, for example the
        movies with enough ratings. All items by default.

    Returns
    -------
    dict of int to numpy.ndarray
        User index to item positions, best first.

    Raises
    ------
    KeyError
        If ``known`` lacks the ``user`` or ``movie`` column.
    TypeError
        If ``k``, a user index, an index column of ``known`` or
        ``candidates`` is not integer.
    ValueError
        If ``k`` is below 1, a user index is negative or has no row of a
        2-D ``scores``, ``item_ids`` does not have one id per item, or an
        item of ``known`` or ``candidates`` is outside ``0 .. n_items - 1``.
    """
    k = _check_k(k)
    users = _check_users(users)
    scores = _check_scores(scores, users)
    _check_index_columns("known", known)
    n_items = scores.shape[-1]
    _check_item_range("known", known, n_items)
    if item_ids is not None:
        item_ids = _check_item_ids(item_ids, n_items)
    never = np.empty(0, dtype=np.int64)
    if candidates is not None:
        allowed = np.zeros(n_items, dtype=bool)
        allowed[_check_positions(candidates, "candidates", n_items)] = True
        never = np.flatnonzero(~allowed)
    known_by_user = known.groupby(USER_INDEX_COL)[ITEM_INDEX_COL].apply(np.asarray)
    lists = {}
    for user in users:
        user_scores = scores if scores.ndim == 1 else scores[user]
        rated = known_by_user.get(user, np.empty(0, dtype=np.int64))
        exclude = np.concatenate([rated, never])
        lists[user] = top_k_items(user_scores, k, item_ids=item_ids, exclude=exclude)
    return lists


def evaluate_ranking(
    scores,
    known: pd.DataFrame,
    test: pd.DataFrame,
    k: int = 10,
    threshold: float = RELEVANCE_THRESHOLD,
    item_ids=None,
    candidates=None,
) -> pd.DataFrame:
    """Compute precision@k, recall@k and NDCG@k for every user of ``test``.

    For each user, the candidates are all items (or ``candidates``) except
    those the user rated in ``known``. The top ``k`` candidates by score are
    compared with the user's relevant test items: those rated at least
    ``threshold``. Items the user never rated count as not relevant, so the
    values are lower bounds of what a user who watched everything would
    report. Relevant items outside ``candidates`` still count in recall and
    in NDCG's ideal list, so restricting the candidates cannot inflate them.

    Parameters
    ----------
    scores : array-like of shape (n_users, n_items) or (n_items,)
        Score of every item for every user index, higher is better. A 1-D
        array gives every user the same scores (a popularity ranking).
        NOTE: the full matrix is held in memory, which is fine for
        ml-latest-small (610 x 9,724 floats) but not for the larger variants.
    known : pandas.DataFrame
        Ratings to exclude from the candidates, with the ``user`` and
        ``movie`` index columns, for example the training and validation
        parts together.
    test : pandas.DataFrame
        Held-out ratings with the ``user``, ``movie`` and ``rating`` columns.
    k : int, default 10
        Length of each recommendation list.
    threshold : float, default 4.0
        Lowest rating that makes a test item relevant.
    item_ids : array-like of shape (n_items,), optional
        Item ids for the tie-break, see :func:`top_k_items`.
    candidates : array-like of int, optional
        Item positions that may be recommended. All items by default.

    Returns
    -------
    pandas.DataFrame
        One row per user index that has test ratings, sorted by user:
        ``test items``, ``relevant``, ``precision@k``, ``recall@k`` and
        ``ndcg@k``. Users without a relevant test item get NaN in the three
        metrics. Users without test ratings do not appear.

    Raises
    ------
    KeyError
        If ``known`` or ``test`` lacks a column it needs.
    TypeError
        If ``k`` or an index column is not integer, or ``threshold`` is not
        a real number.
    ValueError
        If ``test`` is empty, ``k`` is below 1 or ``threshold`` is NaN or
        infinite. Also if a user index is negative or has no row of a 2-D
        ``scores``, or an item of ``known``, ``test`` or ``candidates`` is
        outside ``0 .. n_items - 1``.
    """
    k = _check_k(k)
    threshold = require_finite(threshold, "threshold")
    _check_index_columns("known", known)
    _check_index_columns("test", test, extra_columns=[RATING_COL])
    if test.empty:
        raise ValueError(
            "test has no ratings, so there is nothing to evaluate. Pass the held-out "
            "ratings of at least one user."
        )
    relevant_rows = test[test[RATING_COL] >= threshold]
    relevant_by_user = relevant_rows.groupby(USER_INDEX_COL)[ITEM_INDEX_COL].apply(set)
    n_test = test.groupby(USER_INDEX_COL).size()
    scores = _check_scores(scores, _check_users(n_test.index))
    _check_item_range("test", test, scores.shape[-1])
    lists = top_k_for_users(scores, known, relevant_by_user.index, k, item_ids, candidates)

    metric_names = [f"precision@{k}", f"recall@{k}", f"ndcg@{k}"]
    rows = []
    for user, count in n_test.items():
        relevant = relevant_by_user.get(user, set())
        row = {USER_INDEX_COL: user, "test items": int(count), "relevant": len(relevant)}
        if relevant:
            recommended = lists[user]
            values = [precision_at_k(recommended, relevant, k),
                      recall_at_k(recommended, relevant, k),
                      ndcg_at_k(recommended, relevant, k)]
        else:
            values = [np.nan] * 3
        row.update(zip(metric_names, values))
        rows.append(row)
    return pd.DataFrame(rows).set_index(USER_INDEX_COL)


def ranking_table(results: dict[str, pd.DataFrame], digits: int = 4) -> pd.DataFrame:
    """Average the per-user metrics of several models, best NDCG first.

    Parameters
    ----------
    results : dict of str to pandas.DataFrame
        Model name to the output of :func:`evaluate_ranking`.
    digits : int, default 4
        Decimals to round to.

    Returns
    -------
    pandas.DataFrame
        One row per model: the mean of each metric over the users with at
        least one relevant test item, and the number of those users.

    Raises
    ------
    TypeError
        If a result is not a DataFrame or ``digits`` is not an integer.
    ValueError
        If ``results`` is empty, a result has no metric column, or
        ``digits`` is negative.
    """
    digits = require_integer(digits, "digits", minimum=0)
    if not results:
        raise ValueError(
            "results is empty. Pass at least one model name with its evaluate_ranking output."
        )
    rows = []
    for name, per_user in results.items():
        if not isinstance(per_user, pd.DataFrame):
            raise TypeError(
                f"results[{name!r}] must be a DataFrame from evaluate_ranking, "
                f"got {type(per_user).__name__}."
            )
        metric_columns = [c for c in per_user.columns if "@" in str(c)]
        if not metric_columns:
            raise ValueError(
                f"results[{name!r}] has no metric column such as 'ndcg@10', only "
                f"{list(per_user.columns)}. Pass the output of evaluate_ranking."
            )
        evaluated = per_user.dropna(subset=metric_columns)
        row = {"model": name, **evaluated[metric_columns].mean().to_dict()}
        row["users"] = len(evaluated)
        rows.append(row)
    table = pd.DataFrame(rows).set_index("model")
    ndcg_columns = [c for c in table.columns if c.startswith("ndcg@")]
    if ndcg_columns:
        table = table.sort_values(ndcg_columns[0], ascending=False, kind="stable")
    return table.round(digits)
