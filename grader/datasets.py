"""Synthetic data sets from fixed seeds (numpy only: no downloads, same arrays every time)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np

from grader.exercises import DataSpec


@dataclass(frozen=True)
class Split:
    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    n_val: int = 0  # the last n_val training rows are handed over as x_val / y_val

    @property
    def classes(self) -> np.ndarray:
        """The held-out labels as class ids (one-hot rows read back), or the targets."""
        return self.y_test.argmax(axis=-1) if self.y_test.ndim == 2 else self.y_test


def _rows(spec: DataSpec, rng: np.random.Generator, task: dict[str, np.ndarray], n: int):  # type: ignore[no-untyped-def]
    d = spec.n_features
    if spec.generator in ("blobs", "noisy-blobs"):
        y = rng.integers(0, spec.n_classes, size=n)
        x = task["centers"][y] + rng.normal(0.0, 1.0, size=(n, d))
        if spec.generator == "noisy-blobs":
            flip = rng.random(n) < 0.35  # label noise: a big model overfits within a few epochs
            y = np.where(flip, rng.integers(0, spec.n_classes, size=n), y)
        return x.astype("float32"), y.astype("int64")
    if spec.generator == "sequences":  # class 1 drifts up in feature 0, class 0 down; noise
        y = rng.integers(0, 2, size=n)
        x = rng.normal(size=(n, spec.timesteps, d))
        x[:, :, 0] += np.where(y == 1, 0.7, -0.7)[:, None]
        return x.astype("float32"), y.astype("int64")
    x = rng.normal(size=(n, d))
    if spec.generator == "binary":
        logits = x @ task["w"] + 0.5 * np.sin(3 * x[:, 0])
        y = (logits + rng.normal(0.0, 0.5, size=n) > 0).astype("float32")
    else:  # regression
        noise = rng.normal(0.0, 0.3, size=n)
        y = (x @ task["w"] + 2.0 * np.sin(x[:, 0]) - 1.5 + noise).astype("float32")
    return x.astype("float32"), y


def generate(spec: DataSpec, secret: bytes = b"") -> Split:
    """The task (class centres, weights) and the training rows come from the exercise's seed;
    the held-out rows from the same task but from `secret` too, which only the scoring process
    holds (hardening, hostile suite: a submission that knows the seed cannot rebuild them)."""
    rng = np.random.default_rng(spec.seed)
    d = spec.n_features
    if spec.generator in ("blobs", "noisy-blobs"):
        spread = 2.0 if spec.generator == "blobs" else 1.0
        task = {"centers": rng.normal(0.0, spread, size=(spec.n_classes, d))}
    else:
        task = {"w": rng.normal(size=d)}
    x_train, y_train = _rows(spec, rng, task, spec.n_train)
    digest = hashlib.sha256(b"held-out\0" + secret).digest()
    held = np.random.default_rng([spec.seed, int.from_bytes(digest[:16], "big")])
    x_test, y_test = _rows(spec, held, task, spec.n_test)
    if spec.labels == "onehot":
        eye = np.eye(spec.n_classes, dtype="float32")
        y_train, y_test = eye[y_train], eye[y_test]
    return Split(x_train, y_train, x_test, y_test, spec.n_val)
