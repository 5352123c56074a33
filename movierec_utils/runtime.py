"""TensorFlow and Keras set-up: a quiet import, seeds and determinism.

Importing TensorFlow 2.21 writes start-up lines ("oneDNN custom operations
are on", "Could not find cuda drivers", "failed call to cuInit") straight to
file descriptor 2, before its log level is read, and Jupyter copies them into
the stored outputs of a chapter. This module imports TensorFlow once with that
descriptor pointed at the null device, then restores it. Set the environment
variable ``MOVIEREC_TF_VERBOSE=1`` to see those lines, for example when a GPU
is not found.
"""

from __future__ import annotations

import contextlib
import os
import random

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


@contextlib.contextmanager
def _silenced_stderr_fd():
    if os.environ.get("MOVIEREC_TF_VERBOSE") == "1":
        yield
        return
    saved = os.dup(2)
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), 2)
            yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


with _silenced_stderr_fd():
    import tensorflow as tf

    # Device discovery runs on first use and logs the CUDA probe; do it now.
    _DEVICES = tf.config.list_physical_devices()

# Python-side TensorFlow warnings (retracing notices) would also land in
# stored outputs; errors still show.
tf.get_logger().setLevel("ERROR")

import keras  # noqa: E402  (must follow the quiet TensorFlow import)
import numpy as np  # noqa: E402


def accelerator_name() -> str:
    """Return ``"GPU"`` when TensorFlow sees a GPU, else ``"CPU"``."""
    return "GPU" if any(d.device_type == "GPU" for d in _DEVICES) else "CPU"


def set_seed(seed: int = 42, deterministic: bool = True) -> None:
    """Seed Python, NumPy, TensorFlow and Keras, and make TensorFlow ops deterministic.

    With ``deterministic=True``, :func:`tf.config.experimental.enable_op_determinism`
    makes repeated runs on the same hardware and software give the same
    weights, at some cost in speed. It stays on for the rest of the process.
    """
    random.seed(seed)
    np.random.seed(seed)
    keras.utils.set_random_seed(seed)
    if deterministic:
        tf.config.experimental.enable_op_determinism()


__all__ = ["tf", "keras", "accelerator_name", "set_seed"]
