"""Read a trained model: movie biases, embeddings, PCA, genres, similar movies, recommendations.

Every table here is built by joining on ``movieId``. A model's weights are
indexed by the encoded movie index. :class:`movierec_utils.encoding.IdEncoder`
turns those indices back into ``movieId`` values, and titles, genres and
rating counts are then merged on ``movieId``, never matched by position.
Movies that ``movies.csv`` lacks get the title ``"(no title, movieId N)"``.

Functions that take a Keras model import nothing from Keras themselves, so
this module loads without TensorFlow.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.decomposition import PCA

from movierec_utils import ranking
from movierec_utils.columns import (
    GENRES_COL,
    ITEM_COL,
    ITEM_INDEX_COL,
    RATING_COL,
    TITLE_COL,
    USER_COL,
    USER_INDEX_COL,
)
from movierec_utils.encoding import IdEncoder

N_RATINGS_COL = "n_ratings"
MEAN_RATING_COL = "mean_rating"
NO_GENRES = "(no genres listed)"


def missing_title(movie_id) -> str:
    """Return the stand-in title of a movie that ``movies.csv`` lacks."""
    return f"(no title, movieId {movie_id})"


def shorten(title: str, width: int = 40) -> str:
    """Cut ``title`` to at most ``width`` characters, ending a cut title with "…"."""
    width = ranking.require_integer(width, "width", minimum=2)
    return title if len(title) <= width else title[: width - 1].rstrip() + "…"


def _check_title_width(title_width):
    # Checked once up front, so that the error names the caller's argument.
    if title_width is not None:
        ranking.require_integer(title_width, "title_width", minimum=2)


def _check_row_mask(rows, n_rows: int) -> np.ndarray:
    """Return ``rows`` as a boolean array after checking that it has one value per table row."""
    mask = np.asarray(rows)
    if mask.dtype != bool:
        raise TypeError(
            f"rows must be a boolean mask with one value per row, got dtype {mask.dtype}. "
            f"Build it with a comparison such as table['n_ratings'] >= 20."
        )
    if mask.shape != (n_rows,):
        raise ValueError(f"rows must have one value per row ({n_rows}), got shape {mask.shape}.")
    return mask


def movie_titles(movie_ids, movies: pd.DataFrame) -> pd.Series:
    """Look up the title of each movie id by joining on ``movieId``.

    Returns
    -------
    pandas.Series
        One title per id, in the order of ``movie_ids`` and indexed by them.
        An id absent from ``movies`` gets :func:`missing_title`.
    """
    movie_ids = pd.Index(np.asarray(movie_ids), name=ITEM_COL)
    if movies[ITEM_COL].duplicated().any():
        raise ValueError("movies has duplicate movieId values, but one row per movie is expected.")
    titles = movies.set_index(ITEM_COL)[TITLE_COL].reindex(movie_ids)
    absent = titles.isna().to_numpy()
    values = titles.to_numpy(dtype=object)
    values[absent] = [missing_title(movie_id) for movie_id in movie_ids[absent]]
    return pd.Series(values, index=movie_ids, name=TITLE_COL).astype(str)


def rating_stats(ratings: pd.DataFrame) -> pd.DataFrame:
    """Count and average the ratings of each movie.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``movieId``: ``n_ratings`` and ``mean_rating``.
    """
    grouped = ratings.groupby(ITEM_COL)[RATING_COL]
    return pd.DataFrame({N_RATINGS_COL: grouped.size(), MEAN_RATING_COL: grouped.mean()})


def damped_mean(ratings: pd.DataFrame, prior_weight: float, prior_mean: float | None = None) -> pd.Series:
    """Compute each movie's mean rating pulled towards ``prior_mean``.

    The damped (Bayesian) mean of a movie with ratings ``r_1 .. r_n`` is
    ``(sum(r) + prior_weight * prior_mean) / (n + prior_weight)``: it acts
    as if every movie had ``prior_weight`` extra ratings of exactly
    ``prior_mean``, which defaults to the mean of all ``ratings``.

    Returns
    -------
    pandas.Series
        Indexed by ``movieId``.
    """
    if ranking.require_finite(prior_weight, "prior_weight") < 0:
        raise ValueError(f"prior_weight must be non-negative, got {prior_weight!r}.")
    if prior_mean is None:
        prior_mean = float(ratings[RATING_COL].mean())
    else:
        ranking.require_finite(prior_mean, "prior_mean")
    grouped = ratings.groupby(ITEM_COL)[RATING_COL]
    damped = (grouped.sum() + prior_weight * prior_mean) / (grouped.size() + prior_weight)
    return damped.rename("damped_mean")


def layer_weights(model, layer_name: str) -> np.ndarray:
    """Return the first weight matrix of a layer of a Keras model as a NumPy array.

    For the book's embedding layers this is the table of shape
    ``(n_indices, n_factors)``, row ``i`` belonging to encoded index ``i``.
    """
    try:
        layer = model.get_layer(layer_name)
    except ValueError:
        names = [layer.name for layer in model.layers]
        raise ValueError(f"The model has no layer {layer_name!r}. Its layers are {names}.") from None
    weights = layer.get_weights()
    if not weights:
        raise ValueError(f"Layer {layer_name!r} has no weights.")
    return np.asarray(weights[0])


def movie_embeddings(model, layer_name: str = "movie_embedding") -> np.ndarray:
    """Return the movie embedding table, shape ``(n_movies, n_factors)``."""
    return layer_weights(model, layer_name)


def movie_biases(model, layer_name: str = "movie_bias") -> np.ndarray:
    """Return the learned movie biases as a 1-D array indexed by encoded movie index."""
    return layer_weights(model, layer_name).ravel()


def movie_table(movie_encoder: IdEncoder, movies: pd.DataFrame, ratings: pd.DataFrame) -> pd.DataFrame:
    """Tabulate every encoded movie with its title, genres and rating statistics.

    Parameters
    ----------
    movie_encoder : IdEncoder
        The fitted movie encoder, ``data.encoder.movies``.
    movies : pandas.DataFrame
        ``movieId``, ``title`` and ``genres``, in any row order.
    ratings : pandas.DataFrame
        The ratings to count and average, usually the training part: the
        ratings the model learned from.

    Returns
    -------
    pandas.DataFrame
        One row per encoded index, in index order (the row label is the
        index): ``movieId``, ``title``, ``genres``, ``n_ratings`` (0 when
        the movie has no rating in ``ratings``) and ``mean_rating`` (NaN
        then). Missing genres are the empty string.
    """
    movie_ids = movie_encoder.inverse_transform(np.arange(len(movie_encoder)))
    table = pd.DataFrame({ITEM_COL: movie_ids})
    table[TITLE_COL] = movie_titles(movie_ids, movies).to_numpy()
    genres = movies.set_index(ITEM_COL)[GENRES_COL].reindex(movie_ids)
    table[GENRES_COL] = genres.fillna("").to_numpy()
    stats = rating_stats(ratings).reindex(movie_ids)
    table[N_RATINGS_COL] = stats[N_RATINGS_COL].fillna(0).astype(np.int64).to_numpy()
    table[MEAN_RATING_COL] = stats[MEAN_RATING_COL].to_numpy()
    table.index.name = "index"
    return table


def bias_table(
    biases,
    movie_encoder: IdEncoder,
    movies: pd.DataFrame,
    ratings: pd.DataFrame,
) -> pd.DataFrame:
    """Tabulate each movie's learned bias with its title and rating statistics.

    ``biases[i]`` belongs to encoded movie index ``i``. The encoder turns
    that index into a ``movieId``, and the title is joined on it.

    Returns
    -------
    pandas.DataFrame
        :func:`movie_table` plus a ``bias`` column.
    """
    biases = np.asarray(biases, dtype=np.float64).ravel()
    if len(biases) != len(movie_encoder):
        raise ValueError(
            f"Expected one bias per encoded movie ({len(movie_encoder)}), got {len(biases)}."
        )
    table = movie_table(movie_encoder, movies, ratings)
    table["bias"] = biases
    return table


def most_rated(table: pd.DataFrame, n: int) -> pd.DataFrame:
    """Return the ``n`` rows of ``table`` with the most ratings, ties ordered by ``movieId``.

    The rows keep their labels and all columns, most-rated first.
    """
    n = ranking.require_integer(n, "n")
    _check_table_columns(table, [N_RATINGS_COL, ITEM_COL])
    ordered = table.sort_values([N_RATINGS_COL, ITEM_COL], ascending=[False, True], kind="stable")
    return ordered.head(n)


def _check_table_columns(table: pd.DataFrame, columns) -> None:
    missing = [column for column in columns if column not in table.columns]
    if missing:
        raise KeyError(
            f"table has no column(s) {missing}. Its columns are {list(table.columns)}. "
            f"Build it with movie_table or bias_table."
        )


def rank_movies(
    table: pd.DataFrame,
    by: str,
    n: int = 15,
    ascending: bool = False,
    min_ratings: int = 0,
    columns=None,
    title_width: int | None = 45,
) -> pd.DataFrame:
    """Return the first ``n`` movies of ``table`` ordered by the column ``by``.

    Equal values are ordered by ``movieId``. Movies with fewer than
    ``min_ratings`` in ``n_ratings`` are left out.

    Parameters
    ----------
    table : pandas.DataFrame
        A table from :func:`movie_table` or :func:`bias_table`, possibly
        with more columns.
    by : str
        Column to sort by.
    n : int, default 15
        Number of rows.
    ascending : bool, default False
        False for the highest values first.
    min_ratings : int, default 0
        Smallest ``n_ratings`` kept.
    columns : list of str, optional
        Columns to show. The default is ``title``, ``by``, ``n_ratings``
        and ``mean_rating``.
    title_width : int or None, default 45
        Titles longer than this are cut (see :func:`shorten`), and None
        keeps them whole.

    Returns
    -------
    pandas.DataFrame
        Indexed by rank, from 1.
    """
    if by not in table.columns:
        raise KeyError(f"table has no column {by!r}. Its columns are {list(table.columns)}.")
    n = ranking.require_integer(n, "n")
    min_ratings = ranking.require_integer(min_ratings, "min_ratings", minimum=0)
    _check_title_width(title_width)
    if columns is not None:
        _check_table_columns(table, list(columns))
    _check_table_columns(table, [N_RATINGS_COL, ITEM_COL])
    eligible = table[table[N_RATINGS_COL] >= min_ratings]
    ordered = eligible.sort_values([by, ITEM_COL], ascending=[ascending, True], kind="stable")
    if columns is None:
        columns = [TITLE_COL, by, N_RATINGS_COL, MEAN_RATING_COL]
    result = ordered.head(n)[list(columns)].copy()
    if title_width is not None and TITLE_COL in result.columns:
        result[TITLE_COL] = result[TITLE_COL].map(lambda title: shorten(title, title_width))
    result.index = pd.RangeIndex(1, len(result) + 1, name="rank")
    return result


def fit_pca(embeddings, n_components: int, rows=None, svd_solver: str = "full") -> PCA:
    """Fit a PCA to embedding rows and fix the sign of each component.

    The rows of ``embeddings`` are the samples (one per movie) and its
    columns the features (the latent factors), so each component is a
    direction in factor space and each movie gets one score per component.

    A component and its negative describe the same axis, and which of the
    two an SVD returns depends on the solver and the library version.
    scikit-learn 1.5 added the ``"covariance_eigh"`` solver, which its
    ``"auto"`` choice now picks for tables with under 1,000 columns and
    more than ten times as many rows, such as an embedding table. Here the
    sign rule is applied after fitting: each component is flipped, when
    needed, so that its loading of largest absolute value is positive. With
    a fixed solver, the same embeddings then give the same scores.

    Parameters
    ----------
    embeddings : array-like of shape (n_movies, n_factors)
        The embedding table.
    n_components : int
        Number of components to keep.
    rows : array-like of bool or int, optional
        The rows to fit on, for example the movies with enough ratings.
        All rows by default.
    svd_solver : str, default "full"
        Passed to :class:`sklearn.decomposition.PCA`. "full" is exact and
        draws no random numbers.

    Returns
    -------
    sklearn.decomposition.PCA
        The fitted PCA with sign-normalized ``components_``. Its
        ``transform`` gives the scores of any embedding rows.

    Raises
    ------
    TypeError
        If ``n_components`` is not an integer, or ``rows`` is neither
        boolean nor integer.
    ValueError
        If ``embeddings`` is not 2-D, a boolean ``rows`` has another length
        than ``embeddings``, an integer row is outside ``0 .. n_movies - 1``,
        or ``n_components`` is outside ``1 .. min(fitted rows, n_factors)``.
    """
    embeddings = np.asarray(embeddings, dtype=np.float64)
    if embeddings.ndim != 2:
        raise ValueError(
            f"embeddings must be 2-D (n_movies, n_factors), got shape {embeddings.shape}."
        )
    fitted_rows = embeddings if rows is None else embeddings[_check_fit_rows(rows, len(embeddings))]
    n_components = ranking.require_integer(n_components, "n_components")
    largest = min(fitted_rows.shape)
    if n_components > largest:
        raise ValueError(
            f"n_components must be between 1 and {largest}, the smaller of the "
            f"{fitted_rows.shape[0]} fitted rows and {fitted_rows.shape[1]} factors, "
            f"got {n_components}. Keep fewer components or fit on more rows."
        )
    pca = PCA(n_components=n_components, svd_solver=svd_solver).fit(fitted_rows)
    normalize_signs(pca)
    return pca


def _check_fit_rows(rows, n_rows: int) -> np.ndarray:
    rows = np.asarray(rows)
    if rows.dtype == bool:
        return _check_row_mask(rows, n_rows)
    if rows.size and not np.issubdtype(rows.dtype, np.integer):
        raise TypeError(
            f"rows must be a boolean mask or integer row positions, got dtype {rows.dtype}."
        )
    rows = rows.astype(np.int64).ravel()
    outside = rows[(rows < 0) | (rows >= n_rows)]
    if len(outside):
        raise ValueError(
            f"rows contains the position {outside[0]}, but embeddings has rows 0..{n_rows - 1}."
        )
    return rows


def normalize_signs(pca: PCA) -> PCA:
    """Flip components in place so that each one's largest absolute loading is positive.

    Of loadings with the same absolute value, the first one decides.
    """
    largest = np.argmax(np.abs(pca.components_), axis=1)
    signs = np.sign(pca.components_[np.arange(len(largest)), largest])
    signs[signs == 0] = 1.0
    pca.components_ *= signs[:, np.newaxis]
    return pca


def component_names(n_components: int) -> list[str]:
    """Return the column names ``PC1 .. PCn`` of component scores."""
    n_components = ranking.require_integer(n_components, "n_components")
    return [f"PC{i}" for i in range(1, n_components + 1)]


def component_table(
    table: pd.DataFrame,
    component: str,
    n: int = 10,
    rows=None,
    title_width: int = 38,
) -> pd.DataFrame:
    """Put the ``n`` highest and ``n`` lowest scoring movies of a component side by side.

    Parameters
    ----------
    table : pandas.DataFrame
        A :func:`movie_table` with a score column named ``component``.
    component : str
        The score column, for example ``"PC1"``.
    n : int, default 10
        Movies per side.
    rows : array-like of bool, optional
        Rows of ``table`` to consider, for example the movies the PCA was
        fitted on. All rows by default.
    title_width : int, default 38
        Titles longer than this are cut.

    Returns
    -------
    pandas.DataFrame
        Indexed by rank from 1, with the columns ``highest``, ``score``,
        ``lowest`` and ``score`` as a two-level header. Equal scores are
        ordered by ``movieId``.
    """
    n = ranking.require_integer(n, "n")
    _check_title_width(title_width)
    subset = table if rows is None else table[_check_row_mask(rows, len(table))]
    sides = {}
    for side, ascending in (("highest", False), ("lowest", True)):
        ranked = rank_movies(subset, component, n=n, ascending=ascending,
                             columns=[TITLE_COL, component], title_width=title_width)
        ranked.columns = pd.MultiIndex.from_tuples([(side, "title"), (side, "score")])
        sides[side] = ranked
    return pd.concat(sides.values(), axis=1)


def genre_indicators(movies: pd.DataFrame) -> pd.DataFrame:
    """Expand the ``genres`` column into one 0/1 column per genre.

    The marker ``"(no genres listed)"`` is not a genre and gets no column.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``movieId``, genres in alphabetical order.
    """
    indicators = movies.set_index(ITEM_COL)[GENRES_COL].str.get_dummies(sep="|")
    indicators = indicators.drop(columns=[NO_GENRES], errors="ignore")
    return indicators[sorted(indicators.columns)]


def genre_correlation(
    scores: pd.DataFrame,
    movies: pd.DataFrame,
    min_movies: int = 10,
) -> pd.DataFrame:
    """Correlate component scores with genre membership.

    Each value is the Pearson correlation, over the movies of ``scores``,
    between a component's score and the 0/1 indicator of a genre (the
    point-biserial correlation).

    Parameters
    ----------
    scores : pandas.DataFrame
        Indexed by ``movieId``, one column per component.
    movies : pandas.DataFrame
        ``movieId`` and ``genres``, one row per movie. Every movie of
        ``scores`` must have a row here.
    min_movies : int, default 10
        Genres with fewer movies among ``scores`` are left out, because
        their correlations rest on too few movies.

    Returns
    -------
    pandas.DataFrame
        One row per genre (alphabetical), one column per component.

    Raises
    ------
    TypeError
        If ``scores`` is not a DataFrame or ``min_movies`` is not an integer.
    ValueError
        If ``min_movies`` is below 1, ``movies`` repeats a ``movieId``, an
        index value of ``scores`` is not a ``movieId`` of ``movies`` (scores
        indexed by encoded index or position), or no genre is left.
    """
    if not isinstance(scores, pd.DataFrame):
        raise TypeError(
            f"scores must be a DataFrame with one column per component, got {type(scores).__name__}."
        )
    min_movies = ranking.require_integer(min_movies, "min_movies")
    if movies[ITEM_COL].duplicated().any():
        raise ValueError("movies has duplicate movieId values, but one row per movie is expected.")
    # Scores indexed by encoded index or position would be matched with
    # unrelated movies without any error, because small movieIds such as 1..49 exist too.
    unknown = ~scores.index.isin(movies[ITEM_COL])
    if unknown.any():
        raise ValueError(
            f"scores must be indexed by movieId, but {int(unknown.sum())} of its "
            f"{len(scores)} index values are not movieIds of movies, for example "
            f"{scores.index[unknown][:5].tolist()}. Set the index to movieId, for "
            f"example with table.set_index('movieId'), rather than the encoded index."
        )
    indicators = genre_indicators(movies).reindex(scores.index, fill_value=0)
    counts = indicators.sum()
    # A genre that every scored movie has does not vary, so it has no correlation.
    indicators = indicators.loc[:, (counts >= min_movies) & (counts < len(indicators))]
    if indicators.empty:
        raise ValueError(
            f"No genre has at least {min_movies} movies, and not all, among the "
            f"{len(scores)} scored movies."
        )
    centred_genres = indicators - indicators.mean()
    centred_scores = scores - scores.mean()
    covariance = centred_genres.T.to_numpy(dtype=np.float64) @ centred_scores.to_numpy(dtype=np.float64)
    norms = np.outer(np.sqrt((centred_genres**2).sum()), np.sqrt((centred_scores**2).sum()))
    return pd.DataFrame(covariance / norms, index=indicators.columns, columns=scores.columns)


def similar_movies(
    embeddings,
    movie_encoder: IdEncoder,
    movies: pd.DataFrame,
    movie_id,
    n: int = 10,
    among=None,
    title_width: int | None = 45,
) -> pd.DataFrame:
    """Find the movies whose embeddings point the most in the same direction as ``movie_id``'s.

    Similarity is the cosine of the angle between two embedding rows. The
    movie itself is never returned, and equal similarities are ordered by
    ``movieId``.

    Parameters
    ----------
    embeddings : array-like of shape (n_movies, n_factors)
        The movie embedding table, indexed by encoded movie index.
    movie_encoder : IdEncoder
        The fitted movie encoder.
    movies : pandas.DataFrame
        ``movieId`` and ``title``.
    movie_id : int
        The query movie.
    n : int, default 10
        Number of movies returned.
    among : array-like of movieId, optional
        Candidate movies, for example those with enough ratings. All
        encoded movies by default.
    title_width : int or None, default 45
        Titles longer than this are cut.

    Returns
    -------
    pandas.DataFrame
        Indexed by rank from 1: ``movieId``, ``title`` and ``similarity``.

    Raises
    ------
    KeyError
        If ``movie_id`` or a movie of ``among`` is not in the encoder.
    TypeError
        If ``n`` is not an integer.
    ValueError
        If ``n`` is below 1, ``embeddings`` is not 2-D with one row per
        encoded movie, or the query movie's embedding is all zeros.
    """
    n = ranking.require_integer(n, "n")
    _check_title_width(title_width)
    embeddings = np.asarray(embeddings, dtype=np.float64)
    if embeddings.ndim != 2 or len(embeddings) != len(movie_encoder):
        raise ValueError(
            f"Expected one embedding row per encoded movie ({len(movie_encoder)}), got an "
            f"array of shape {embeddings.shape}. Pass the whole embedding table of the model."
        )
    query = int(movie_encoder.transform([movie_id])[0])
    norms = np.linalg.norm(embeddings, axis=1)
    if norms[query] == 0:
        raise ValueError(f"movieId {movie_id} has an all-zero embedding, so its cosine is undefined.")
    # A zero row has cosine 0 with everything rather than a division by zero.
    safe_norms = np.where(norms == 0, 1.0, norms)
    similarity = embeddings @ embeddings[query] / (safe_norms * norms[query])
    excluded = np.zeros(len(similarity), dtype=bool)
    if among is not None:
        excluded[:] = True
        excluded[movie_encoder.transform(np.asarray(among))] = False
    excluded[query] = True
    all_ids = movie_encoder.inverse_transform(np.arange(len(similarity)))
    best = ranking.top_k_items(similarity, n, item_ids=all_ids, exclude=np.flatnonzero(excluded))
    return _titled(all_ids[best], movies, {"similarity": similarity[best]}, title_width)


def _titled(movie_ids, movies, values: dict, title_width):
    result = pd.DataFrame({ITEM_COL: movie_ids, TITLE_COL: movie_titles(movie_ids, movies).to_numpy()})
    if title_width is not None:
        result[TITLE_COL] = result[TITLE_COL].map(lambda title: shorten(title, title_width))
    for name, column in values.items():
        result[name] = column
    result.index = pd.RangeIndex(1, len(result) + 1, name="rank")
    return result


def recommend(
    scores,
    movie_encoder: IdEncoder,
    movies: pd.DataFrame,
    rated_ids,
    n: int = 10,
    score_name: str = "predicted rating",
    title_width: int | None = 45,
) -> pd.DataFrame:
    """List the ``n`` best-scored movies a user has not rated yet.

    Parameters
    ----------
    scores : array-like of shape (n_movies,)
        The model's score of every encoded movie for this user.
    movie_encoder : IdEncoder
        The fitted movie encoder.
    movies : pandas.DataFrame
        ``movieId`` and ``title``.
    rated_ids : array-like of movieId
        Movies the user has already rated, which are never recommended.
        Ids the encoder does not know are ignored, since they cannot be
        recommended anyway.
    n : int, default 10
        Length of the list.
    score_name : str, default "predicted rating"
        Name of the score column.
    title_width : int or None, default 45
        Titles longer than this are cut.

    Returns
    -------
    pandas.DataFrame
        Indexed by rank from 1: ``movieId``, ``title`` and the score. Equal
        scores are ordered by ``movieId``.
    """
    n = ranking.require_integer(n, "n")
    _check_title_width(title_width)
    scores = np.asarray(scores, dtype=np.float64).ravel()
    if len(scores) != len(movie_encoder):
        raise ValueError(
            f"Expected one score per encoded movie ({len(movie_encoder)}), got {len(scores)}."
        )
    all_ids = movie_encoder.inverse_transform(np.arange(len(scores)))
    rated_positions = np.flatnonzero(np.isin(all_ids, np.asarray(rated_ids)))
    best = ranking.top_k_items(scores, n, item_ids=all_ids, exclude=rated_positions)
    return _titled(all_ids[best], movies, {score_name: scores[best]}, title_width)


def top_rated_by_user(
    ratings: pd.DataFrame,
    user_id,
    movies: pd.DataFrame,
    n: int = 10,
    title_width: int | None = 45,
) -> pd.DataFrame:
    """List a user's highest ratings, ties ordered by ``movieId``.

    Returns
    -------
    pandas.DataFrame
        Indexed by rank from 1: ``movieId``, ``title`` and ``rating``.
        Empty when the user has no rating in ``ratings``.
    """
    n = ranking.require_integer(n, "n")
    _check_title_width(title_width)
    own = ratings[ratings[USER_COL] == user_id]
    own = own.sort_values([RATING_COL, ITEM_COL], ascending=[False, True], kind="stable").head(n)
    return _titled(own[ITEM_COL].to_numpy(), movies, {RATING_COL: own[RATING_COL].to_numpy()},
                   title_width)


def score_matrix(model, n_users: int, n_movies: int, batch_size: int = 8192) -> np.ndarray:
    """Predict every user's score for every movie with a Keras model.

    The scores are not clipped to the rating scale, so that predictions
    above 5 stars still rank above those of exactly 5.

    Returns
    -------
    numpy.ndarray of shape (n_users, n_movies)
        Row ``u``, column ``m``: the prediction for user index ``u`` and
        movie index ``m``.
    """
    n_users = ranking.require_integer(n_users, "n_users")
    n_movies = ranking.require_integer(n_movies, "n_movies")
    batch_size = ranking.require_integer(batch_size, "batch_size")
    from movierec_utils import training  # imports TensorFlow

    pairs = pd.DataFrame({
        USER_INDEX_COL: np.repeat(np.arange(n_users, dtype=np.int32), n_movies),
        ITEM_INDEX_COL: np.tile(np.arange(n_movies, dtype=np.int32), n_users),
    })
    predictions = training.predict_ratings(model, pairs, batch_size=batch_size,
                                           low=-np.inf, high=np.inf)
    return predictions.reshape(n_users, n_movies)
