"""Tests of movierec_utils.datasets: data home, loaders, verification, download.

Downloads go only to a local HTTP server on 127.0.0.1 that each test starts
itself. Loaders are called with ``download_if_missing=False`` so that they
can never reach the GroupLens address.
"""

from __future__ import annotations

import contextlib
import csv
import dataclasses
import io
import re
import threading
import warnings
import zipfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import numpy as np
import pandas as pd
import pooch
import pytest

from movierec_utils import datasets
from movierec_utils.datasets import (
    ChecksumError,
    DataNotFoundError,
    fetch_movielens,
    get_data_home,
    get_variant,
    load_movies,
    load_ratings,
    verify_files,
)

REAL = "ml-latest-small"
RATING_COLUMNS = ["userId", "movieId", "rating", "timestamp"]
RATING_DTYPES = {"userId": "int64", "movieId": "int64", "rating": "float64", "timestamp": "int64"}
MOVIE_COLUMNS = ["movieId", "title", "genres"]
REAL_FILES = ("ratings.csv", "movies.csv", "links.csv", "tags.csv", "README.txt")
HTTP_TIMEOUT_S = 5


@contextlib.contextmanager
def no_warnings():
    """Turn every warning raised inside the block into an error."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


def write_files(folder: Path, files: dict[str, bytes]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        (folder / name).write_bytes(content)
    return folder


def zip_bytes(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
        for name, content in files.items():
            bundle.writestr(name, content)
    return buffer.getvalue()


def assert_nothing_cached(home: Path, variant: str) -> None:
    assert not (home / variant).exists()
    leftovers = sorted(path.name for path in home.iterdir()) if home.exists() else []
    assert leftovers == []


# --- Tiny files in each variant's own format -------------------------------

# ml-100k: u.data is tab-separated without a header. u.item is pipe-separated
# latin-1: movie id, title, release date, video release date, IMDb URL, then
# 19 genre flags in the order unknown, Action, Adventure, Animation,
# Children's, Comedy, Crime, Documentary, Drama, Fantasy, Film-Noir, Horror,
# Musical, Mystery, Romance, Sci-Fi, Thriller, War, Western.
ML_100K_DATA = b"196\t242\t3\t881250949\n186\t302\t3\t891717742\n22\t377\t1\t878887116\n"
ML_100K_ITEM = (
    "242|Kolya (1996)|24-Jan-1997||http://us.imdb.com/M/title-exact?Kolya%20(1996)"
    "|0|0|0|0|0|1|0|0|0|0|0|0|0|0|0|0|0|0|0\n"
    "302|L.A. Confidential (1997)|01-Jan-1997||http://us.imdb.com/M/title-exact?L%2EA%2E"
    "|0|0|0|0|0|0|1|0|0|0|1|0|0|1|0|0|1|0|0\n"
    "377|Misérables, Les (1995)|01-Jan-1995||http://us.imdb.com/M/title-exact?Miserables"
    "|0|0|0|0|0|0|0|0|1|0|0|0|1|0|0|0|0|0|0\n"
    "267|unknown||||1|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0\n"
).encode("latin-1")

# ml-1m: "::" separators, latin-1, and titles that contain ":".
ML_1M_RATINGS = b"1::1193::5::978300760\n1::661::3::978302109\n6040::260::4::956703932\n"
ML_1M_MOVIES = (
    "260::Star Wars: Episode IV - A New Hope (1977)::Action|Adventure|Fantasy|Sci-Fi\n"
    "661::James and the Giant Peach (1996)::Animation|Children's|Musical\n"
    "1193::One Flew Over the Cuckoo's Nest (1975)::Drama\n"
    "2000::Misérables, Les (1998)::Drama\n"
).encode("latin-1")

# ml-25m and ml-32m: UTF-8 CSV files with a header and quoted titles.
CSV_RATINGS = (
    b"userId,movieId,rating,timestamp\n"
    b"1,296,5.0,1147880044\n"
    b"1,306,3.5,1147868817\n"
    b"2,1,0.5,1141415820\n"
)
CSV_MOVIES = (
    'movieId,title,genres\n'
    '1,Toy Story (1995),Adventure|Animation|Children|Comedy|Fantasy\n'
    '11,"American President, The (1995)",Comedy|Drama|Romance\n'
    '73,"Misérables, Les (1995)",Drama|War\n'
    '296,Pulp Fiction (1994),Comedy|Crime|Drama|Thriller\n'
).encode("utf-8")


# --- Data home and variants --------------------------------------------------


def test_data_home_argument_wins(monkeypatch, tmp_path):
    monkeypatch.setenv("MOVIEREC_DATA", str(tmp_path / "from-env"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert get_data_home(tmp_path / "from-arg") == tmp_path / "from-arg"


def test_data_home_env_over_home(monkeypatch, tmp_path):
    monkeypatch.setenv("MOVIEREC_DATA", str(tmp_path / "from-env"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert get_data_home() == tmp_path / "from-env"


def test_data_home_default_under_home(monkeypatch, tmp_path):
    monkeypatch.delenv("MOVIEREC_DATA", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert get_data_home() == tmp_path / "home" / "movierec_data"


def test_data_home_expands_tilde(monkeypatch, tmp_path):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert get_data_home("~/cache") == tmp_path / "home" / "cache"


def test_get_variant_unknown_name():
    with pytest.raises(ValueError, match=r"Unknown MovieLens variant 'ml-5m'") as excinfo:
        get_variant("ml-5m")
    message = str(excinfo.value)
    for name in ("ml-latest-small", "ml-100k", "ml-1m", "ml-25m", "ml-32m"):
        assert name in message


# --- Loading each variant's format ---------------------------------------------


@pytest.fixture
def tiny_counts(monkeypatch):
    """Make the variants without hashes expect the rating counts of the tiny files."""
    counts = {"ml-100k": ML_100K_DATA.count(b"\n"), "ml-1m": ML_1M_RATINGS.count(b"\n"),
              "ml-25m": CSV_RATINGS.count(b"\n") - 1, "ml-32m": CSV_RATINGS.count(b"\n") - 1}
    for variant, count in counts.items():
        monkeypatch.setitem(datasets.VARIANTS, variant,
                            dataclasses.replace(datasets.VARIANTS[variant], n_ratings=count))
    return counts


def test_load_ml_100k_ratings(tmp_path, tiny_counts):
    write_files(tmp_path / "ml-100k", {"u.data": ML_100K_DATA, "u.item": ML_100K_ITEM})
    with no_warnings():
        ratings = load_ratings("ml-100k", tmp_path, download_if_missing=False)
    assert list(ratings.columns) == RATING_COLUMNS
    assert ratings.dtypes.astype(str).to_dict() == RATING_DTYPES
    assert ratings["userId"].tolist() == [196, 186, 22]
    assert ratings["movieId"].tolist() == [242, 302, 377]
    assert ratings["rating"].tolist() == [3.0, 3.0, 1.0]
    assert ratings["timestamp"].tolist() == [881250949, 891717742, 878887116]


def test_load_ml_100k_movies(tmp_path, tiny_counts):
    write_files(tmp_path / "ml-100k", {"u.data": ML_100K_DATA, "u.item": ML_100K_ITEM})
    with no_warnings():
        movies = load_movies("ml-100k", tmp_path, download_if_missing=False)
    assert list(movies.columns) == MOVIE_COLUMNS
    assert movies["movieId"].dtype == np.int64
    assert pd.api.types.is_string_dtype(movies["title"])
    assert pd.api.types.is_string_dtype(movies["genres"])
    assert movies["movieId"].tolist() == [242, 302, 377, 267]
    assert movies["title"].tolist() == [
        "Kolya (1996)",
        "L.A. Confidential (1997)",
        "Misérables, Les (1995)",
        "unknown",
    ]
    assert movies["genres"].tolist() == [
        "Comedy",
        "Crime|Film-Noir|Mystery|Thriller",
        "Drama|Musical",
        "unknown",
    ]


def test_load_ml_1m_ratings(tmp_path, tiny_counts):
    write_files(tmp_path / "ml-1m", {"ratings.dat": ML_1M_RATINGS, "movies.dat": ML_1M_MOVIES})
    with no_warnings():
        ratings = load_ratings("ml-1m", tmp_path, download_if_missing=False)
    assert list(ratings.columns) == RATING_COLUMNS
    assert ratings.dtypes.astype(str).to_dict() == RATING_DTYPES
    assert ratings["userId"].tolist() == [1, 1, 6040]
    assert ratings["movieId"].tolist() == [1193, 661, 260]
    assert ratings["rating"].tolist() == [5.0, 3.0, 4.0]
    assert ratings["timestamp"].tolist() == [978300760, 978302109, 956703932]


def test_load_ml_1m_movies(tmp_path, tiny_counts):
    write_files(tmp_path / "ml-1m", {"ratings.dat": ML_1M_RATINGS, "movies.dat": ML_1M_MOVIES})
    with no_warnings():
        movies = load_movies("ml-1m", tmp_path, download_if_missing=False)
    assert list(movies.columns) == MOVIE_COLUMNS
    assert movies["movieId"].dtype == np.int64
    assert pd.api.types.is_string_dtype(movies["title"])
    assert pd.api.types.is_string_dtype(movies["genres"])
    assert movies["movieId"].tolist() == [260, 661, 1193, 2000]
    assert movies["title"].tolist() == [
        "Star Wars: Episode IV - A New Hope (1977)",
        "James and the Giant Peach (1996)",
        "One Flew Over the Cuckoo's Nest (1975)",
        "Misérables, Les (1998)",
    ]
    assert movies["genres"].tolist() == [
        "Action|Adventure|Fantasy|Sci-Fi",
        "Animation|Children's|Musical",
        "Drama",
        "Drama",
    ]


@pytest.mark.parametrize("variant", ["ml-25m", "ml-32m"])
def test_load_csv_ratings(tmp_path, variant, tiny_counts):
    write_files(tmp_path / variant, {"ratings.csv": CSV_RATINGS, "movies.csv": CSV_MOVIES})
    with no_warnings():
        ratings = load_ratings(variant, tmp_path, download_if_missing=False)
    assert list(ratings.columns) == RATING_COLUMNS
    assert ratings.dtypes.astype(str).to_dict() == RATING_DTYPES
    assert ratings["userId"].tolist() == [1, 1, 2]
    assert ratings["movieId"].tolist() == [296, 306, 1]
    assert ratings["rating"].tolist() == [5.0, 3.5, 0.5]
    assert ratings["timestamp"].tolist() == [1147880044, 1147868817, 1141415820]


@pytest.mark.parametrize("variant", ["ml-25m", "ml-32m"])
def test_load_csv_movies(tmp_path, variant, tiny_counts):
    write_files(tmp_path / variant, {"ratings.csv": CSV_RATINGS, "movies.csv": CSV_MOVIES})
    with no_warnings():
        movies = load_movies(variant, tmp_path, download_if_missing=False)
    assert list(movies.columns) == MOVIE_COLUMNS
    assert movies["movieId"].dtype == np.int64
    assert pd.api.types.is_string_dtype(movies["title"])
    assert pd.api.types.is_string_dtype(movies["genres"])
    assert movies["movieId"].tolist() == [1, 11, 73, 296]
    assert movies["title"].tolist() == [
        "Toy Story (1995)",
        "American President, The (1995)",
        "Misérables, Les (1995)",
        "Pulp Fiction (1994)",
    ]
    assert movies["genres"].tolist() == [
        "Adventure|Animation|Children|Comedy|Fantasy",
        "Comedy|Drama|Romance",
        "Drama|War",
        "Comedy|Crime|Drama|Thriller",
    ]


def test_tiny_latest_small_fails_checksum(tmp_path):
    write_files(tmp_path / REAL, {"ratings.csv": CSV_RATINGS, "movies.csv": CSV_MOVIES})
    with pytest.raises(ChecksumError, match=r"SHA-256 mismatch for .*ratings\.csv"):
        load_ratings(REAL, tmp_path, download_if_missing=False)


def test_verify_files_missing_file(tmp_path):
    folder = write_files(tmp_path / "ml-25m", {"ratings.csv": CSV_RATINGS})
    with pytest.raises(DataNotFoundError, match=r"Missing file .*movies\.csv of ml-25m"):
        verify_files(folder, "ml-25m")


# --- Real ml-latest-small --------------------------------------------------------


@pytest.fixture(scope="module")
def real_counts(real_data_home):
    """Count the real files with the csv module, independently of pandas."""
    folder = real_data_home / REAL
    with open(folder / "ratings.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    with open(folder / "movies.csv", newline="", encoding="utf-8") as handle:
        n_movies = sum(1 for _ in csv.DictReader(handle))
    return {
        "n_ratings": len(rows),
        "n_users": len({row["userId"] for row in rows}),
        "n_rated_movies": len({row["movieId"] for row in rows}),
        "n_movies": n_movies,
    }


@pytest.fixture(scope="module")
def real_ratings(real_data_home):
    return load_ratings(REAL, real_data_home, download_if_missing=False)


def test_real_counts_match_readme(real_counts):
    assert real_counts["n_ratings"] == 100_836
    assert real_counts["n_users"] == 610
    assert real_counts["n_rated_movies"] == 9_724
    assert real_counts["n_movies"] == 9_742


def test_real_ratings_counts(real_ratings, real_counts):
    assert len(real_ratings) == real_counts["n_ratings"]
    assert real_ratings["userId"].nunique() == real_counts["n_users"]
    assert real_ratings["movieId"].nunique() == real_counts["n_rated_movies"]


def test_real_ratings_half_star_scale(real_ratings):
    ratings = real_ratings["rating"].to_numpy()
    assert ratings.min() == 0.5
    assert ratings.max() == 5.0
    assert np.array_equal(ratings * 2, np.round(ratings * 2))


def test_real_ratings_dtypes(real_ratings):
    assert list(real_ratings.columns) == RATING_COLUMNS
    assert real_ratings.dtypes.astype(str).to_dict() == RATING_DTYPES


def test_real_movies_counts(real_data_home, real_counts):
    movies = load_movies(REAL, real_data_home, download_if_missing=False)
    assert list(movies.columns) == MOVIE_COLUMNS
    assert len(movies) == real_counts["n_movies"]
    assert movies["movieId"].is_unique


def test_real_files_verify(real_data_home):
    verify_files(real_data_home / REAL, REAL)


def test_fetch_cached_needs_no_network(monkeypatch, real_data_home):
    def fail_retrieve(*args, **kwargs):
        raise AssertionError("pooch.retrieve was called for a cached variant")

    monkeypatch.setattr(pooch, "retrieve", fail_retrieve)
    folder = fetch_movielens(REAL, real_data_home, download_if_missing=False, progressbar=False)
    assert folder == real_data_home / REAL


# --- Download from a local HTTP server ------------------------------------------


class LocalServer(ThreadingHTTPServer):
    """HTTP server on 127.0.0.1 that replies from a table of routes."""

    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), RouteHandler)
        # path -> (status, body, declared Content-Length or None for len(body))
        self.routes: dict[str, tuple[int, bytes, int | None]] = {}
        self.requests: list[str] = []
        self.base_url = f"http://127.0.0.1:{self.server_address[1]}/datasets/"

    def serve(self, name: str, body: bytes, status: int = 200, declared_length=None) -> None:
        self.routes[f"/datasets/{name}"] = (status, body, declared_length)


class RouteHandler(BaseHTTPRequestHandler):
    # Socket timeout, so that a handler thread gives up on a silent client.
    timeout = HTTP_TIMEOUT_S

    def do_GET(self):
        self.server.requests.append(self.path)
        status, body, declared_length = self.server.routes.get(self.path, (404, b"not found", None))
        self.send_response(status)
        self.send_header("Content-Type", "application/zip")
        self.send_header("Content-Length", str(declared_length or len(body)))
        self.end_headers()
        self.wfile.write(body)
        self.wfile.flush()
        # HTTP/1.0 closes the connection here, which truncates a response
        # whose declared length is larger than its body.
        self.close_connection = True

    def log_message(self, format, *args):
        pass


class ShortTimeoutDownloader(pooch.HTTPDownloader):
    """pooch downloader with a short timeout, so a stuck request fails fast."""

    def __init__(self, *args, **kwargs):
        kwargs["timeout"] = HTTP_TIMEOUT_S
        super().__init__(*args, **kwargs)


@pytest.fixture
def server(monkeypatch):
    for name in ("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    monkeypatch.setattr(pooch, "HTTPDownloader", ShortTimeoutDownloader)
    local = LocalServer()
    thread = threading.Thread(target=local.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield local
    finally:
        local.shutdown()
        local.server_close()
        thread.join(timeout=HTTP_TIMEOUT_S)


@pytest.fixture(scope="module")
def real_files(real_data_home) -> dict[str, bytes]:
    return {name: (real_data_home / REAL / name).read_bytes() for name in REAL_FILES}


@pytest.fixture(scope="module")
def real_zip(real_files) -> bytes:
    return zip_bytes({f"{REAL}/{name}": content for name, content in real_files.items()})


def fetch_from(server: LocalServer, home: Path, variant: str = REAL) -> Path:
    return fetch_movielens(variant, home, base_url=server.base_url, progressbar=False)


def tiny_variant(monkeypatch, n_ratings: int) -> str:
    """Make ml-25m, which has no file hashes, expect ``n_ratings`` ratings."""
    variant = "ml-25m"
    monkeypatch.setitem(
        datasets.VARIANTS, variant, dataclasses.replace(datasets.VARIANTS[variant], n_ratings=n_ratings)
    )
    return variant


def tiny_zip(variant: str, ratings: bytes = CSV_RATINGS) -> bytes:
    return zip_bytes({f"{variant}/ratings.csv": ratings, f"{variant}/movies.csv": CSV_MOVIES})


def test_download_real_zip(server, real_zip, tmp_path):
    server.serve(f"{REAL}.zip", real_zip)
    home = tmp_path / "data"
    folder = fetch_from(server, home)
    assert folder == home / REAL
    assert server.requests == [f"/datasets/{REAL}.zip"]
    assert sorted(path.name for path in home.iterdir()) == [REAL]
    verify_files(folder, REAL)
    assert len(load_ratings(REAL, home, download_if_missing=False)) == 100_836
    assert len(load_movies(REAL, home, download_if_missing=False)) == 9_742


def test_download_then_cache_hit(server, real_zip, tmp_path):
    server.serve(f"{REAL}.zip", real_zip)
    home = tmp_path / "data"
    fetch_from(server, home)
    fetch_from(server, home)
    assert len(server.requests) == 1


def test_download_corrupt_byte(server, real_files, tmp_path):
    ratings = bytearray(real_files["ratings.csv"])
    position = ratings.index(b"4.0")
    ratings[position] = ord("3")
    corrupt = dict(real_files, **{"ratings.csv": bytes(ratings)})
    server.serve(f"{REAL}.zip", zip_bytes({f"{REAL}/{name}": data for name, data in corrupt.items()}))
    home = tmp_path / "data"
    with pytest.raises(ChecksumError, match=r"SHA-256 mismatch for .*ratings\.csv"):
        fetch_from(server, home)
    assert_nothing_cached(home, REAL)


@pytest.mark.parametrize("status", [404, 500])
def test_download_http_error(server, tmp_path, status):
    server.serve(f"{REAL}.zip", b"error page", status=status)
    home = tmp_path / "data"
    url = f"{server.base_url}{REAL}.zip"
    with pytest.raises(DataNotFoundError, match=re.escape(f"Download of {url} failed")) as excinfo:
        fetch_from(server, home)
    message = str(excinfo.value)
    assert str(status) in message
    assert f"data home searched was {home}" in message
    assert f"To install it by hand, download {url}" in message
    assert f"unzip it into {home}" in message
    assert_nothing_cached(home, REAL)


def test_download_interrupted(server, tmp_path):
    archive = tiny_zip(REAL)
    server.serve(f"{REAL}.zip", archive[: len(archive) // 2], declared_length=len(archive))
    home = tmp_path / "data"
    url = f"{server.base_url}{REAL}.zip"
    with pytest.raises(DataNotFoundError, match=re.escape(f"Download of {url} failed")):
        fetch_from(server, home)
    assert_nothing_cached(home, REAL)


def test_download_not_a_zip(server, tmp_path):
    server.serve(f"{REAL}.zip", b"<html>This is not a zip archive.</html>")
    home = tmp_path / "data"
    with pytest.raises(DataNotFoundError, match=r"is not a valid zip archive"):
        fetch_from(server, home)
    assert_nothing_cached(home, REAL)


def test_download_zip_without_folder(server, tmp_path):
    server.serve(f"{REAL}.zip", zip_bytes({"other/ratings.csv": CSV_RATINGS}))
    home = tmp_path / "data"
    with pytest.raises(DataNotFoundError, match=rf"has no folder {REAL}/"):
        fetch_from(server, home)
    assert_nothing_cached(home, REAL)


def test_fetch_without_download(server, tmp_path):
    home = tmp_path / "data"
    home.mkdir()
    url = f"{server.base_url}{REAL}.zip"
    with pytest.raises(DataNotFoundError, match=rf"{REAL} was not found in {re.escape(str(home))}") as excinfo:
        fetch_movielens(REAL, home, download_if_missing=False, base_url=server.base_url)
    assert url in str(excinfo.value)
    assert server.requests == []
    assert_nothing_cached(home, REAL)


def test_download_count_matches(server, monkeypatch, tmp_path):
    variant = tiny_variant(monkeypatch, n_ratings=3)
    server.serve(f"{variant}.zip", tiny_zip(variant))
    home = tmp_path / "data"
    assert fetch_from(server, home, variant) == home / variant
    assert len(load_ratings(variant, home, download_if_missing=False)) == 3


def test_download_count_without_final_newline(server, monkeypatch, tmp_path):
    variant = tiny_variant(monkeypatch, n_ratings=3)
    server.serve(f"{variant}.zip", tiny_zip(variant, CSV_RATINGS.rstrip(b"\n")))
    home = tmp_path / "data"
    assert fetch_from(server, home, variant) == home / variant


def test_download_count_mismatch(server, monkeypatch, tmp_path):
    variant = tiny_variant(monkeypatch, n_ratings=4)
    server.serve(f"{variant}.zip", tiny_zip(variant))
    home = tmp_path / "data"
    with pytest.raises(ChecksumError, match=r"ratings\.csv from .* has 3 ratings, expected 4"):
        fetch_from(server, home, variant)
    assert_nothing_cached(home, variant)


def test_cached_folder_with_wrong_count_rejected(tmp_path):
    # The real ml-25m has 25,000,095 ratings; a cached folder with 3 is partial.
    write_files(tmp_path / "ml-25m", {"ratings.csv": CSV_RATINGS, "movies.csv": CSV_MOVIES})
    with pytest.raises(ChecksumError, match="has 3 ratings, expected 25000095"):
        load_ratings("ml-25m", tmp_path, download_if_missing=False)


def test_missing_rating_rejected(tmp_path, tiny_counts):
    broken = CSV_RATINGS.replace(b",5.0,", b",,", 1)
    assert broken != CSV_RATINGS
    write_files(tmp_path / "ml-25m", {"ratings.csv": broken, "movies.csv": CSV_MOVIES})
    with pytest.raises(ValueError, match="1 rating\\(s\\) that are missing or outside 0.5..5.0"):
        load_ratings("ml-25m", tmp_path, download_if_missing=False)


def test_corrupt_ratings_name_file(tmp_path, tiny_counts):
    garbage = b"garbage\tx\ty\tz\n" * tiny_counts["ml-100k"]
    write_files(tmp_path / "ml-100k", {"u.data": garbage, "u.item": ML_100K_ITEM})
    with pytest.raises(ValueError, match="Cannot parse .*u.data as ml-100k ratings"):
        load_ratings("ml-100k", tmp_path, download_if_missing=False)


def test_data_home_that_is_file(tmp_path):
    file_home = tmp_path / "not-a-folder"
    file_home.write_text("x")
    with pytest.raises(NotADirectoryError, match="is a file, not a folder"):
        fetch_movielens("ml-latest-small", file_home, download_if_missing=False)
