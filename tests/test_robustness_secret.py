"""The held-out key: made once per LEARN_HOME, private, stable; LEARN_SECRET overrides it."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from grader.datasets import generate
from grader.exercises import DataSpec
from grader.settings import grading_secret


def test_secret_is_made_once_and_kept_private(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("LEARN_SECRET")
    first = grading_secret(tmp_path / "home")
    assert len(first) == 32
    assert grading_secret(tmp_path / "home") == first
    mode = (tmp_path / "home" / "secret").stat().st_mode
    assert stat.S_IMODE(mode) == 0o600
    assert grading_secret(tmp_path / "other") != first


def test_held_out_rows_depend_on_the_secret_not_the_training_rows() -> None:
    spec = DataSpec(
        generator="noisy-blobs", seed=5, n_train=50, n_test=40, n_features=3, n_classes=4
    )
    a, b = generate(spec, b"one"), generate(spec, b"two")
    assert (a.x_train == b.x_train).all() and (a.y_train == b.y_train).all()
    assert not (a.x_test == b.x_test).all()
    assert (generate(spec, b"one").x_test == a.x_test).all()
