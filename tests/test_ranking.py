"""Tests of movierec_utils.ranking on hand-checked examples."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from movierec_utils.ranking import (
    evaluate_ranking,
    ndcg_at_k,
    popularity_scores,
    precision_at_k,
    ranking_table,
    recall_at_k,
    top_k_for_users,
    top_k_items,
)

LOG2_3 = math.log2(3)  # discount of rank 2 is 1 / log2(3), about 0.6309


# --- top_k_items ---------------------------------------------------------


def test_top_k_orders_by_score():
    assert top_k_items([0.1, 0.7, 0.3, 0.9], k=3).tolist() == [3, 1, 2]


def test_top_k_ties_go_to_smaller_position():
    assert top_k_items([1.0, 2.0, 2.0, 2.0], k=2).tolist() == [1, 2]


def test_top_k_ties_go_to_smaller_item_id():
    # Positions 1, 2 and 3 tie; their ids 40, 30 and 20 put 3 then 2 first.
    ranked = top_k_items([1.0, 2.0, 2.0, 2.0], k=2, item_ids=[10, 40, 30, 20])
    assert ranked.tolist() == [3, 2]


def test_top_k_tie_at_cutoff():
    # The k-th score (0.5) is shared by positions 3, 1 and 2; ids pick 2 first.
    ranked = top_k_items([0.9, 0.5, 0.5, 0.5], k=2, item_ids=[1, 9, 3, 5])
    assert ranked.tolist() == [0, 2]


def test_top_k_excludes_positions():
    assert top_k_items([0.1, 0.7, 0.3, 0.9], k=2, exclude=[3, 1]).tolist() == [2, 0]


def test_top_k_shorter_when_few_candidates():
    assert top_k_items([0.1, 0.7, 0.3], k=5, exclude=[0]).tolist() == [1, 2]


def test_top_k_all_excluded_is_empty():
    assert top_k_items([0.1, 0.7], k=2, exclude=[0, 1]).tolist() == []


@pytest.mark.parametrize("k", [0, -1])
def test_top_k_invalid_k_raises(k):
    with pytest.raises(ValueError, match="k must be a positive integer"):
        top_k_items([0.1, 0.2], k=k)


@pytest.mark.parametrize("k", [1.5, 2.0, None, float("nan"), True, "2"])
def test_top_k_non_integer_k_raises(k):
    with pytest.raises(TypeError, match="k must be a positive integer"):
        top_k_items([0.1, 0.2], k=k)


def test_top_k_numpy_integer_k():
    assert top_k_items([0.1, 0.7, 0.3], k=np.int64(2)).tolist() == [1, 2]


def test_top_k_2d_scores_raises():
    with pytest.raises(ValueError, match=r"scores must be 1-D .* shape \(2, 2\)"):
        top_k_items([[1.0, 2.0], [3.0, 4.0]], k=2)


def test_top_k_2d_item_ids_raises():
    with pytest.raises(ValueError, match="item_ids must be 1-D"):
        top_k_items([0.1, 0.2], k=1, item_ids=[[1, 2]])


@pytest.mark.parametrize("exclude", [[-1], [2], [5]])
def test_top_k_exclude_out_of_range(exclude):
    with pytest.raises(ValueError, match=rf"exclude contains the position {exclude[0]}.*0\.\.1"):
        top_k_items([0.1, 0.2], k=1, exclude=exclude)


@pytest.mark.parametrize("exclude", [[1.7], [1.0], [True, False]])
def test_top_k_exclude_not_integer(exclude):
    with pytest.raises(TypeError, match="exclude must contain integer item positions"):
        top_k_items([0.1, 0.2], k=1, exclude=exclude)


def test_top_k_empty_exclude():
    assert top_k_items([0.1, 0.2], k=1, exclude=[]).tolist() == [1]


def test_top_k_exclude_with_no_items():
    with pytest.raises(ValueError, match="there are no items"):
        top_k_items([], k=1, exclude=[0])


def test_top_k_nan_score_raises():
    with pytest.raises(ValueError, match="scores must be finite"):
        top_k_items([0.1, float("nan")], k=1)


def test_top_k_item_ids_length_raises():
    with pytest.raises(ValueError, match="2 ids for 3 scores"):
        top_k_items([0.1, 0.2, 0.3], k=1, item_ids=[1, 2])


# --- precision, recall, NDCG ---------------------------------------------

RECOMMENDED = ["a", "b", "c", "d", "e"]
RELEVANT = {"a", "c", "x"}  # "x" is relevant but never recommended


def test_precision_by_hand():
    # hits in the first 5: a, c -> 2 / 5
    assert precision_at_k(RECOMMENDED, RELEVANT, 5) == pytest.approx(0.4)
    # hits in the first 2: a -> 1 / 2
    assert precision_at_k(RECOMMENDED, RELEVANT, 2) == pytest.approx(0.5)


def test_precision_short_list_divides_by_k():
    # one hit in a list of one, but k = 3: 1 / 3, not 1 / 1
    assert precision_at_k(["a"], {"a"}, 3) == pytest.approx(1 / 3)


def test_precision_no_relevant_is_zero():
    assert precision_at_k(["a", "b"], set(), 2) == 0.0


def test_recall_by_hand():
    # 2 of the 3 relevant items are in the first 5
    assert recall_at_k(RECOMMENDED, RELEVANT, 5) == pytest.approx(2 / 3)
    # 1 of 3 in the first 2
    assert recall_at_k(RECOMMENDED, RELEVANT, 2) == pytest.approx(1 / 3)


def test_fewer_relevant_than_k():
    # one relevant item, found at rank 2 of 4: recall 1, precision 1 / 4
    assert recall_at_k(["a", "b", "c", "d"], {"b"}, 4) == 1.0
    assert precision_at_k(["a", "b", "c", "d"], {"b"}, 4) == pytest.approx(0.25)


def test_recall_no_relevant_is_nan():
    assert math.isnan(recall_at_k(["a"], set(), 1))


def test_ndcg_ideal_uses_unretrieved_relevant():
    # hits at ranks 2 and 3: DCG = 1/log2(3) + 1/log2(4) = 0.6309 + 0.5 = 1.1309
    # ideal: 3 relevant items at ranks 1-3: 1 + 0.6309 + 0.5 = 2.1309
    expected = (1 / LOG2_3 + 0.5) / (1 + 1 / LOG2_3 + 0.5)
    assert ndcg_at_k(["a", "b", "c"], {"b", "c", "x"}, 3) == pytest.approx(expected)
    assert expected == pytest.approx(0.5307, abs=1e-4)


def test_ndcg_single_relevant_at_rank_two():
    # DCG = 1/log2(3) = 0.6309; ideal = 1 (the one item at rank 1)
    assert ndcg_at_k(["a", "b"], {"b"}, 2) == pytest.approx(1 / LOG2_3)


def test_ndcg_more_relevant_than_k():
    # Both ranks hold relevant items; the ideal list of length k = 2 does too.
    assert ndcg_at_k(["a", "b"], {"a", "b", "c"}, 2) == pytest.approx(1.0)


def test_ndcg_by_hand_k5():
    # RECOMMENDED hits at ranks 1 and 3: DCG = 1 + 1/log2(4) = 1.5
    # ideal for 3 relevant: 1 + 0.6309 + 0.5 = 2.1309; NDCG = 0.7039
    expected = 1.5 / (1 + 1 / LOG2_3 + 0.5)
    assert ndcg_at_k(RECOMMENDED, RELEVANT, 5) == pytest.approx(expected)
    assert expected == pytest.approx(0.7039, abs=1e-4)


def test_ndcg_no_relevant_is_nan():
    assert math.isnan(ndcg_at_k(["a"], set(), 1))


def test_duplicate_recommendation_raises():
    with pytest.raises(ValueError, match="same item more than once"):
        precision_at_k(["a", "a"], {"a"}, 2)


# --- popularity and evaluate_ranking -------------------------------------


def test_popularity_counts_ratings():
    known = pd.DataFrame({"user": [0, 1, 1, 2], "movie": [2, 2, 0, 2]})
    assert popularity_scores(known, n_items=4).tolist() == [1.0, 0.0, 3.0, 0.0]


def test_popularity_index_out_of_range_raises():
    known = pd.DataFrame({"user": [0], "movie": [5]})
    with pytest.raises(ValueError, match=r"outside 0\.\.3"):
        popularity_scores(known, n_items=4)


def test_popularity_float_movie_raises():
    known = pd.DataFrame({"user": [0, 1], "movie": [1.0, 2.5]})
    with pytest.raises(TypeError, match=r"known\['movie'\] must contain integer indices"):
        popularity_scores(known, n_items=4)


def test_popularity_missing_movie_raises():
    known = pd.DataFrame({"user": [0, 1], "movie": [1, None]}, dtype="Int64")
    with pytest.raises(ValueError, match="has missing values"):
        popularity_scores(known, n_items=4)


def test_popularity_missing_column_raises():
    with pytest.raises(KeyError, match=r"known is missing the column\(s\) \['movie'\]"):
        popularity_scores(pd.DataFrame({"user": [0]}), n_items=4)


@pytest.mark.parametrize("n_items", [0, -2])
def test_popularity_invalid_n_items_raises(n_items):
    known = pd.DataFrame({"user": [0], "movie": [0]})
    with pytest.raises(ValueError, match=f"n_items must be a positive integer, got {n_items}"):
        popularity_scores(known, n_items=n_items)


def test_popularity_float_n_items_raises():
    known = pd.DataFrame({"user": [0], "movie": [0]})
    with pytest.raises(TypeError, match="n_items must be a positive integer"):
        popularity_scores(known, n_items=4.0)


@pytest.fixture
def tiny_split():
    """Three users and five items.

    User 0 rated item 0 before (known) and has test ratings 5.0 for item 1,
    3.0 for item 2 and 4.0 for item 3, so items 1 and 3 are relevant.
    User 1 has a single test rating of 2.0: nothing relevant.
    User 2 has only known ratings and no test rating.
    """
    known = pd.DataFrame({"user": [0, 1, 2], "movie": [0, 0, 4], "rating": [4.0, 3.0, 5.0]})
    test = pd.DataFrame({
        "user": [0, 0, 0, 1],
        "movie": [1, 2, 3, 4],
        "rating": [5.0, 3.0, 4.0, 2.0],
    })
    scores = np.array([
        [9.0, 1.0, 5.0, 5.0, 0.0],
        [0.0, 0.0, 0.0, 0.0, 0.0],
        [0.0, 0.0, 0.0, 0.0, 0.0],
    ])
    return known, test, scores


def test_evaluate_ranking_by_hand(tiny_split):
    known, test, scores = tiny_split
    result = evaluate_ranking(scores, known, test, k=2)
    # User 0: item 0 is known, so the candidates are items 1-4 with scores
    # 1, 5, 5, 0. Items 2 and 3 tie at 5 and the smaller id comes first:
    # the list is [2, 3]. Relevant {1, 3}: one hit, at rank 2.
    # precision 1/2, recall 1/2, NDCG = (1/log2 3) / (1 + 1/log2 3) = 0.3869
    row = result.loc[0]
    assert row["test items"] == 3
    assert row["relevant"] == 2
    assert row["precision@2"] == pytest.approx(0.5)
    assert row["recall@2"] == pytest.approx(0.5)
    assert row["ndcg@2"] == pytest.approx((1 / LOG2_3) / (1 + 1 / LOG2_3))


def test_evaluate_ranking_user_without_relevant_is_nan(tiny_split):
    known, test, scores = tiny_split
    row = evaluate_ranking(scores, known, test, k=2).loc[1]
    assert row["relevant"] == 0
    assert row[["precision@2", "recall@2", "ndcg@2"]].isna().all()


def test_evaluate_ranking_skips_user_without_test(tiny_split):
    known, test, scores = tiny_split
    result = evaluate_ranking(scores, known, test, k=2)
    assert result.index.tolist() == [0, 1]


def test_evaluate_ranking_one_score_row_for_all(tiny_split):
    known, test, _ = tiny_split
    # Popularity from known: item 0 twice, item 4 once, the rest 0.
    # User 0 excludes item 0; item 4 leads, then items 1, 2, 3 tie at 0 and
    # go by id: the list is [4, 1]. One hit (item 1) at rank 2.
    popularity = popularity_scores(known, n_items=5)
    row = evaluate_ranking(popularity, known, test, k=2).loc[0]
    assert row["precision@2"] == pytest.approx(0.5)
    assert row["ndcg@2"] == pytest.approx((1 / LOG2_3) / (1 + 1 / LOG2_3))


def test_evaluate_ranking_never_recommends_known(tiny_split):
    known, test, scores = tiny_split
    # Item 0 scores highest for user 0, but user 0 rated it; with k = 1 the
    # list is [2], which is not relevant.
    row = evaluate_ranking(scores, known, test, k=1).loc[0]
    assert row["precision@1"] == 0.0


def test_evaluate_ranking_threshold(tiny_split):
    known, test, scores = tiny_split
    # With threshold 3, item 2 (rated 3.0) becomes relevant too: list [2, 3]
    # has two hits; precision 1, recall 2/3.
    row = evaluate_ranking(scores, known, test, k=2, threshold=3.0).loc[0]
    assert row["precision@2"] == pytest.approx(1.0)
    assert row["recall@2"] == pytest.approx(2 / 3)


def test_evaluate_ranking_missing_user_row_raises(tiny_split):
    known, test, scores = tiny_split
    with pytest.raises(ValueError, match="no row for user index 1"):
        evaluate_ranking(scores[:1], known, test, k=2)


def test_evaluate_ranking_missing_column_raises(tiny_split):
    known, test, scores = tiny_split
    with pytest.raises(KeyError, match="test is missing"):
        evaluate_ranking(scores, known, test.drop(columns="movie"), k=2)


def test_evaluate_ranking_missing_rating_raises(tiny_split):
    known, test, scores = tiny_split
    with pytest.raises(KeyError, match=r"test is missing the column\(s\) \['rating'\]"):
        evaluate_ranking(scores, known, test.drop(columns="rating"), k=2)


def test_evaluate_ranking_empty_test_raises(tiny_split):
    known, test, scores = tiny_split
    with pytest.raises(ValueError, match="test has no ratings"):
        evaluate_ranking(scores, known, test.iloc[:0], k=2)


def test_evaluate_ranking_test_item_out_of_range(tiny_split):
    known, test, scores = tiny_split
    test = test.assign(movie=[1, 2, 7, 4])
    with pytest.raises(ValueError, match=r"test has the movie index 7.*items 0\.\.4"):
        evaluate_ranking(scores, known, test, k=2)


def test_evaluate_ranking_short_1d_scores(tiny_split):
    known, test, _ = tiny_split
    # Three scores for five items: test items 3 and 4 have no score.
    with pytest.raises(ValueError, match=r"test has the movie index 3.*items 0\.\.2"):
        evaluate_ranking([0.1, 0.2, 0.3], known, test, k=2)


def test_evaluate_ranking_known_item_out_of_range(tiny_split):
    known, test, scores = tiny_split
    known = known.assign(movie=[0, 0, 9])
    with pytest.raises(ValueError, match=r"known has the movie index 9"):
        evaluate_ranking(scores, known, test, k=2)


@pytest.mark.parametrize("candidates", [[5], [-1]])
def test_evaluate_ranking_candidate_out_of_range(tiny_split, candidates):
    known, test, scores = tiny_split
    with pytest.raises(ValueError, match=rf"candidates contains the position {candidates[0]}"):
        evaluate_ranking(scores, known, test, k=2, candidates=candidates)


def test_evaluate_ranking_mask_candidates_raises(tiny_split):
    known, test, scores = tiny_split
    mask = np.array([True, True, False, False, True])
    with pytest.raises(TypeError, match="candidates must contain integer item positions"):
        evaluate_ranking(scores, known, test, k=2, candidates=mask)


def test_evaluate_ranking_negative_user_raises(tiny_split):
    known, test, scores = tiny_split
    test = test.assign(user=[0, 0, 0, -1])
    with pytest.raises(ValueError, match="user index -1, but user indices start at 0"):
        evaluate_ranking(scores, known, test, k=2)


def test_evaluate_ranking_float_user_raises(tiny_split):
    known, test, scores = tiny_split
    test = test.assign(user=[0.0, 0.0, 0.0, 1.0])
    with pytest.raises(TypeError, match=r"test\['user'\] must contain integer indices"):
        evaluate_ranking(scores, known, test, k=2)


@pytest.mark.parametrize("threshold", [float("nan"), float("inf")])
def test_evaluate_ranking_threshold_not_finite(tiny_split, threshold):
    known, test, scores = tiny_split
    with pytest.raises(ValueError, match="threshold must be finite"):
        evaluate_ranking(scores, known, test, k=2, threshold=threshold)


@pytest.mark.parametrize("threshold", [None, True, "4"])
def test_evaluate_ranking_threshold_wrong_type(tiny_split, threshold):
    known, test, scores = tiny_split
    with pytest.raises(TypeError, match="threshold must be a real number"):
        evaluate_ranking(scores, known, test, k=2, threshold=threshold)


@pytest.mark.parametrize("k", [None, float("nan"), True, 2.0])
def test_evaluate_ranking_non_integer_k(tiny_split, k):
    known, test, scores = tiny_split
    with pytest.raises(TypeError, match="k must be a positive integer"):
        evaluate_ranking(scores, known, test, k=k)


def test_evaluate_ranking_candidates(tiny_split):
    known, test, scores = tiny_split
    # Only items 1 and 4 may be recommended; item 0 is known anyway. The list
    # is [1, 4] (scores 1 and 0). Item 1 is a hit at rank 1. Item 3 stays
    # relevant although it is not a candidate: recall 1/2, and the ideal
    # list still has two relevant items.
    # NDCG = 1 / (1 + 1/log2 3) = 0.6131
    row = evaluate_ranking(scores, known, test, k=2, candidates=[1, 4]).loc[0]
    assert row["precision@2"] == pytest.approx(0.5)
    assert row["recall@2"] == pytest.approx(0.5)
    assert row["ndcg@2"] == pytest.approx(1 / (1 + 1 / LOG2_3))


def test_top_k_for_users_by_hand(tiny_split):
    known, _, scores = tiny_split
    lists = top_k_for_users(scores, known, users=[0, 2], k=2)
    # User 0: item 0 known, items 2 and 3 tie at 5 -> [2, 3].
    assert lists[0].tolist() == [2, 3]
    # User 2: all zeros, item 4 known -> the smallest ids 0 and 1.
    assert lists[2].tolist() == [0, 1]


def test_top_k_for_users_negative_user_raises(tiny_split):
    known, _, scores = tiny_split
    with pytest.raises(ValueError, match="user index -1, but user indices start at 0"):
        top_k_for_users(scores, known, users=[-1], k=2)


def test_top_k_for_users_float_user_raises(tiny_split):
    known, _, scores = tiny_split
    with pytest.raises(TypeError, match="users must contain integer user indices"):
        top_k_for_users(scores, known, users=[1.7], k=2)


def test_top_k_for_users_missing_row_raises(tiny_split):
    known, _, scores = tiny_split
    with pytest.raises(ValueError, match="no row for user index 3"):
        top_k_for_users(scores, known, users=[3], k=2)


def test_top_k_for_users_item_ids_length(tiny_split):
    known, _, scores = tiny_split
    with pytest.raises(ValueError, match="got 2 ids for 5 scores"):
        top_k_for_users(scores, known, users=[0], k=2, item_ids=[1, 2])


def test_top_k_for_users_no_users(tiny_split):
    known, _, scores = tiny_split
    assert top_k_for_users(scores, known, users=[], k=2) == {}


def test_top_k_for_users_new_user(tiny_split):
    known, _, _ = tiny_split
    popularity = popularity_scores(known, n_items=5)
    # User 7 has no known ratings, so the most popular item 0 comes first.
    assert top_k_for_users(popularity, known, users=[7], k=2)[7].tolist() == [0, 4]


def test_ranking_table_averages_users_with_relevant(tiny_split):
    known, test, scores = tiny_split
    good = evaluate_ranking(scores, known, test, k=2)
    popular = evaluate_ranking(popularity_scores(known, 5), known, test, k=2)
    table = ranking_table({"model": good, "popularity": popular})
    # Only user 0 has a relevant item, so each mean is user 0's value and
    # NaN rows of user 1 are left out.
    assert table.loc["model", "users"] == 1
    assert table.loc["model", "precision@2"] == pytest.approx(0.5)
    assert table.loc["popularity", "recall@2"] == pytest.approx(0.5)


def test_ranking_table_empty_raises():
    with pytest.raises(ValueError, match="results is empty"):
        ranking_table({})


def test_ranking_table_no_metric_raises():
    with pytest.raises(ValueError, match=r"results\['model'\] has no metric column"):
        ranking_table({"model": pd.DataFrame()})


def test_ranking_table_not_frame_raises():
    with pytest.raises(TypeError, match=r"results\['model'\] must be a DataFrame"):
        ranking_table({"model": [0.5]})


@pytest.mark.parametrize("digits", [-1, 2.5, None])
def test_ranking_table_invalid_digits(digits):
    per_user = pd.DataFrame({"ndcg@1": [0.2]})
    with pytest.raises((TypeError, ValueError), match="digits must be a non-negative integer"):
        ranking_table({"model": per_user}, digits=digits)


def test_ranking_table_sorted_by_ndcg():
    low = pd.DataFrame({"ndcg@1": [0.2], "precision@1": [0.0]})
    high = pd.DataFrame({"ndcg@1": [0.9], "precision@1": [1.0]})
    table = ranking_table({"low": low, "high": high})
    assert table.index.tolist() == ["high", "low"]
