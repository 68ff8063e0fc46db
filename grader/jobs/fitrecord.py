"""The learner's `model.fit` calls, recorded as data (runs in the learner's job, in the sandbox).

Nothing is trained in the learner's process: each call is described (its options, its callbacks
and the arrays passed) and answered with an untrained placeholder `History`. The inspector
(grader/jobs/inspector.py, no learner code) runs the described calls on the grader's own starting
model; that training is the only one, and the only one judged. A description is frozen to JSON
text the moment the call is made, so changing a callback or an array afterwards changes nothing.
"""

from __future__ import annotations

import inspect
import json
from pathlib import Path
from typing import Any

import keras
import numpy as np

OUT = Path("out")  # what a job hands back (its working directory is the sandbox's)
MAX_ARRAY = 5_000_000  # elements of one array handed back
MAX_FIT_BYTES = 40_000_000  # all the arrays of all recorded fit calls together
MAX_FIT_CALLS = 10
# fit() options passed on as they are (plain numbers, strings or booleans); anything else that
# fit() accepts is recorded as unsupported and the inspector does not run the call.
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
# Keras' own callbacks the inspector builds again, with the attributes that make them (a frozen
# allow-list: any other class, or another attribute, is never built there).
REPLAYED_CALLBACKS: dict[str, tuple[str, ...]] = {
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
    "ModelCheckpoint": ("monitor", "mode", "save_best_only", "save_weights_only", "save_freq"),
}
# Keras' callbacks that only watch the training (logs, progress): left out of the inspector's run.
OBSERVING_CALLBACKS = (
    "CSVLogger",
    "TensorBoard",
    "ProgbarLogger",
    "History",
    "LambdaCallback",
    "RemoteMonitor",
)
CHECKPOINT_SUFFIXES = (".weights.h5", ".keras", ".h5")
_PLAIN = (bool, int, float, str, type(None))


def _plain(value: Any) -> Any:
    return value.item() if isinstance(value, np.generic) else value


def _callback_info(cb: Any, unsupported: list[str]) -> dict[str, Any]:
    name = type(cb).__name__
    own = getattr(keras.callbacks, name, None) is type(cb)  # Keras' class, not a look-alike
    info: dict[str, Any] = {"class": name, "keras": own, "config": None}
    if own and name in REPLAYED_CALLBACKS:
        config = {k: _plain(getattr(cb, k, None)) for k in REPLAYED_CALLBACKS[name]}
        if name == "ModelCheckpoint":
            path = str(getattr(cb, "filepath", ""))
            suffix = next((s for s in CHECKPOINT_SUFFIXES if path.endswith(s)), None)
            if suffix is None:
                unsupported.append(f"ModelCheckpoint file {path[-60:]!r}")
                return info
            config["suffix"] = suffix
            config["filepath"] = path[-300:]
        if all(isinstance(v, _PLAIN) for v in config.values()):
            info["config"] = config
        else:
            unsupported.append(f"callback {name}")
    elif own and name not in OBSERVING_CALLBACKS:
        # Keras' own, but it changes the training from code or files the grader does not run
        # (BackupAndRestore, LearningRateScheduler, SwapEMAWeights, ...).
        unsupported.append(f"callback {name}")
    return info


_FIT_PARAMS = list(inspect.signature(keras.Model.fit).parameters)[1:]  # after self


def describe_fit(args: tuple[Any, ...], kw: dict[str, Any], index: int, budget: list[int]) -> str:
    """What one model.fit call asked for, as JSON text; its arrays are saved as
    out/fit_<index>_<name>.npy. `budget` holds the bytes of arrays still allowed."""
    bound = dict(zip(_FIT_PARAMS, args, strict=False)) | kw
    unsupported = [k for k in bound if k not in _FIT_PARAMS]
    options: dict[str, Any] = {}
    for name in PLAIN_ARGS:
        value = bound.get(name)
        if value is None:
            continue
        if isinstance(value, (*_PLAIN, np.generic)):
            options[name] = _plain(value)
        else:
            unsupported.append(name)
    if bound.get("class_weight") is not None:
        try:
            options["class_weight"] = {
                str(int(k)): float(v) for k, v in dict(bound["class_weight"]).items()
            }
        except Exception:  # noqa: BLE001
            unsupported.append("class_weight")
    try:
        given = list(bound.get("callbacks") or [])
    except Exception:  # noqa: BLE001
        given = []
        unsupported.append("callbacks")
    callbacks = [_callback_info(cb, unsupported) for cb in given[:50]]
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
            if arr.dtype.kind not in "biuf" or arr.size > MAX_ARRAY or arr.nbytes > budget[0]:
                raise TypeError(arr.dtype)
            budget[0] -= arr.nbytes
            np.save(OUT / f"fit_{index}_{name}.npy", arr, allow_pickle=False)
            saved.append(name)
        except Exception:  # noqa: BLE001 (a dataset, a generator, objects, too large)
            unsupported.append(f"{name} (not a plain array within the size limit)")
    record = {"options": options, "callbacks": callbacks, "arrays": saved}
    record["unsupported"] = unsupported
    return json.dumps(record)


def placeholder_history(model: Any) -> Any:
    """What a recorded fit call returns: a History of no epochs (nothing trained here)."""
    history = keras.callbacks.History()
    history.set_model(model)
    history.history, history.epoch, history.params = {}, [], {}
    return history
