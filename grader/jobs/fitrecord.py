"""The learner's `model.fit` calls, recorded as data (runs in the learner's job, in the sandbox).

Each call is described (its options, its callbacks and the arrays passed) and answered with a
`RecordedHistory`. The inspector (grader/jobs/inspector.py, no learner code) runs the described
calls on the grader's own starting model; that training is the only one judged. A description is
frozen to JSON text the moment the call is made, so changing a callback or an array afterwards
changes nothing.

Nothing is trained in the learner's process unless its code looks inside a History (its
`history`, `epoch`, `params` or `model`): the first such read runs every recorded call not yet run
for real here, in the order they were made, on the model handed over (seeded as the inspector
seeds its run, with the arrays as they were at the call), and fills each call's History. Code
that reads the values, branches on them or calls fit again then sees what Keras would show; the
calls it makes afterwards are recorded like the first. Nothing from this run is judged: the model
it trains, the History it fills and whatever the code does with them stay in the learner's
process. Once the entry point has returned, a read no longer trains (the harness never runs
learner callbacks).
"""

from __future__ import annotations

import copy
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


class GraderLimit(Exception):
    """A limit of the grader's own, met in a job (too many fit calls, too large a file): its
    message catalogue key and fields, rendered in the learner's language by the scoring side
    (the jobs hold no catalogue); the English text is the exception's message."""

    def __init__(self, key: str, english: str, **fields: object) -> None:
        super().__init__(english)
        self.key = key
        self.fields = {k: str(v) for k, v in fields.items()}


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
    if not own:  # the learner's own class: judged by what it does (grader/jobs/owncallback.py)
        info["bases"] = [c.__name__[:100] for c in type(cb).__mro__[1:8]]
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


def _frozen(cb: Any) -> tuple[Any, bool]:
    """A copy of a callback as it is at the fit call (its later use changes nothing), or the
    object itself when it cannot be copied."""
    try:
        return copy.deepcopy(cb), True
    except Exception:  # noqa: BLE001 (learner code: a lock, a file, a __deepcopy__ that fails)
        return cb, False


_FIT_PARAMS = list(inspect.signature(keras.Model.fit).parameters)[1:]  # after self


def describe_fit(
    args: tuple[Any, ...],
    kw: dict[str, Any],
    index: int,
    budget: list[int],
    kept: dict[str, np.ndarray] | None = None,
    own: list[tuple[int, Any, bool]] | None = None,
) -> str:
    """What one model.fit call asked for, as JSON text; its arrays are saved as
    out/fit_<index>_<name>.npy (and copied into `kept`, for a run in the learner's process).
    `budget` holds the bytes of arrays still allowed. Callbacks of the learner's own classes go
    into `own` as (position, copy made now, whether it is a copy), to be driven later."""
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
    for i, (cb, info) in enumerate(zip(given, callbacks, strict=False)):
        if own is not None and not info["keras"] and isinstance(cb, keras.callbacks.Callback):
            own.append((i, *_frozen(cb)))
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
            if kept is not None:
                kept[name] = arr.copy()
        except Exception:  # noqa: BLE001 (a dataset, a generator, objects, too large)
            unsupported.append(f"{name} (not a plain array within the size limit)")
    record = {"options": options, "callbacks": callbacks, "arrays": saved}
    record["unsupported"] = unsupported
    return json.dumps(record)


def fit_arguments(
    args: tuple[Any, ...], kw: dict[str, Any], kept: dict[str, np.ndarray]
) -> dict[str, Any]:
    """A fit call's arguments by name, its arrays replaced by the copies made at the call."""
    bound = dict(zip(_FIT_PARAMS, args, strict=False)) | kw
    for name in ("x", "y", "sample_weight"):
        if name in kept:
            bound[name] = kept[name]
    if "vx" in kept and "vy" in kept:
        bound["validation_data"] = (kept["vx"], kept["vy"])
    return bound


class Replay:
    """The recorded calls not yet run in the learner's process; `run` trains them, in order."""

    def __init__(self, run_fit: Any) -> None:
        self.run_fit = run_fit  # (arguments by name) -> Keras' own History of the real run
        self.pending: list[tuple[RecordedHistory, dict[str, Any]]] = []
        self.open, self.running = True, False

    def run(self) -> None:
        if not self.open or self.running:  # after the entry point, or read during the run
            return
        self.running = True
        try:
            while self.pending and self.open:  # a callback's own fit call joins the queue
                history, bound = self.pending.pop(0)
                history._fill(self.run_fit(bound))
        finally:
            self.running = False

    def close(self) -> None:
        self.open = False
        self.pending.clear()


class RecordedHistory(keras.callbacks.History):
    """What a recorded fit call returns: a Keras History, empty until its contents are read in
    the entry point; that read runs the recorded calls for real (`Replay`) and fills it."""

    def __init__(self, model: Any, replay: Replay) -> None:
        self.__dict__["_contents"] = {"history": {}, "epoch": [], "params": {}}
        self.__dict__["_replay"] = replay
        super().__init__()
        self.params = {}
        self.set_model(model)

    def _read(self, name: str) -> Any:
        self.__dict__["_replay"].run()
        return self.__dict__["_contents"][name]

    def _fill(self, real: Any) -> None:
        contents = self.__dict__["_contents"]
        contents["history"], contents["epoch"] = real.history, real.epoch
        contents["params"] = real.params

    def _write(self, name: str, value: Any) -> None:
        self.__dict__["_contents"][name] = value

    history = property(lambda self: self._read("history"), lambda s, v: s._write("history", v))
    epoch = property(lambda self: self._read("epoch"), lambda s, v: s._write("epoch", v))
    params = property(lambda self: self._read("params"), lambda s, v: s._write("params", v))

    @property
    def model(self) -> Any:
        self.__dict__["_replay"].run()
        return self._model
