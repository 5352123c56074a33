"""Download, cache, verify and load the MovieLens data sets.

Every variant is cached under a data home in the layout its zip file unpacks
to, for example ``<data home>/ml-latest-small/ratings.csv``. The data home is,
in order of precedence, the ``data_home`` argument, the environment variable
``MOVIEREC_DATA``, or ``~/movierec_data``.

Whatever the variant, :func:`load_ratings` returns the columns ``userId``,
``movieId``, ``rating`` and ``timestamp``, and :func:`load_movies` returns
``movieId``, ``title`` and ``genres`` (genres joined by ``|``).
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from movierec_utils.columns import (
    GENRES_COL,
    ITEM_COL,
    RATING_COL,
    TIMESTAMP_COL,
    TITLE_COL,
    USER_COL,
)

logger = logging.getLogger(__name__)

DATA_HOME_ENV = "MOVIEREC_DATA"
DEFAULT_VARIANT = "ml-latest-small"
# Every MovieLens variant rates on a scale within 0.5 to 5 stars.
RATING_RANGE = (0.5, 5.0)
BASE_URL = "https://files.grouplens.org/datasets/movielens/"

# The 19 genre flags of ml-100k's u.item, in column order (from its u.genre).
ML_100K_GENRES = (
    "unknown", "Action", "Adventure", "Animation", "Children's", "Comedy",
    "Crime", "Documentary", "Drama", "Fantasy", "Film-Noir", "Horror",
    "Musical", "Mystery", "Romance", "Sci-Fi", "Thriller", "War", "Western",
)


@dataclass(frozen=True)
class Variant:
    """A MovieLens release: its zip name, the files read from it and their hashes.

    ``sha256`` maps a file name to the SHA-256 of that file as extracted.
    Files without a known hash are checked for presence only.
    """

    name: str
    ratings_file: str
    movies_file: str
    n_ratings: int
    sha256: dict[str, str] = field(default_factory=dict)

    @property
    def required_files(self) -> tuple[str, str]:
        return (self.ratings_file, self.movies_file)


# Rating counts are those GroupLens states in each release's README.
# NOTE: only ml-latest-small's file hashes are recorded here, because they
# were computed from a verified copy of that release. The other variants are
# checked for their files and, after a download, for the number of ratings.
VARIANTS: dict[str, Variant] = {
    "ml-latest-small": Variant(
        name="ml-latest-small",
        ratings_file="ratings.csv",
        movies_file="movies.csv",
        n_ratings=100_836,
        sha256={
            "ratings.csv": "aa289ca83157595d0df6aea1be6a4ded676ddc4385472e8313a8ed9805352646",
            "movies.csv": "5a5f32dd9bb3797b8e728a1b98958789d2b13f294a69fdfbc5727f8a9611aa07",
        },
    ),
    "ml-100k": Variant("ml-100k", "u.data", "u.item", n_ratings=100_000),
    "ml-1m": Variant("ml-1m", "ratings.dat", "movies.dat", n_ratings=1_000_209),
    "ml-25m": Variant("ml-25m", "ratings.csv", "movies.csv", n_ratings=25_000_095),
    "ml-32m": Variant("ml-32m", "ratings.csv", "movies.csv", n_ratings=32_000_204),
}


class DataNotFoundError(OSError):
    """Raised when a data set is neither cached nor downloadable."""


class ChecksumError(OSError):
    """Raised when a file's SHA-256 differs from the published one."""


def get_variant(variant: str) -> Variant:
    """Look up a MovieLens variant by name, raising ``ValueError`` if unknown."""
    try:
        return VARIANTS[variant]
    except KeyError:
        choices = ", ".join(VARIANTS)
        raise ValueError(
            f"Unknown MovieLens variant {variant!r}; expected one of: {choices}."
        ) from None


def get_data_home(data_home: str | os.PathLike | None = None) -> Path:
    """Return the folder that contains the cached data sets.

    Parameters
    ----------
    data_home : str or path-like, optional
        Explicit folder. When omitted, the environment variable
        ``MOVIEREC_DATA`` is used, then ``~/movierec_data``.

    Returns
    -------
    pathlib.Path
        The folder, with ``~`` expanded. It is not created here.
    """
    if data_home is None:
        data_home = os.environ.get(DATA_HOME_ENV) or Path.home() / "movierec_data"
    return Path(data_home).expanduser()


def sha256_of(path: str | os.PathLike) -> str:
    """Compute the hexadecimal SHA-256 digest of a file."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def verify_files(folder: str | os.PathLike, variant: str) -> None:
    """Check that a variant's folder has its files with the published hashes.

    Raises
    ------
    DataNotFoundError
        If a required file is missing.
    ChecksumError
        If a file with a known hash does not match it.
    """
    spec = get_variant(variant)
    folder = Path(folder)
    for name in spec.required_files:
        path = folder / name
        if not path.is_file():
            raise DataNotFoundError(f"Missing file {path} of {variant}.")
        expected = spec.sha256.get(name)
        if expected is not None:
            actual = sha256_of(path)
            if actual != expected:
                raise ChecksumError(
                    f"SHA-256 mismatch for {path}: expected {expected}, got "
                    f"{actual}. The file is corrupt or from another release; "
                    "delete the folder and download it again."
                )


def fetch_movielens(
    variant: str = DEFAULT_VARIANT,
    data_home: str | os.PathLike | None = None,
    download_if_missing: bool = True,
    base_url: str = BASE_URL,
    progressbar: bool = True,
) -> Path:
    """Return the folder of a MovieLens variant, downloading it if needed.

    A cached copy whose files verify is used without touching the network.
    Otherwise the zip is downloaded into a temporary folder inside the data
    home, extracted and verified, and only then moved into place, so that a
    corrupt or partial download never ends up in the cache.

    Parameters
    ----------
    variant : str, default "ml-latest-small"
        One of ``ml-latest-small``, ``ml-100k``, ``ml-1m``, ``ml-25m``,
        ``ml-32m``.
    data_home : str or path-like, optional
        Cache folder; see :func:`get_data_home`.
    download_if_missing : bool, default True
        If False, raise instead of downloading.
    base_url : str
        Folder URL that contains ``<variant>.zip``. The default is GroupLens'
        official address; tests point it at a local server.
    progressbar : bool, default True
        Show a tqdm progress bar while downloading.

    Returns
    -------
    pathlib.Path
        ``<data home>/<variant>``.

    Raises
    ------
    ValueError
        If ``variant`` is unknown.
    DataNotFoundError
        If the data is not cached and cannot be downloaded.
    ChecksumError
        If the cached or downloaded files do not match their hashes.
    """
    spec = get_variant(variant)
    home = get_data_home(data_home)
    if home.exists() and not home.is_dir():
        raise NotADirectoryError(
            f"The data home {home} is a file, not a folder; pass data_home= or set "
            f"{DATA_HOME_ENV} to a folder."
        )
    folder = home / spec.name
    if folder.is_dir():
        verify_files(folder, variant)
        _check_rating_count(folder, spec, source=str(folder))
        return folder

    url = base_url.rstrip("/") + f"/{spec.name}.zip"
    manual_help = (
        f"To install it by hand, download {url} on a machine with internet "
        f"access and unzip it into {home}, so that {folder / spec.ratings_file} "
        f"exists, or set {DATA_HOME_ENV} to a folder that already contains "
        f"{spec.name}/."
    )
    if not download_if_missing:
        raise DataNotFoundError(
            f"{spec.name} was not found in {home} and download_if_missing is "
            f"False. {manual_help}"
        )

    try:
        home.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{spec.name}-", dir=home))
    except OSError as error:
        raise DataNotFoundError(
            f"Cannot write to the data home {home} ({error}). Choose a writable folder "
            f"with data_home= or {DATA_HOME_ENV}. {manual_help}"
        ) from error
    try:
        archive = _download(url, staging, progressbar, manual_help, home)
        _extract(archive, staging / "extracted", url)
        extracted = staging / "extracted" / spec.name
        if not extracted.is_dir():
            raise DataNotFoundError(
                f"The archive from {url} has no folder {spec.name}/. {manual_help}"
            )
        try:
            verify_files(extracted, variant)
        except ChecksumError as error:
            raise ChecksumError(
                f"The files downloaded from {url} do not match the published "
                f"SHA-256 checksums; nothing was cached. Details: {error}"
            ) from error
        _check_rating_count(extracted, spec, source=url)
        extracted.rename(folder)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    logger.info("Cached %s in %s", spec.name, folder)
    return folder


def _download(url, staging, progressbar, manual_help, home):
    import pooch
    import requests

    downloader = pooch.HTTPDownloader(progressbar=progressbar, timeout=60)
    logger.info("Downloading %s", url)
    # pooch logs the archive's hash and how to pin it; the extracted files are
    # verified here instead, so keep its INFO lines out of notebooks.
    pooch_logger = pooch.get_logger()
    previous_level = pooch_logger.level
    pooch_logger.setLevel(logging.WARNING)
    try:
        path = pooch.retrieve(
            url,
            known_hash=None,
            fname=Path(url).name,
            path=staging,
            downloader=downloader,
        )
    except (requests.exceptions.RequestException, OSError) as error:
        raise DataNotFoundError(
            f"Download of {url} failed ({error}). The data home searched was "
            f"{home}. {manual_help}"
        ) from error
    finally:
        pooch_logger.setLevel(previous_level)
    return Path(path)


def _extract(archive, target, url):
    try:
        with zipfile.ZipFile(archive) as bundle:
            bundle.extractall(target)
    except (zipfile.BadZipFile, EOFError) as error:
        raise DataNotFoundError(
            f"The file downloaded from {url} is not a valid zip archive "
            f"({error}); nothing was cached."
        ) from error


def _check_rating_count(folder, spec, source):
    """Check the number of rating lines of a variant that has no file hashes."""
    if spec.sha256.get(spec.ratings_file):
        return  # The hash already pins the content.
    n_lines = 0
    last_block = b"\n"
    with open(folder / spec.ratings_file, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            n_lines += block.count(b"\n")
            last_block = block
    if not last_block.endswith(b"\n"):
        n_lines += 1  # The last line has no final newline.
    n_header = 1 if spec.ratings_file.endswith(".csv") else 0
    if n_lines - n_header != spec.n_ratings:
        raise ChecksumError(
            f"{spec.ratings_file} from {source} has {n_lines - n_header} ratings, "
            f"expected {spec.n_ratings}. The file is partial or from another release; "
            "a download is not cached, and a cached folder should be deleted and "
            "downloaded again."
        )


def load_ratings(
    variant: str = DEFAULT_VARIANT,
    data_home: str | os.PathLike | None = None,
    download_if_missing: bool = True,
) -> pd.DataFrame:
    """Load a variant's ratings as a DataFrame.

    Returns
    -------
    pandas.DataFrame
        Columns ``userId`` (int64), ``movieId`` (int64), ``rating`` (float64)
        and ``timestamp`` (int64, seconds since the Unix epoch), in file order.
    """
    spec = get_variant(variant)
    folder = fetch_movielens(variant, data_home, download_if_missing)
    path = folder / spec.ratings_file
    names = [USER_COL, ITEM_COL, RATING_COL, TIMESTAMP_COL]
    dtypes = {USER_COL: np.int64, ITEM_COL: np.int64, RATING_COL: np.float64,
              TIMESTAMP_COL: np.int64}
    try:
        if spec.name == "ml-100k":
            frame = pd.read_csv(path, sep="\t", header=None, names=names, dtype=dtypes)
        elif spec.name == "ml-1m":
            # "::" separators: read with ":" and drop the empty columns between,
            # which keeps pandas' fast C parser (ratings never contain ":").
            frame = pd.read_csv(path, sep=":", header=None, usecols=[0, 2, 4, 6])
            frame.columns = names
            frame = frame.astype(dtypes)
        else:
            frame = pd.read_csv(path, dtype=dtypes)[names]
    except (ValueError, KeyError, pd.errors.ParserError) as error:
        raise ValueError(
            f"Cannot parse {path} as {spec.name} ratings ({error}). The file is "
            f"corrupt or from another release; delete {folder} and load it again."
        ) from error
    invalid = ~frame[RATING_COL].between(RATING_RANGE[0], RATING_RANGE[1])
    if invalid.any():
        raise ValueError(
            f"{path} has {int(invalid.sum())} rating(s) that are missing or outside "
            f"{RATING_RANGE[0]}..{RATING_RANGE[1]}, for example in row "
            f"{int(invalid.to_numpy().argmax())}; delete {folder} and load it again."
        )
    return frame


def load_movies(
    variant: str = DEFAULT_VARIANT,
    data_home: str | os.PathLike | None = None,
    download_if_missing: bool = True,
) -> pd.DataFrame:
    """Load a variant's movie titles and genres as a DataFrame.

    Returns
    -------
    pandas.DataFrame
        Columns ``movieId`` (int64), ``title`` and ``genres`` (str, genres
        joined by ``|``), one row per movie.
    """
    spec = get_variant(variant)
    folder = fetch_movielens(variant, data_home, download_if_missing)
    path = folder / spec.movies_file
    if spec.name == "ml-100k":
        flags = list(ML_100K_GENRES)
        names = [ITEM_COL, TITLE_COL, "release", "video_release", "url", *flags]
        raw = pd.read_csv(path, sep="|", header=None, names=names, encoding="latin-1")
        genres = raw[flags].fillna(0).astype(bool).apply(
            lambda row: "|".join(g for g, on in zip(flags, row) if on), axis=1
        )
        frame = pd.DataFrame({ITEM_COL: raw[ITEM_COL], TITLE_COL: raw[TITLE_COL],
                              GENRES_COL: genres})
    elif spec.name == "ml-1m":
        # Titles may contain ":", so split each line on "::" in Python.
        with open(path, encoding="latin-1") as handle:
            rows = [line.rstrip("\r\n").split("::") for line in handle if line.strip()]
        frame = pd.DataFrame(rows, columns=[ITEM_COL, TITLE_COL, GENRES_COL])
    else:
        frame = pd.read_csv(path)[[ITEM_COL, TITLE_COL, GENRES_COL]]
    return frame.astype({ITEM_COL: np.int64, TITLE_COL: str, GENRES_COL: str})
