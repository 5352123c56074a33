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

import numpy as np
import pandas as pd

from movierec_utils.columns import ITEM_INDEX_COL, RATING_COL, USER_INDEX_COL

RELEVANCE_THRESHOLD = 4.0


def _check_k(k) -> int:
    if int(k) != k or k < 1:
        raise ValueError(f"k must be a positive integer, got {k!r}.")
    return int(k)


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
    ValueError
        If ``k`` is not a positive integer, a score is NaN or infinite, or
        ``item_ids`` has another length than ``scores``.

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
    scores = np.asarray(scores, dtype=np.float64).ravel()
    if not np.isfinite(scores).all():
        raise ValueError("scores must be finite, but NaN or infinite values were found.")
    if item_ids is None:
        item_ids = np.arange(len(scores))
    else:
        item_ids = np.asarray(item_ids).ravel()
        if len(item_ids) != len(scores):
            raise ValueError(
                f"item_ids must have one id per score, got {len(item_ids)} ids "
                f"for {len(scores)} scores."
            )
    candidates = np.arange(len(scores))
    if exclude is not None:
        keep = np.ones(len(scores), dtype=bool)
        keep[np.asarray(exclude, dtype=np.int64)] = False
        candidates = candidates[keep]
    if len(candidates) > k:
        # Keep every candidate that scores at least the k-th highest score,
        # ties included, so that the tie-break below considers all of them.
        kth_score = np.partition(scores[candidates], len(candidates) - k)[len(candidates) - k]
        candidates = candidates[scores[candidates] >= kth_score]
    order = np.lexsort((item_ids[candidates], -scores[candidates]))
    return candidates[order[:k]]


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
    """
    items = known[ITEM_INDEX_COL].to_numpy()
    if len(items) and (items.min() < 0 or items.max() >= n_items):
        raise ValueError(
            f"known has {ITEM_INDEX_COL} indices outside 0..{n_items - 1}."
        )
    return np.bincount(items, minlength=n_items).astype(np.float64)


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


def _check_index_columns(name, frame):
    missing = [c for c in (USER_INDEX_COL, ITEM_INDEX_COL) if c not in frame.columns]
    if missing:
        raise KeyError(f"{name} is missing the index column(s) {missing}.")


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
    """
    k = _check_k(k)
    users = [int(user) for user in users]
    scores = _check_scores(scores, users)
    _check_index_columns("known", known)
    n_items = scores.shape[-1]
    never = np.empty(0, dtype=np.int64)
    if candidates is not None:
        allowed = np.zeros(n_items, dtype=bool)
        allowed[np.asarray(candidates, dtype=np.int64)] = True
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
    """
    k = _check_k(k)
    _check_index_columns("known", known)
    _check_index_columns("test", test)
    relevant_rows = test[test[RATING_COL] >= threshold]
    relevant_by_user = relevant_rows.groupby(USER_INDEX_COL)[ITEM_INDEX_COL].apply(set)
    n_test = test.groupby(USER_INDEX_COL).size()
    _check_scores(scores, n_test.index.to_numpy())
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
    """
    rows = []
    for name, per_user in results.items():
        metric_columns = [c for c in per_user.columns if "@" in c]
        evaluated = per_user.dropna(subset=metric_columns)
        row = {"model": name, **evaluated[metric_columns].mean().to_dict()}
        row["users"] = len(evaluated)
        rows.append(row)
    table = pd.DataFrame(rows).set_index("model")
    ndcg_columns = [c for c in table.columns if c.startswith("ndcg@")]
    if ndcg_columns:
        table = table.sort_values(ndcg_columns[0], ascending=False, kind="stable")
    return table.round(digits)
