"""Synthetic data sets from fixed seeds (numpy only: no downloads, same arrays every time)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from grader.exercises import DataSpec


@dataclass(frozen=True)
class Split:
    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray


def generate(spec: DataSpec) -> Split:
    """Draw n_train + n_test rows; the last n_test are held out by the grader."""
    rng = np.random.default_rng(spec.seed)
    n = spec.n_train + spec.n_test
    d = spec.n_features
    if spec.generator in ("blobs", "noisy-blobs"):
        spread = 2.0 if spec.generator == "blobs" else 1.0
        centers = rng.normal(0.0, spread, size=(spec.n_classes, d))
        y = rng.integers(0, spec.n_classes, size=n)
        x = centers[y] + rng.normal(0.0, 1.0, size=(n, d))
        if spec.generator == "noisy-blobs":
            flip = rng.random(n) < 0.35  # label noise: a big model overfits within a few epochs
            y = np.where(flip, rng.integers(0, spec.n_classes, size=n), y)
        y = y.astype("int64")
    elif spec.generator == "binary":
        w = rng.normal(size=d)
        x = rng.normal(size=(n, d))
        logits = x @ w + 0.5 * np.sin(3 * x[:, 0])
        y = (logits + rng.normal(0.0, 0.5, size=n) > 0).astype("float32")
    else:  # regression
        w = rng.normal(size=d)
        x = rng.normal(size=(n, d))
        y = (x @ w + 2.0 * np.sin(x[:, 0]) - 1.5 + rng.normal(0.0, 0.3, size=n)).astype("float32")
    x = x.astype("float32")
    k = spec.n_train
    return Split(x[:k], y[:k], x[k:], y[k:])
