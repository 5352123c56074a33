"""Tests of movierec_utils.analysis on tiny hand-checked tables."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from movierec_utils import analysis
from movierec_utils.encoding import IdEncoder

# movies.csv rows in an order unlike the encoder's, with a non-ASCII title,
# a movie without genres and no row at all for movieId 40.
MOVIES = pd.DataFrame({
    "movieId": [30, 10, 20, 50],
    "title": [
        "Tie Me Up! Tie Me Down! (¡Átame!) (1990)",
        "Toy Story (1995)",
        "Heat (1995)",
        "Unrated Film (2020)",
    ],
    "genres": ["Crime|Drama|Romance", "Animation|Comedy", "Action|Crime", "(no genres listed)"],
})

# Training ratings of the movies 10, 20, 30 and 40; movie 50 has none here.
RATINGS = pd.DataFrame({
    "userId": [1, 2, 1, 2, 3, 1],
    "movieId": [10, 10, 20, 30, 30, 40],
    "rating": [4.0, 5.0, 2.0, 3.0, 4.0, 5.0],
})


@pytest.fixture
def encoder():
    # Encoded indices: 10 -> 0, 20 -> 1, 30 -> 2, 40 -> 3, 50 -> 4.
    return IdEncoder("movieId").fit([50, 40, 30, 20, 10])


# --- titles and tables ---------------------------------------------------


def test_movie_titles_join_on_id():
    titles = analysis.movie_titles([20, 30, 10], MOVIES)
    assert titles.tolist() == [
        "Heat (1995)",
        "Tie Me Up! Tie Me Down! (¡Átame!) (1990)",
        "Toy Story (1995)",
    ]


def test_movie_titles_missing_id():
    titles = analysis.movie_titles([40, 10], MOVIES)
    assert titles.tolist() == ["(no title, movieId 40)", "Toy Story (1995)"]


def test_movie_titles_duplicate_ids_raise():
    doubled = pd.concat([MOVIES, MOVIES.head(1)])
    with pytest.raises(ValueError, match="duplicate movieId"):
        analysis.movie_titles([10], doubled)


def test_shorten_cuts_with_ellipsis():
    assert analysis.shorten("Tie Me Up! Tie Me Down!", 10) == "Tie Me Up…"
    assert analysis.shorten("Heat", 10) == "Heat"


def test_shorten_keeps_non_ascii():
    assert analysis.shorten("(¡Átame!)", 4) == "(¡Á…"


@pytest.mark.parametrize("width", [1, 2.5, None])
def test_shorten_invalid_width_raises(width):
    with pytest.raises((TypeError, ValueError), match="width must be an integer of at least 2"):
        analysis.shorten("Heat", width)


def test_rating_stats_by_hand():
    stats = analysis.rating_stats(RATINGS)
    # movie 10: 4 and 5 -> 2 ratings, mean 4.5; movie 30: 3 and 4 -> 3.5
    assert stats.loc[10, "n_ratings"] == 2
    assert stats.loc[10, "mean_rating"] == pytest.approx(4.5)
    assert stats.loc[30, "mean_rating"] == pytest.approx(3.5)


def test_damped_mean_by_hand():
    damped = analysis.damped_mean(RATINGS, prior_weight=2, prior_mean=3.0)
    # movie 40: one 5 -> (5 + 2 * 3) / (1 + 2) = 11 / 3
    assert damped.loc[40] == pytest.approx(11 / 3)
    # movie 10: 4 + 5 -> (9 + 6) / (2 + 2) = 3.75
    assert damped.loc[10] == pytest.approx(3.75)


def test_damped_mean_default_prior_is_overall_mean():
    # overall mean (4 + 5 + 2 + 3 + 4 + 5) / 6 = 23 / 6
    # movie 20: one 2 -> (2 + 1 * 23/6) / 2 = 35 / 12
    damped = analysis.damped_mean(RATINGS, prior_weight=1)
    assert damped.loc[20] == pytest.approx(35 / 12)


def test_damped_mean_zero_weight_is_plain_mean():
    damped = analysis.damped_mean(RATINGS, prior_weight=0)
    assert damped.loc[30] == pytest.approx(3.5)


def test_damped_mean_negative_weight_raises():
    with pytest.raises(ValueError, match="prior_weight must be non-negative"):
        analysis.damped_mean(RATINGS, prior_weight=-1)


def test_damped_mean_nan_weight_raises():
    with pytest.raises(ValueError, match="prior_weight must be finite"):
        analysis.damped_mean(RATINGS, prior_weight=float("nan"))


def test_damped_mean_none_weight_raises():
    with pytest.raises(TypeError, match="prior_weight must be a real number"):
        analysis.damped_mean(RATINGS, prior_weight=None)


def test_damped_mean_nan_prior_mean_raises():
    with pytest.raises(ValueError, match="prior_mean must be finite"):
        analysis.damped_mean(RATINGS, prior_weight=1, prior_mean=float("nan"))


def test_bias_table_joins_titles_on_movie_id(encoder):
    biases = [0.1, -0.2, 0.3, 0.4, 0.0]  # by encoded index: 10, 20, 30, 40, 50
    table = analysis.bias_table(biases, encoder, MOVIES, RATINGS).set_index("movieId")
    assert table.loc[30, "title"] == "Tie Me Up! Tie Me Down! (¡Átame!) (1990)"
    assert table.loc[30, "bias"] == pytest.approx(0.3)
    assert table.loc[20, "title"] == "Heat (1995)"
    assert table.loc[20, "bias"] == pytest.approx(-0.2)


def test_bias_table_movie_without_title(encoder):
    table = analysis.bias_table([0.0] * 5, encoder, MOVIES, RATINGS).set_index("movieId")
    assert table.loc[40, "title"] == "(no title, movieId 40)"
    assert table.loc[40, "genres"] == ""
    assert table.loc[40, "n_ratings"] == 1


def test_bias_table_movie_without_ratings(encoder):
    table = analysis.bias_table([0.0] * 5, encoder, MOVIES, RATINGS).set_index("movieId")
    assert table.loc[50, "n_ratings"] == 0
    assert math.isnan(table.loc[50, "mean_rating"])


def test_bias_table_wrong_length_raises(encoder):
    with pytest.raises(ValueError, match=r"one bias per encoded movie \(5\), got 3"):
        analysis.bias_table([0.0] * 3, encoder, MOVIES, RATINGS)


def test_most_rated_ties_by_movie_id(encoder):
    table = analysis.movie_table(encoder, MOVIES, RATINGS)
    # Movies 10 and 30 have 2 ratings each, 20 and 40 one each, 50 none.
    assert analysis.most_rated(table, 3)["movieId"].tolist() == [10, 30, 20]


@pytest.mark.parametrize("n", [0, -3])
def test_most_rated_invalid_n_raises(encoder, n):
    table = analysis.movie_table(encoder, MOVIES, RATINGS)
    with pytest.raises(ValueError, match=f"n must be a positive integer, got {n}"):
        analysis.most_rated(table, n)


@pytest.mark.parametrize("n", [2.0, None, float("nan"), True])
def test_most_rated_non_integer_n_raises(encoder, n):
    table = analysis.movie_table(encoder, MOVIES, RATINGS)
    with pytest.raises(TypeError, match="n must be a positive integer"):
        analysis.most_rated(table, n)


def test_most_rated_numpy_integer_n(encoder):
    table = analysis.movie_table(encoder, MOVIES, RATINGS)
    assert len(analysis.most_rated(table, np.int32(2))) == 2


def test_rank_movies_ties_by_movie_id(encoder):
    # Movies 20, 30 and 40 tie at 0.5; 10 is lowest.
    table = analysis.bias_table([0.1, 0.5, 0.5, 0.5, 0.2], encoder, MOVIES, RATINGS)
    ranked = analysis.rank_movies(table, "bias", n=3, columns=["movieId", "bias"])
    assert ranked["movieId"].tolist() == [20, 30, 40]
    assert ranked.index.tolist() == [1, 2, 3]


def test_rank_movies_ascending_and_min_ratings(encoder):
    table = analysis.bias_table([0.1, -0.5, 0.3, -0.9, -1.0], encoder, MOVIES, RATINGS)
    # Movie 50 (no ratings) and 40 (one rating) drop out with min_ratings=2.
    ranked = analysis.rank_movies(table, "bias", n=5, ascending=True, min_ratings=2,
                                  columns=["movieId"])
    assert ranked["movieId"].tolist() == [10, 30]


def test_rank_movies_cuts_titles(encoder):
    table = analysis.bias_table([0.0, 0.0, 1.0, 0.0, 0.0], encoder, MOVIES, RATINGS)
    ranked = analysis.rank_movies(table, "bias", n=1, title_width=12)
    # The first 11 characters, "Tie Me Up! ", lose their trailing space.
    assert ranked.loc[1, "title"] == "Tie Me Up!…"


def test_rank_movies_unknown_column_raises(encoder):
    table = analysis.bias_table([0.0] * 5, encoder, MOVIES, RATINGS)
    with pytest.raises(KeyError, match="no column 'score'"):
        analysis.rank_movies(table, "score")


@pytest.mark.parametrize("n", [-1, 0])
def test_rank_movies_invalid_n_raises(encoder, n):
    table = analysis.bias_table([0.0] * 5, encoder, MOVIES, RATINGS)
    with pytest.raises(ValueError, match=f"n must be a positive integer, got {n}"):
        analysis.rank_movies(table, "bias", n=n)


def test_rank_movies_invalid_min_ratings_raises(encoder):
    table = analysis.bias_table([0.0] * 5, encoder, MOVIES, RATINGS)
    with pytest.raises(TypeError, match="min_ratings must be a non-negative integer"):
        analysis.rank_movies(table, "bias", min_ratings=float("nan"))


def test_rank_movies_invalid_title_width_raises(encoder):
    table = analysis.bias_table([0.0] * 5, encoder, MOVIES, RATINGS)
    with pytest.raises(ValueError, match="title_width must be an integer of at least 2, got 0"):
        analysis.rank_movies(table, "bias", title_width=0)


def test_rank_movies_unknown_shown_column_raises(encoder):
    table = analysis.bias_table([0.0] * 5, encoder, MOVIES, RATINGS)
    with pytest.raises(KeyError, match=r"no column\(s\) \['score'\]"):
        analysis.rank_movies(table, "bias", columns=["title", "score"])


# --- PCA -----------------------------------------------------------------


def _embeddings():
    rng = np.random.default_rng(0)
    # Five factors with clearly different spreads, so components are unique.
    return rng.normal(size=(60, 5)) * np.array([5.0, 3.0, 2.0, 1.0, 0.5])


def test_fit_pca_largest_loading_positive():
    pca = analysis.fit_pca(_embeddings(), n_components=3)
    for component in pca.components_:
        assert component[np.argmax(np.abs(component))] > 0


def test_fit_pca_same_for_other_solver():
    # The exact solvers may return either sign; the rule makes them agree.
    full = analysis.fit_pca(_embeddings(), n_components=3, svd_solver="full")
    eigh = analysis.fit_pca(_embeddings(), n_components=3, svd_solver="covariance_eigh")
    np.testing.assert_allclose(full.components_, eigh.components_, atol=1e-8)


def test_fit_pca_transform_uses_flipped_components():
    embeddings = _embeddings()
    pca = analysis.fit_pca(embeddings, n_components=2)
    expected = (embeddings - pca.mean_) @ pca.components_.T
    np.testing.assert_allclose(pca.transform(embeddings), expected, atol=1e-10)


def test_fit_pca_on_subset_of_rows():
    embeddings = _embeddings()
    rows = np.arange(60) < 30
    pca = analysis.fit_pca(embeddings, n_components=2, rows=rows)
    np.testing.assert_allclose(pca.mean_, embeddings[:30].mean(axis=0))


@pytest.mark.parametrize("n_components", [0, -1, 6])
def test_fit_pca_n_components_out_of_range(n_components):
    # 60 rows and 5 factors allow 1 to 5 components.
    with pytest.raises(ValueError, match="n_components must be"):
        analysis.fit_pca(_embeddings(), n_components=n_components)


def test_fit_pca_n_components_above_fitted_rows():
    rows = np.arange(60) < 3
    with pytest.raises(ValueError, match="between 1 and 3, the smaller of the 3 fitted rows"):
        analysis.fit_pca(_embeddings(), n_components=4, rows=rows)


@pytest.mark.parametrize("n_components", [0.9, None, True])
def test_fit_pca_n_components_not_integer(n_components):
    with pytest.raises(TypeError, match="n_components must be a positive integer"):
        analysis.fit_pca(_embeddings(), n_components=n_components)


def test_fit_pca_full_rank_allowed():
    assert analysis.fit_pca(_embeddings(), n_components=5).n_components_ == 5


def test_fit_pca_1d_embeddings_raises():
    with pytest.raises(ValueError, match="embeddings must be 2-D"):
        analysis.fit_pca(np.ones(10), n_components=1)


def test_fit_pca_mask_length_raises():
    with pytest.raises(ValueError, match=r"rows must have one value per row \(60\)"):
        analysis.fit_pca(_embeddings(), n_components=2, rows=np.ones(59, dtype=bool))


def test_fit_pca_row_positions():
    embeddings = _embeddings()
    pca = analysis.fit_pca(embeddings, n_components=2, rows=np.arange(30))
    np.testing.assert_allclose(pca.mean_, embeddings[:30].mean(axis=0))


def test_fit_pca_row_position_out_of_range():
    with pytest.raises(ValueError, match=r"rows contains the position 60.*rows 0\.\.59"):
        analysis.fit_pca(_embeddings(), n_components=2, rows=[0, 1, 2, 60])


def test_normalize_signs_flips_by_hand():
    class Fitted:
        components_ = np.array([[0.6, -0.8], [0.8, 0.6]])

    flipped = analysis.normalize_signs(Fitted()).components_
    # Row 1: largest |loading| is -0.8, so the row flips; row 2 stays.
    np.testing.assert_allclose(flipped, [[-0.6, 0.8], [0.8, 0.6]])


def test_component_table_sides_and_ties(encoder):
    table = analysis.movie_table(encoder, MOVIES, RATINGS)
    table["PC1"] = [2.0, -1.0, 2.0, 0.0, -1.0]  # 10 and 30 tie high, 20 and 50 tie low
    result = analysis.component_table(table, "PC1", n=2, title_width=60)
    assert result[("highest", "title")].tolist() == [
        "Toy Story (1995)",
        "Tie Me Up! Tie Me Down! (¡Átame!) (1990)",
    ]
    assert result[("lowest", "title")].tolist() == ["Heat (1995)", "Unrated Film (2020)"]
    assert result[("lowest", "score")].tolist() == [-1.0, -1.0]


def test_component_table_rows_filter(encoder):
    table = analysis.movie_table(encoder, MOVIES, RATINGS)
    table["PC1"] = [2.0, -1.0, 3.0, 0.0, -2.0]
    rows = table["n_ratings"] >= 2  # movies 10 and 30 only
    result = analysis.component_table(table, "PC1", n=1, rows=rows)
    # The 40-character title is cut to 37 characters and "…" (default width 38).
    assert result[("highest", "title")].tolist() == ["Tie Me Up! Tie Me Down! (¡Átame!) (19…"]
    assert result[("lowest", "title")].tolist() == ["Toy Story (1995)"]


def test_component_table_invalid_n_raises(encoder):
    table = analysis.movie_table(encoder, MOVIES, RATINGS)
    table["PC1"] = [2.0, -1.0, 3.0, 0.0, -2.0]
    with pytest.raises(ValueError, match="n must be a positive integer, got -1"):
        analysis.component_table(table, "PC1", n=-1)


def test_component_table_position_rows_raise(encoder):
    table = analysis.movie_table(encoder, MOVIES, RATINGS)
    table["PC1"] = [2.0, -1.0, 3.0, 0.0, -2.0]
    with pytest.raises(TypeError, match="rows must be a boolean mask"):
        analysis.component_table(table, "PC1", n=1, rows=[0, 2])


def test_component_table_mask_length_raises(encoder):
    table = analysis.movie_table(encoder, MOVIES, RATINGS)
    table["PC1"] = [2.0, -1.0, 3.0, 0.0, -2.0]
    with pytest.raises(ValueError, match=r"one value per row \(5\), got shape \(3,\)"):
        analysis.component_table(table, "PC1", n=1, rows=[True, False, True])


def test_component_names():
    assert analysis.component_names(3) == ["PC1", "PC2", "PC3"]


@pytest.mark.parametrize("n_components", [0, -2])
def test_component_names_invalid_raises(n_components):
    with pytest.raises(ValueError, match="n_components must be a positive integer"):
        analysis.component_names(n_components)


# --- genres --------------------------------------------------------------


def test_genre_indicators_drop_no_genres_marker():
    indicators = analysis.genre_indicators(MOVIES)
    assert list(indicators.columns) == ["Action", "Animation", "Comedy", "Crime", "Drama", "Romance"]
    assert indicators.loc[50].sum() == 0
    assert indicators.loc[30, "Crime"] == 1


def test_genre_correlation_by_hand():
    movies = pd.DataFrame({
        "movieId": [1, 2, 3, 4],
        "title": ["a", "b", "c", "d"],
        "genres": ["Fantasy", "Fantasy|Drama", "Drama", "Comedy"],
    })
    scores = pd.DataFrame({"PC1": [1.0, 2.0, 3.0, 4.0]}, index=[1, 2, 3, 4])
    correlation = analysis.genre_correlation(scores, movies, min_movies=2)
    # Fantasy = [1, 1, 0, 0], centred [0.5, 0.5, -0.5, -0.5], length 1.
    # PC1 centred [-1.5, -0.5, 0.5, 1.5], length sqrt(5).
    # Sum of products: -0.75 - 0.25 - 0.25 - 0.75 = -2, so r = -2 / sqrt(5).
    assert correlation.loc["Fantasy", "PC1"] == pytest.approx(-2 / math.sqrt(5))
    # Comedy has one movie, below min_movies=2; Drama has two.
    assert list(correlation.index) == ["Drama", "Fantasy"]


def test_genre_correlation_matches_pandas():
    movies = MOVIES
    scores = pd.DataFrame({"PC1": [0.3, -1.2, 0.8, 2.0], "PC2": [1.0, 0.0, -1.0, 0.5]},
                          index=[10, 20, 30, 50])
    correlation = analysis.genre_correlation(scores, movies, min_movies=1)
    crime = pd.Series([0, 1, 1, 0], index=[10, 20, 30, 50])
    assert correlation.loc["Crime", "PC2"] == pytest.approx(crime.corr(scores["PC2"]))


def test_genre_correlation_no_genre_left_raises():
    scores = pd.DataFrame({"PC1": [1.0, 2.0]}, index=[10, 20])
    with pytest.raises(ValueError, match="No genre has at least 5 movies"):
        analysis.genre_correlation(scores, MOVIES, min_movies=5)


def test_genre_correlation_position_index_raises():
    # Indexed by position 0..3 rather than movieId: none of them is a movieId.
    scores = pd.DataFrame({"PC1": [0.3, -1.2, 0.8, 2.0]})
    with pytest.raises(ValueError, match=r"scores must be indexed by movieId, but 4 of its 4"):
        analysis.genre_correlation(scores, MOVIES, min_movies=1)


def test_genre_correlation_partly_unknown_index_raises():
    # Position 10 happens to be a movieId; 0 and 1 are not.
    scores = pd.DataFrame({"PC1": [0.3, -1.2, 0.8]}, index=[0, 1, 10])
    with pytest.raises(ValueError, match=r"2 of its 3 index values .* \[0, 1\]"):
        analysis.genre_correlation(scores, MOVIES, min_movies=1)


@pytest.mark.parametrize("min_movies", [0, -1])
def test_genre_correlation_invalid_min_movies(min_movies):
    scores = pd.DataFrame({"PC1": [1.0, 2.0]}, index=[10, 20])
    with pytest.raises(ValueError, match="min_movies must be a positive integer"):
        analysis.genre_correlation(scores, MOVIES, min_movies=min_movies)


def test_genre_correlation_series_raises():
    scores = pd.Series([1.0, 2.0], index=[10, 20])
    with pytest.raises(TypeError, match="scores must be a DataFrame"):
        analysis.genre_correlation(scores, MOVIES)


# --- similar movies and recommendations ----------------------------------


@pytest.fixture
def similarity_case():
    # Encoded order 10, 20, 30, 40, 50. Cosines with movie 10 = [1, 0]:
    # 20 -> 1, 30 -> 1/sqrt(2) = 0.7071, 40 -> 0, 50 -> 1 (ties with 20).
    embeddings = np.array([[1.0, 0.0], [2.0, 0.0], [1.0, 1.0], [0.0, 1.0], [3.0, 0.0]])
    return embeddings, IdEncoder("movieId").fit([10, 20, 30, 40, 50])


def test_similar_movies_by_hand(similarity_case):
    embeddings, encoder = similarity_case
    result = analysis.similar_movies(embeddings, encoder, MOVIES, 10, n=4)
    assert result["movieId"].tolist() == [20, 50, 30, 40]
    np.testing.assert_allclose(result["similarity"], [1.0, 1.0, 1 / math.sqrt(2), 0.0])
    assert result.loc[4, "title"] == "(no title, movieId 40)"


def test_similar_movies_among(similarity_case):
    embeddings, encoder = similarity_case
    result = analysis.similar_movies(embeddings, encoder, MOVIES, 10, n=5, among=[30, 40, 10])
    # The query itself is never returned, even when listed in among.
    assert result["movieId"].tolist() == [30, 40]


def test_similar_movies_zero_query_raises(similarity_case):
    embeddings, encoder = similarity_case
    embeddings = embeddings.copy()
    embeddings[0] = 0.0
    with pytest.raises(ValueError, match="all-zero embedding"):
        analysis.similar_movies(embeddings, encoder, MOVIES, 10)


def test_similar_movies_unknown_id_raises(similarity_case):
    embeddings, encoder = similarity_case
    with pytest.raises(KeyError, match="not seen"):
        analysis.similar_movies(embeddings, encoder, MOVIES, 99)


def test_similar_movies_short_embeddings_raises(similarity_case):
    embeddings, encoder = similarity_case
    with pytest.raises(ValueError, match=r"one embedding row per encoded movie \(5\).*\(3, 2\)"):
        analysis.similar_movies(embeddings[:3], encoder, MOVIES, 10)


def test_similar_movies_1d_embeddings_raises(similarity_case):
    _, encoder = similarity_case
    with pytest.raises(ValueError, match="one embedding row per encoded movie"):
        analysis.similar_movies(np.ones(5), encoder, MOVIES, 10)


@pytest.mark.parametrize("n", [0, -1])
def test_similar_movies_invalid_n_raises(similarity_case, n):
    embeddings, encoder = similarity_case
    with pytest.raises(ValueError, match=f"n must be a positive integer, got {n}"):
        analysis.similar_movies(embeddings, encoder, MOVIES, 10, n=n)


def test_recommend_excludes_rated_and_breaks_ties(encoder):
    scores = [4.8, 4.1, 4.5, 4.5, 3.0]  # movies 10, 20, 30, 40, 50
    result = analysis.recommend(scores, encoder, MOVIES, rated_ids=[10, 999], n=3)
    # 10 is rated (999 is unknown and ignored); 30 and 40 tie, 30 first.
    assert result["movieId"].tolist() == [30, 40, 20]
    assert result["predicted rating"].tolist() == [4.5, 4.5, 4.1]
    assert result.loc[2, "title"] == "(no title, movieId 40)"


def test_recommend_wrong_length_raises(encoder):
    with pytest.raises(ValueError, match=r"one score per encoded movie \(5\), got 2"):
        analysis.recommend([1.0, 2.0], encoder, MOVIES, rated_ids=[])


def test_top_rated_by_user_ties_by_movie_id():
    ratings = pd.DataFrame({
        "userId": [7, 7, 7, 8],
        "movieId": [30, 10, 20, 40],
        "rating": [5.0, 5.0, 3.5, 5.0],
    })
    result = analysis.top_rated_by_user(ratings, 7, MOVIES, n=2)
    assert result["movieId"].tolist() == [10, 30]
    assert result["title"].tolist() == ["Toy Story (1995)",
                                        "Tie Me Up! Tie Me Down! (¡Átame!) (1990)"]


def test_recommend_invalid_n_raises(encoder):
    with pytest.raises(TypeError, match="n must be a positive integer, got None"):
        analysis.recommend([1.0] * 5, encoder, MOVIES, rated_ids=[], n=None)


def test_top_rated_by_user_unknown_user_is_empty():
    assert analysis.top_rated_by_user(RATINGS, 99, MOVIES).empty


@pytest.mark.parametrize("n", [-1, 0])
def test_top_rated_by_user_invalid_n_raises(n):
    with pytest.raises(ValueError, match=f"n must be a positive integer, got {n}"):
        analysis.top_rated_by_user(RATINGS, 1, MOVIES, n=n)


def test_top_rated_by_user_float_n_raises():
    with pytest.raises(TypeError, match="n must be a positive integer"):
        analysis.top_rated_by_user(RATINGS, 1, MOVIES, n=2.5)


# --- Keras models --------------------------------------------------------


@pytest.fixture(scope="module")
def tiny_dot_model():
    from movierec_utils import models
    from movierec_utils.runtime import set_seed

    set_seed(0)
    return models.build_dot_model(3, 4, n_factors=2, global_mean=3.5)


def test_movie_weights_shapes(tiny_dot_model):
    assert analysis.movie_embeddings(tiny_dot_model).shape == (4, 2)
    assert analysis.movie_biases(tiny_dot_model).shape == (4,)


def test_layer_weights_unknown_layer_raises(tiny_dot_model):
    with pytest.raises(ValueError, match="no layer 'item_embedding'"):
        analysis.layer_weights(tiny_dot_model, "item_embedding")


@pytest.mark.parametrize("argument", ["n_users", "n_movies", "batch_size"])
def test_score_matrix_invalid_size_raises(tiny_dot_model, argument):
    sizes = {"n_users": 3, "n_movies": 4, "batch_size": 8, argument: 0}
    with pytest.raises(ValueError, match=f"{argument} must be a positive integer, got 0"):
        analysis.score_matrix(tiny_dot_model, **sizes)


def test_score_matrix_matches_formula(tiny_dot_model):
    model = tiny_dot_model
    model.get_layer("movie_bias").set_weights([np.array([[0.5], [-0.5], [2.0], [0.0]])])
    users = analysis.layer_weights(model, "user_embedding")
    movies = analysis.movie_embeddings(model)
    user_bias = analysis.layer_weights(model, "user_bias")
    # mean + b_u + b_m + p_u . q_m, unclipped: movie index 2 may exceed 5
    expected = 3.5 + user_bias + analysis.movie_biases(model)[np.newaxis, :] + users @ movies.T
    scores = analysis.score_matrix(model, n_users=3, n_movies=4)
    np.testing.assert_allclose(scores, expected, atol=1e-5)
    assert scores[:, 2].min() > 5.0


# --- figures -------------------------------------------------------------


def _overlapping_label_pairs(ax):
    ax.figure.canvas.draw()
    renderer = ax.figure.canvas.get_renderer()
    boxes = [text.get_window_extent(renderer) for text in ax.texts]
    return [
        (ax.texts[i].get_text(), ax.texts[j].get_text())
        for i in range(len(boxes))
        for j in range(i + 1, len(boxes))
        if boxes[i].overlaps(boxes[j])
    ]


@pytest.fixture
def pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    yield plt
    plt.close("all")


def test_labelled_scatter_labels_apart(pyplot):
    from movierec_utils import analysis_plots

    # Twelve points in a tight 4 x 3 grid, each with a long label.
    x = np.repeat([0.0, 0.1, 0.2, 0.3], 3)
    y = np.tile([0.0, 0.05, 0.1], 4)
    labels = [f"A Long Movie Title Number {i} (1999)" for i in range(12)]
    ax = analysis_plots.plot_labelled_scatter(x, y, labels, title="t", xlabel="x", ylabel="y")
    assert len(ax.texts) == 12
    assert _overlapping_label_pairs(ax) == []


def test_labelled_scatter_cuts_labels(pyplot):
    from movierec_utils import analysis_plots

    ax = analysis_plots.plot_labelled_scatter([0.0], [0.0], ["¡Átame! and a very long title"],
                                              title_width=10)
    assert ax.texts[0].get_text() == "¡Átame! a…"


def test_labelled_scatter_length_mismatch_raises(pyplot):
    from movierec_utils import analysis_plots

    with pytest.raises(ValueError, match="same length, got 2, 2 and 1"):
        analysis_plots.plot_labelled_scatter([0.0, 1.0], [0.0, 1.0], ["only one"])


def test_explained_variance_plot(pyplot):
    from movierec_utils import analysis_plots

    pca = analysis.fit_pca(_embeddings(), n_components=3)
    ax = analysis_plots.plot_explained_variance(pca)
    assert len(ax.patches) == 3
    assert [tick.get_text() for tick in ax.get_xticklabels()] == ["PC1", "PC2", "PC3"]
    assert ax.get_ylabel() == "share of the variance"
    assert ax.get_title()


def test_genre_heatmap_annotates_cells(pyplot):
    from movierec_utils import analysis_plots

    correlation = pd.DataFrame([[0.1, -0.2], [0.3, 0.0]], index=["Drama", "Fantasy"],
                               columns=["PC1", "PC2"])
    ax = analysis_plots.plot_genre_heatmap(correlation, limit=0.5)
    assert [text.get_text() for text in ax.texts] == ["0.10", "-0.20", "0.30", "0.00"]
    assert ax.images[0].get_clim() == (-0.5, 0.5)


def test_genre_heatmap_empty_raises(pyplot):
    from movierec_utils import analysis_plots

    with pytest.raises(ValueError, match="correlation is empty"):
        analysis_plots.plot_genre_heatmap(pd.DataFrame())


@pytest.mark.parametrize("limit", [0.0, -0.5])
def test_genre_heatmap_limit_not_positive(pyplot, limit):
    from movierec_utils import analysis_plots

    correlation = pd.DataFrame([[0.1]], index=["Drama"], columns=["PC1"])
    with pytest.raises(ValueError, match="limit must be positive"):
        analysis_plots.plot_genre_heatmap(correlation, limit=limit)


def test_genre_heatmap_nan_limit_raises(pyplot):
    from movierec_utils import analysis_plots

    correlation = pd.DataFrame([[0.1]], index=["Drama"], columns=["PC1"])
    with pytest.raises(ValueError, match="limit must be finite"):
        analysis_plots.plot_genre_heatmap(correlation, limit=float("nan"))


def test_labelled_scatter_invalid_title_width(pyplot):
    from movierec_utils import analysis_plots

    with pytest.raises(ValueError, match="title_width must be an integer of at least 2"):
        analysis_plots.plot_labelled_scatter([0.0], [0.0], ["Heat"], title_width=1)


def test_bias_vs_mean_unknown_label_raises(pyplot, encoder):
    from movierec_utils import analysis_plots

    table = analysis.bias_table([0.1, -0.2, 0.3, 0.4, 0.0], encoder, MOVIES, RATINGS)
    # movieId 30 is not a row label: the labels are the encoded indices 0..4.
    with pytest.raises(KeyError, match=r"labelled contains row labels that table lacks.*\[30\]"):
        analysis_plots.plot_bias_vs_mean(table, labelled=[2, 30])


def test_bias_vs_mean_missing_column_raises(pyplot, encoder):
    from movierec_utils import analysis_plots

    table = analysis.movie_table(encoder, MOVIES, RATINGS)
    with pytest.raises(KeyError, match=r"no column\(s\) \['bias'\]"):
        analysis_plots.plot_bias_vs_mean(table)


def test_bias_vs_mean_draws_rated_movies_only(pyplot, encoder):
    from movierec_utils import analysis_plots

    table = analysis.bias_table([0.1, -0.2, 0.3, 0.4, 0.0], encoder, MOVIES, RATINGS)
    ax = analysis_plots.plot_bias_vs_mean(table, labelled=[2])
    # Four rated movies (50 has no rating), then the one circled movie.
    assert len(ax.collections[0].get_offsets()) == 4
    assert len(ax.collections[1].get_offsets()) == 1
    # The default width of 34 keeps 33 characters of the 40-character title.
    assert [text.get_text() for text in ax.texts] == ["Tie Me Up! Tie Me Down! (¡Átame!)…"]
