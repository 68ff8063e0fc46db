"""fit-validation: one `model.fit` call of the learner's, described as data (runs in the learner's
job, inside the sandbox). The judge reads the options; the inspector replays the call from them
(grader/inspector.py), so the description has to hold everything the training depends on, and
whatever it cannot describe is listed as unsupported."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import keras
import numpy as np

OUT = Path("out")  # what a job hands back (its working directory is the sandbox's)
MAX_ARRAY = 5_000_000
FIT_ARGS = (
    "x",
    "y",
    "batch_size",
    "epochs",
    "verbose",
    "callbacks",
    "validation_split",
    "validation_data",
    "shuffle",
    "class_weight",
    "sample_weight",
    "initial_epoch",
    "steps_per_epoch",
    "validation_steps",
    "validation_batch_size",
    "validation_freq",
)
# fit() options the inspector passes on as they are (plain numbers, strings or booleans).
PLAIN_ARGS = (
    "batch_size",
    "epochs",
    "validation_split",
    "shuffle",
    "initial_epoch",
    "steps_per_epoch",
    "validation_steps",
    "validation_batch_size",
    "validation_freq",
)
# Keras' own callbacks that change the training, with the attributes that rebuild them; callbacks
# that only observe it are left out of the replay; any other callback cannot be replayed.
REPLAYED_CALLBACKS = {
    "EarlyStopping": (
        "monitor",
        "mode",
        "min_delta",
        "patience",
        "baseline",
        "restore_best_weights",
        "start_from_epoch",
    ),
    "ReduceLROnPlateau": (
        "monitor",
        "mode",
        "min_delta",
        "factor",
        "patience",
        "cooldown",
        "min_lr",
    ),
    "TerminateOnNaN": (),
}
OBSERVING_CALLBACKS = ("ModelCheckpoint", "CSVLogger", "TensorBoard", "ProgbarLogger", "History")
_PLAIN = (bool, int, float, str, type(None))


def _callback_info(cb: Any, unsupported: list[str]) -> dict[str, Any]:
    name = type(cb).__name__
    info: dict[str, Any] = {
        "class": name,
        "monitor": getattr(cb, "monitor", None),
        "patience": getattr(cb, "patience", None),
        "restore_best_weights": getattr(cb, "restore_best_weights", None),
        "save_best_only": getattr(cb, "save_best_only", None),
    }
    own = getattr(keras.callbacks, name, None) is type(cb)  # Keras' class, not a look-alike
    if own and name in REPLAYED_CALLBACKS:
        config = {k: getattr(cb, k, None) for k in REPLAYED_CALLBACKS[name]}
        if all(isinstance(v, _PLAIN) for v in config.values()):
            info["config"] = config
            return info
    if own and name in OBSERVING_CALLBACKS:
        return info
    unsupported.append(f"callback {name}")
    return info


def describe_fit(
    args: tuple[Any, ...], kw: dict[str, Any], full_x: np.ndarray, index: int
) -> dict[str, Any]:
    """What one model.fit call asked for, as data: the judge reads the options, the inspector
    replays the call from them (its arrays are saved as out/fit_<index>_<name>.npy)."""
    bound = dict(zip(FIT_ARGS, args, strict=False)) | kw
    unsupported = [k for k in bound if k not in FIT_ARGS]
    options: dict[str, Any] = {}
    for name in PLAIN_ARGS:
        value = bound.get(name)
        if value is None:
            continue
        if isinstance(value, (*_PLAIN, np.number)):
            options[name] = value.item() if isinstance(value, np.number) else value
        else:
            unsupported.append(name)
    if bound.get("class_weight") is not None:
        try:
            options["class_weight"] = {int(k): float(v) for k, v in bound["class_weight"].items()}
        except Exception:  # noqa: BLE001
            unsupported.append("class_weight")
    callbacks = [_callback_info(cb, unsupported) for cb in bound.get("callbacks") or []]
    vd = bound.get("validation_data")
    if vd is not None and not (isinstance(vd, tuple | list) and len(vd) == 2):
        unsupported.append("validation_data")
        vd = None
    arrays = {"x": bound.get("x"), "y": bound.get("y"), "sample_weight": bound.get("sample_weight")}
    if vd is not None:
        arrays |= {"vx": vd[0], "vy": vd[1]}
    saved = []
    for name, value in arrays.items():
        if value is None:
            continue
        try:
            arr = np.asarray(value)
            if arr.dtype.kind not in "biuf" or arr.size > MAX_ARRAY:
                raise TypeError(arr.dtype)
            np.save(OUT / f"fit_{index}_{name}.npy", arr, allow_pickle=False)
            saved.append(name)
        except Exception:  # noqa: BLE001 (a dataset, a generator, objects)
            unsupported.append(name)
    x = bound.get("x")
    vd_len = vd_tail = None
    if vd is not None:
        try:  # the last rows of the full data, as validation_split would take them?
            vd_len = int(len(vd[0]))
            vd_tail = bool(np.array_equal(np.asarray(vd[0]), full_x[-vd_len:]))
        except Exception:  # noqa: BLE001
            vd_tail = False
    return {
        "batch_size": options.get("batch_size"),
        "epochs": options.get("epochs", 1),
        "validation_split": float(options.get("validation_split") or 0.0),
        "validation_data_len": vd_len,
        "validation_data_is_tail": vd_tail,
        "x_len": int(len(x)) if x is not None and hasattr(x, "__len__") else None,
        "shuffle": bool(options.get("shuffle", True)),
        "callbacks": callbacks,
        "options": options,
        "arrays": saved,
        "unsupported": unsupported,
    }
