"""Compare the book's models with baselines and the Surprise library on one split.

Every model is scored on the test part of ``prepare.load_and_split`` (a random
72/8/20 train/validation/test split by ``--seed``), which no model sees while
training or while its settings are chosen:

- the book's Keras models train on the train part, and the validation part
  stops them (early stopping restores the best epoch); the two "train+val"
  rows retrain the dot product on train and validation together for the
  number of epochs chosen on validation, one of them averaging three seeds;
- the baselines (global mean, biases only) and Surprise's BaselineOnly, SVD,
  SVD++ and KNNBaseline (item-based, pearson_baseline similarity) have no
  early stopping and fit on train and validation together, that is on all
  ratings outside the test part, with their default settings.

For each model the script records test RMSE, MAE and the fit time in
seconds, prints a table, writes the results as JSON and as a Markdown table
(default folder: ``movierec_utils/benchmark_results``, which the comparison
chapter reads), and prints as its last line one JSON object::

    {"dataset": ..., "split": ..., "results": [{"name": ..., "source": ...,
     "rmse": ..., "mae": ..., "fit_s": ...}, ...]}

Surprise is an optional extra: ``pip install -e ".[bench]"``.

Usage::

    python benchmarks/accuracy.py [--variant ml-latest-small] [--seed 42]
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np
import pandas as pd

from movierec_utils import ensemble, metrics, models, prepare, recipes, schedules, training
from movierec_utils.runtime import set_seed

RESULTS_DIR = Path(__file__).resolve().parents[1] / "movierec_utils" / "benchmark_results"
DOT = recipes.DOT_PRODUCT_SETTINGS
DOT_SETTINGS = {key: DOT[key] for key in ("n_factors", "l2", "bias_l2")}
ENSEMBLE_SEEDS = (1, 2, 3)


def _timed(function):
    start = time.perf_counter()
    value = function()
    return value, time.perf_counter() - start


def book_models(data, seed):
    """Yield (name, test predictions, fit seconds) for each of the book's models.

    Each model is trained with the settings of its chapter.
    """
    train, val, test = data.split
    mean = float(train["rating"].mean())
    n = (data.n_users, data.n_movies)

    def dot_product():
        return recipes.train_dot_product(data, seed=seed)[0]

    def neural_net(dropout_rates):
        set_seed(seed)
        model = models.build_neural_net(*n, n_factors=50, l2=0.0001, hidden_units=(100, 100, 50),
                                        dropout_rates=dropout_rates, global_mean=mean)
        schedule = schedules.StepSchedule([(4, 0.01), (3, 0.001), (5, 0.0001)])
        training.compile_model(model, learning_rate=schedule(0))
        training.fit_model(model, train, val, epochs=schedule.n_epochs, batch_size=4096,
                           patience=3, callbacks=[schedule.callback()], seed=seed, verbose=False)
        return model

    def hybrid():
        set_seed(seed)
        model = models.build_hybrid_model(*n, n_factors=50, l2=0.1, global_mean=mean)
        schedule = schedules.StepSchedule([(3, 0.02), (3, 0.002), (6, 0.0002)])
        training.compile_model(model, learning_rate=schedule(0),
                               loss_weights={models.LINEAR_HEAD: 0.2, models.DOT_HEAD: 1.0})
        training.fit_model(model, train, val, epochs=schedule.n_epochs, batch_size=4096,
                           patience=3, monitor=f"val_{models.DOT_HEAD}_rmse",
                           callbacks=[schedule.callback()], seed=seed, verbose=False)
        return model

    model, seconds = _timed(dot_product)
    yield "dot product", training.predict_ratings(model, test), seconds
    model, seconds = _timed(lambda: neural_net((0.5, 0.6, 0.7)))
    yield "neural net (dropout 0.5-0.7)", training.predict_ratings(model, test), seconds
    model, seconds = _timed(lambda: neural_net((0.1, 0.1, 0.1)))
    yield "neural net (dropout 0.1)", training.predict_ratings(model, test), seconds
    model, seconds = _timed(hybrid)
    yield "hybrid (dot head)", training.predict_ratings(model, test, output=models.DOT_HEAD), seconds

    known = pd.concat([train, val])
    known_mean = float(known["rating"].mean())

    def refit(model_seed):
        return ensemble.fit_fixed_epochs(
            lambda: models.build_dot_model(*n, **DOT_SETTINGS, global_mean=known_mean),
            known, DOT["epochs"], DOT["batch_size"], DOT["learning_rate"], seed=model_seed,
        )

    model, seconds = _timed(lambda: refit(seed))
    yield "dot product, train+val", training.predict_ratings(model, test), seconds
    trained, seconds = _timed(lambda: [refit(seed * 100 + s) for s in ENSEMBLE_SEEDS])
    yield (f"dot product, train+val, {len(ENSEMBLE_SEEDS)} seeds averaged",
           ensemble.average_predictions(trained, test), seconds)


def baseline_models(data):
    train, val, test = data.split
    known = pd.concat([train, val])
    for name, model in (("global mean", metrics.GlobalMeanBaseline()),
                        ("biases only", metrics.BiasBaseline())):
        fitted, seconds = _timed(lambda: model.fit(known))
        yield name, fitted.predict(test), seconds


def surprise_models(data, seed):
    try:
        import surprise
    except ImportError as error:
        raise SystemExit(
            "Surprise is not installed; install the bench extra: pip install -e \".[bench]\""
        ) from error
    train, val, test = data.split
    known = pd.concat([train, val])
    reader = surprise.Reader(rating_scale=(0.5, 5.0))
    columns = ["userId", "movieId", "rating"]
    trainset = surprise.Dataset.load_from_df(known[columns], reader).build_full_trainset()
    pairs = list(zip(test["userId"], test["movieId"]))
    algorithms = (
        ("Surprise BaselineOnly", surprise.BaselineOnly(verbose=False)),
        ("Surprise SVD", surprise.SVD(random_state=seed)),
        ("Surprise SVD++", surprise.SVDpp(random_state=seed)),
        ("Surprise KNNBaseline", surprise.KNNBaseline(
            sim_options={"name": "pearson_baseline", "user_based": False}, verbose=False)),
    )
    for name, algorithm in algorithms:
        _, seconds = _timed(lambda: algorithm.fit(trainset))
        predictions = np.array([algorithm.predict(u, m).est for u, m in pairs])
        yield name, predictions, seconds


def markdown_table(results) -> str:
    lines = ["| model | source | test RMSE | test MAE | fit time (s) |",
             "|---|---|---:|---:|---:|"]
    for row in sorted(results, key=lambda r: r["rmse"]):
        lines.append(f"| {row['name']} | {row['source']} | {row['rmse']:.4f} | "
                     f"{row['mae']:.4f} | {row['fit_s']:.1f} |")
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--variant", default="ml-latest-small", help="MovieLens variant (default: ml-latest-small)")
    parser.add_argument("--seed", type=int, default=42, help="split and training seed (default: 42)")
    parser.add_argument("--output-dir", type=Path, default=RESULTS_DIR,
                        help=f"folder for the JSON and Markdown results (default: {RESULTS_DIR})")
    args = parser.parse_args(argv)

    data = prepare.load_and_split(args.variant, seed=args.seed)
    test_ratings = data.split.test["rating"]
    groups = (("baseline", baseline_models(data)), ("book", book_models(data, args.seed)),
              ("surprise", surprise_models(data, args.seed)))
    results = []
    for source, rows in groups:
        for name, predictions, seconds in rows:
            row = {"name": name, "source": source,
                   "rmse": round(metrics.rmse(test_ratings, predictions), 4),
                   "mae": round(metrics.mae(test_ratings, predictions), 4),
                   "fit_s": round(seconds, 2)}
            results.append(row)
            print(f"{name:45s} RMSE {row['rmse']:.4f}  MAE {row['mae']:.4f}  fit {seconds:6.1f} s",
                  flush=True)

    split = (f"random train/validation/test 72/8/20, seed {args.seed}; "
             f"{len(data.split.train)}/{len(data.split.val)}/{len(data.split.test)} ratings")
    record = {"dataset": args.variant, "split": split, "results": results}
    args.output_dir.mkdir(parents=True, exist_ok=True)
    stem = args.output_dir / f"accuracy-{args.variant}-seed{args.seed}"
    stem.with_suffix(".json").write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    stem.with_suffix(".md").write_text(markdown_table(results), encoding="utf-8")
    print(json.dumps(record))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
