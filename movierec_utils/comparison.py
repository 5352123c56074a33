"""Read the stored results of ``benchmarks/accuracy.py`` for the comparison chapter.

The benchmark writes one JSON file per split seed into the package folder
``benchmark_results``, named ``accuracy-<variant>-seed<seed>.json``, so the
results travel with the package (in Colab too) and the chapter does not
retrain the Surprise models.
"""

from __future__ import annotations

import json
from pathlib import Path
from importlib import resources

import pandas as pd

def load_results(variant: str = "ml-latest-small", folder=None) -> pd.DataFrame:
    """Load every stored benchmark run of ``variant`` into one long table.

    Parameters
    ----------
    variant : str
        MovieLens variant the benchmark ran on.
    folder : path-like, optional
        Folder of the JSON files; by default the package's
        ``benchmark_results``.

    Returns
    -------
    pandas.DataFrame
        Columns ``seed``, ``name``, ``source``, ``rmse``, ``mae`` and
        ``fit_s``, one row per model and seed, sorted by seed then RMSE.

    Raises
    ------
    FileNotFoundError
        If no results are stored for ``variant``.
    """
    if folder is None:
        folder = resources.files("movierec_utils") / "benchmark_results"
    else:
        folder = Path(folder)
    prefix = f"accuracy-{variant}-seed"
    frames = []
    for entry in folder.iterdir():
        if entry.name.startswith(prefix) and entry.name.endswith(".json"):
            seed = int(entry.name[len(prefix):-len(".json")])
            record = json.loads(entry.read_text(encoding="utf-8"))
            frames.append(pd.DataFrame(record["results"]).assign(seed=seed))
    if not frames:
        raise FileNotFoundError(
            f"No stored results for {variant!r} in {folder}; run "
            f"python benchmarks/accuracy.py --variant {variant} --seed SEED first."
        )
    table = pd.concat(frames, ignore_index=True)
    table = table[["seed", "name", "source", "rmse", "mae", "fit_s"]]
    return table.sort_values(["seed", "rmse", "name"]).reset_index(drop=True)


def spread_over_seeds(results: pd.DataFrame) -> pd.DataFrame:
    """Summarize each model's test RMSE over the split seeds: mean, std, min, max."""
    grouped = results.groupby(["name", "source"])["rmse"]
    table = grouped.agg(["mean", "std", "min", "max", "count"]).reset_index()
    table = table.rename(columns={"count": "seeds"})
    return table.sort_values("mean").set_index("name")
