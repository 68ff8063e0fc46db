"""The inspector's job (runs in the sandbox, never in the scoring process): no learner code runs here.

It loads what the learner's process handed back (`.keras` files with safe_mode=True, optimizer
configs, recorded fit calls) and does the training that decides the score itself:
- for the tasks that return a model, it trains the returned model on the seeded data (the only
  training: the learner's process just builds and saves it);
- for fit-validation, whose training is the learner's own code, it replays the recorded fit calls
  on the same starting model and checks that they give the weights handed back, so that a forged
  record or History earns nothing.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import keras
import numpy as np

from grader.exported import NotCheckable, load_exported
from grader.facts import FIT_ARRAYS
from grader.harness import (
    _OOM,
    OUT,
    _error,
    _history,
    _load,
    _predict,
    _write,
    model_facts,
    names_own_code,
    reference_classifier,
    reseed,
)

TRAINED_HERE = ("compile-multiclass", "binary-classifier", "regressor")


def _safe_load(path: Path) -> tuple[Any, dict[str, Any] | None]:
    if not path.is_file():
        return None, None
    try:
        return keras.models.load_model(path, safe_mode=True, compile=True), None
    except Exception as e:  # noqa: BLE001
        text = f"{type(e).__name__}: {e}"
        unsafe = "safe_mode" in text or "Lambda" in text or "unsafe" in text
        # Hardening (hostile suite): "custom" (classes or functions of the learner's own, which
        # only its code can load: checked from its exported graph, see grader/exported.py) is
        # told apart from a broken or forged file ("unloadable": it earns nothing).
        kind = "unsafe" if unsafe else "custom" if names_own_code(path) else "unloadable"
        return None, {"kind": kind, "message": text[:1000]}


def _train(model: Any, payload: dict[str, Any], facts: dict[str, Any]) -> None:
    """Train the returned model as the exercise says (seeded), then predict the held-out inputs."""
    x, y = _load("x_train.npy"), _load("y_train.npy")
    facts["trained"] = True
    try:
        reseed(model, payload["seed"])
        hist = model.fit(x, y, epochs=payload["epochs"], batch_size=32, verbose=0)
        facts["fit"] = _history(hist)
    except _OOM:
        raise
    except Exception as e:  # noqa: BLE001 (e.g. a loss that does not fit the labels)
        facts["fit_error"] = _error("fit", e)
        return
    try:
        _predict(model, _load("x_test.npy"), "pred.npy")
    except Exception as e:  # noqa: BLE001
        facts["predict_error"] = _error("predict", e)


def differ(again: np.ndarray, pred: np.ndarray) -> str:
    """Why two sets of predictions are not the same model's ("" when they are)."""
    if again.shape != pred.shape:
        return f"predictions of shape {again.shape}, not {pred.shape}"
    nan_a, nan_b = ~np.isfinite(again), ~np.isfinite(pred)
    if not np.array_equal(nan_a, nan_b):
        return "NaN in one set of predictions only"
    diff = np.abs(again[~nan_a] - pred[~nan_b])
    worst = float(diff.max()) if diff.size else 0.0
    scale = max(1.0, float(np.abs(pred[~nan_b]).max())) if diff.size else 1.0
    return f"predictions differ by up to {worst:.4g}" if worst > 1e-3 * scale else ""


def _callbacks(call: dict[str, Any]) -> list[Any]:
    out = []
    for cb in call["callbacks"]:
        if cb.get("config") is not None:  # observing callbacks (checkpoints, logs) are left out
            out.append(getattr(keras.callbacks, cb["class"])(**cb["config"]))
    return out


def _replay_fit(payload: dict[str, Any], facts: dict[str, Any], pred: np.ndarray) -> None:
    """Replay the recorded fit calls on the model the learner's job started from; the replay's
    History is the one judged, and its weights must be the ones handed back."""
    path = Path("fit_calls.json")
    calls = json.loads(path.read_text()) if path.is_file() else []
    unsupported = sorted({u for call in calls for u in call["unsupported"]})
    if unsupported:
        message = ", ".join(unsupported)[:500]
        facts["replay_error"] = {"kind": "unsupported", "message": message}
        return
    n_features = _load("x_train.npy").shape[1]
    model = reference_classifier(n_features, payload["n_classes"], payload["seed"])
    hist = None
    try:
        for i, call in enumerate(calls):
            if call.get("compile"):
                from keras.src.saving.serialization_lib import SafeModeScope

                with SafeModeScope(True):
                    model.compile_from_config(call["compile"])
            arrays = {n: _load(f"fit_{i}_{n}.npy") for n in call["arrays"] if n in FIT_ARRAYS}
            options = dict(call["options"])
            if "class_weight" in options:
                options["class_weight"] = {int(k): v for k, v in options["class_weight"].items()}
            if "vx" in arrays and "vy" in arrays:
                options["validation_data"] = (arrays["vx"], arrays["vy"])
            if "sample_weight" in arrays:
                options["sample_weight"] = arrays["sample_weight"]
            reseed(model, payload["seed"])
            callbacks = _callbacks(call)
            hist = model.fit(
                arrays.get("x"), arrays.get("y"), callbacks=callbacks, verbose=0, **options
            )
        again = np.asarray(model.predict(_load("x_test.npy"), batch_size=256, verbose=0))
    except _OOM:
        raise
    except Exception as e:  # noqa: BLE001
        message = f"{type(e).__name__}: {e}"[:1000]
        facts["replay_error"] = {"kind": "failed", "message": message}
        return
    why = differ(again.astype("float32"), pred)
    if why:
        facts["replay_error"] = {"kind": "mismatch", "message": why}
    elif hist is not None:
        facts["fit"] = _history(hist)


def train_base(payload: dict[str, Any]) -> None:
    """evaluate-predict: train the model the exercise hands to the learner's functions, once per
    exercise (the grader caches out/base.keras and copies it into every learner's job)."""
    OUT.mkdir(exist_ok=True)
    x, y = _load("x_train.npy"), _load("y_train.npy")
    model = reference_classifier(x.shape[1], payload["n_classes"], payload["seed"])
    model.fit(x, y, epochs=payload["epochs"], batch_size=32, verbose=0)
    model.save(OUT / "base.keras")


def inspect(payload: dict[str, Any]) -> None:
    """Load what the learner's process handed back, without running any of its code."""
    OUT.mkdir(exist_ok=True)
    facts: dict[str, Any] = {}
    task = payload["task"]
    returned, err = _safe_load(Path("returned.keras"))
    activation: Any = None
    if returned is None and err is not None and err["kind"] == "custom":
        try:  # a model of the learner's own classes: its exported graph stands in for it
            n_features = _load("x_train.npy").shape[1]
            returned, activation = load_exported(
                Path("returned_sm"), Path("returned.keras"), n_features
            )
            err, facts["exported"] = None, True
        except NotCheckable as e:
            err = {"kind": "custom", "message": str(e)[:1000]}
    if returned is not None:
        facts["facts"] = model_facts(returned)
        if facts.get("exported"):
            facts["facts"]["output_activation"] = activation
        if task in TRAINED_HERE:
            _train(returned, payload, facts)
    elif err:
        facts["returned_error"] = err
    if task == "fit-validation":
        trained, err = _safe_load(Path("trained.keras"))
        if trained is not None:
            x_test = _load("x_test.npy")
            _predict(trained, x_test, "pred.npy")
            _replay_fit(payload, facts, np.load(OUT / "pred.npy"))
            if "replay_error" in facts:
                (OUT / "pred.npy").unlink()
            x, y = _load("x_train.npy"), _load("y_train.npy")
            share = float(payload.get("val_share", 0.2))
            cut = int(math.ceil(len(x) * (1.0 - share)))  # where Keras' validation_split cuts
            value = trained.evaluate(x[cut:], y[cut:], batch_size=32, verbose=0, return_dict=True)
            facts["val_loss_now"] = float(value["loss"])
        elif err:
            facts["trained_error"] = err
    obj = Path("object.json")
    if obj.is_file():
        facts["lr"] = _learning_rates(json.loads(obj.read_text()), payload["steps"])
    _write("inspect.json", facts)


def _learning_rates(config: dict[str, Any], steps: list[int]) -> dict[str, Any]:
    try:
        if config.get("module", "").endswith("schedules"):
            obj = keras.optimizers.schedules.deserialize(config)
            return {
                "class": type(obj).__name__,
                "schedule": type(obj).__name__,
                "values": [float(obj(s)) for s in steps],
            }
        opt = keras.optimizers.deserialize(config)
    except Exception as e:  # noqa: BLE001
        return {"error": f"{type(e).__name__}: {e}"[:500]}
    lr = opt._learning_rate  # the schedule object or the variable behind `learning_rate`
    if isinstance(lr, keras.optimizers.schedules.LearningRateSchedule):
        values = [float(lr(s)) for s in steps]
        schedule = type(lr).__name__
        config_lr = lr.get_config()
    else:
        value = float(np.asarray(lr))
        values = [value for _ in steps]
        schedule, config_lr = None, {}
    finite = [v if math.isfinite(v) else None for v in values]
    return {
        "class": type(opt).__name__,
        "schedule": schedule,
        "values": finite,
        "schedule_config": {
            k: v for k, v in config_lr.items() if isinstance(v, int | float | bool | str)
        },
    }
