"""Helpers for the MovieRec book: MovieLens data, Keras 3 models, metrics and plots.

Modules, by concept:

- ``datasets``: download, cache, verify and load MovieLens variants.
- ``encoding``: reversible id-to-index encoding.
- ``split``: seeded train, validation and test splits.
- ``runtime``: quiet TensorFlow import, seeds and op determinism.
- ``models``: Keras model builders.
- ``training``: compile, fit with early stopping, predict.
- ``metrics``: RMSE, MAE and baselines.
- ``plots``: the book's figures.

Only ``datasets``, ``encoding``, ``split`` and ``metrics`` are imported
here, so that loading data does not pay for importing TensorFlow.
"""

from movierec_utils import datasets, encoding, metrics, split

__version__ = "0.1.0"

__all__ = ["datasets", "encoding", "metrics", "split", "__version__"]
