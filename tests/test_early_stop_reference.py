"""The early-stop-epoch reference agrees with Keras itself on every probe of its exercise.yaml.

For each probe a real `keras.callbacks.EarlyStopping(monitor="val_loss", patience=p)` is driven
epoch by epoch (on_train_begin, then on_epoch_end with that epoch's val_loss) on one tiny model;
the epoch where it sets `stop_training` (1-based), or the number of epochs when it never does, is
what `reference.stop_epoch` must return, and the first argmin of val_loss (1-based) is what
`reference.best_epoch` must return.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml

EXERCISE = Path(__file__).resolve().parent.parent / "exercises" / "early-stop-epoch"
PROBES: list[dict[str, Any]] = yaml.safe_load((EXERCISE / "exercise.yaml").read_text("utf-8"))[
    "probes"
]


@pytest.fixture(scope="module")
def reference() -> ModuleType:
    spec = importlib.util.spec_from_file_location("early_stop_reference", EXERCISE / "reference.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def tiny_model() -> Any:
    keras = pytest.importorskip("keras")
    return keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)])


def keras_stop_epoch(model: Any, val_loss: list[float], patience: int) -> int:
    """The 1-based epoch after which Keras' EarlyStopping stops, or len(val_loss) if it never does."""
    import keras

    stop = keras.callbacks.EarlyStopping(monitor="val_loss", patience=patience)
    stop.set_model(model)
    model.stop_training = False
    stop.on_train_begin()
    for epoch, value in enumerate(val_loss):
        stop.on_epoch_end(epoch, logs={"val_loss": value})
        if model.stop_training:
            return epoch + 1
    return len(val_loss)


def test_probes_are_well_formed() -> None:
    assert 12 <= len(PROBES) <= 20
    for probe in PROBES:
        history = probe["history"]
        assert set(probe) == {"history", "patience"}
        assert len(history["loss"]) == len(history["val_loss"]) >= 1
        assert isinstance(probe["patience"], int) and probe["patience"] >= 0


def test_probes_cover_the_cases() -> None:
    """Ties, never stopping, stopping on the last epoch, patience 0 and 1, one epoch."""
    stops = []
    for probe in PROBES:
        val_loss, patience = probe["history"]["val_loss"], probe["patience"]
        stops.append((val_loss, patience, _first_stop(val_loss, patience)))
    assert any(len(set(v)) < len(v) for v, _, _ in stops)  # a tie or a plateau
    assert any(s is None for _, _, s in stops)  # never stops
    assert any(s == len(v) for v, _, s in stops)  # stops on the last epoch
    assert any(s is not None and s < len(v) for v, _, s in stops)  # stops before the end
    assert {0, 1} <= {p for _, p, _ in stops}
    assert any(len(v) == 1 for v, _, _ in stops)


def _first_stop(val_loss: list[float], patience: int) -> int | None:
    best, wait = float("inf"), 0
    for epoch, value in enumerate(val_loss, start=1):
        if value < best:
            best, wait = value, 0
        else:
            wait += 1
            if wait >= patience:
                return epoch
    return None


@pytest.mark.parametrize("probe", PROBES, ids=[f"probe{i}" for i in range(len(PROBES))])
def test_reference_matches_keras(reference: ModuleType, tiny_model: Any, probe: dict) -> None:
    history, patience = probe["history"], probe["patience"]
    val_loss = history["val_loss"]
    expected_stop = keras_stop_epoch(tiny_model, val_loss, patience)
    assert reference.stop_epoch(history, patience) == expected_stop
    expected_best = val_loss.index(min(val_loss)) + 1  # list.index: the first on a tie
    assert reference.best_epoch(history) == expected_best
    assert type(reference.stop_epoch(history, patience)) is int
    assert type(reference.best_epoch(history)) is int
