"""A callback of the learner's own class, judged by what it does (runs in the sandboxed jobs).

The learner's job drives each such callback (a copy made when `fit` was called) through made-up
trainings whose logs are the grader's probe curves (grader/curves.py): `drive` calls its hooks as
Keras' fit loop does, on a stand-in model (the exercise's given model, loaded afresh) whose
weights it sets to a marker per epoch, and records per curve the epoch after which the callback
stopped the training (or none) and whose weights the model holds at the end. The inspector (no
learner code) drives the reference's EarlyStopping, built by Keras from the reference's settings,
through the same curves with the same code (`expected`), and compares (`first_difference`).

Hardening (hostile suite): the traces are made in the learner's process, so its code can forge
them (patch this module while it runs, rewrite the list). That is harmless by construction: a
callback whose traces all match counts as the reference's callback, and the inspector's training,
the one judged, then runs Keras' own EarlyStopping with the reference's settings, never the
learner's class. A forged "right" trace buys only what the right callback does; and forging it
takes knowing the curves, drawn from the grading secret and the submission's content hash, and
what EarlyStopping does on them, which is writing the callback.
"""

from __future__ import annotations

import contextlib
import copy
import io
import signal
import threading
import warnings
from pathlib import Path
from typing import Any

import keras
import numpy as np

from grader.jobs.fitrecord import REPLAYED_CALLBACKS

STAND_IN = "given.keras"  # the exercise's given model (both jobs have the file)
DRIVEN = ("EarlyStopping", "ModelCheckpoint")  # reference callbacks an own class can stand for
PROBE_FILE = "probe_checkpoint/best"  # where the inspector's ModelCheckpoint writes on the curves
MAX_DRIVEN = 3  # own callbacks driven in one job (the others are not run, as before)


class Overtime(BaseException):
    """The callback's hooks ran longer than allowed (an endless loop, most likely)."""


def stand_in() -> Any:
    with warnings.catch_warnings():  # its optimizer's state is not loaded: never used here
        warnings.simplefilter("ignore")
        return keras.models.load_model(STAND_IN, safe_mode=True)


def _mark(model: Any, marker: float) -> None:
    model.set_weights([np.full(w.shape, marker, dtype=w.dtype) for w in model.get_weights()])


def _marker(model: Any, n: int) -> int | None:
    """The epoch whose marker the weights hold (-1: before training), None: no epoch's."""
    values = {float(v) for w in model.get_weights() for v in np.unique(w)}
    if len(values) != 1:
        return None
    k = values.pop()
    return int(k) - 1 if k.is_integer() and 0 <= k <= n else None


def _saved(path: Path | None, n: int) -> int | None:
    """The epoch whose model the checkpoint file holds after a made-up training (None: no file,
    or no single epoch's model in it)."""
    if path is None or not path.is_file():
        return None
    try:
        model = stand_in()
        if path.name.endswith(".weights.h5"):
            model.load_weights(path)
        else:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                model = keras.models.load_model(path, safe_mode=True, compile=False)
        return _marker(model, n)
    except Exception:  # noqa: BLE001 (not a model, or another one)
        return None


def _one(
    callback: Any, model: Any, logs: dict[str, list[float]], file: Path | None
) -> dict[str, Any]:
    """One made-up training, hook by hook as keras.Model.fit calls them; `file`: the checkpoint
    path, emptied first and read at the end."""
    if file is not None:
        file.unlink(missing_ok=True)
    n = min(len(v) for v in logs.values())
    train_keys = [k for k in logs if not k.startswith("val_")]
    callback.set_model(model)
    callback.set_params({"verbose": 0, "epochs": n, "steps": 1})
    model.stop_training = False
    _mark(model, 0.0)
    stopped, last = None, {}
    callback.on_train_begin({})
    for epoch in range(n):
        callback.on_epoch_begin(epoch, {})
        callback.on_train_batch_begin(0, {})
        _mark(model, float(epoch + 1))  # the epoch's training
        callback.on_train_batch_end(0, {k: logs[k][epoch] for k in train_keys})
        last = {k: v[epoch] for k, v in logs.items()}
        callback.on_epoch_end(epoch, dict(last))
        if model.stop_training:
            stopped = epoch
            break
    callback.on_train_end(last)
    weights = _marker(model, n)
    return {"stopped": stopped, "weights": weights, "saved": _saved(file, n), "error": None}


def drive(
    pristine: Any,
    curves: list[dict[str, list[float]]],
    fresh: bool,
    seconds: float = 60.0,
    file: str | None = None,
) -> list[dict[str, Any]]:
    """The callback's trace on each curve; `fresh`: drive a deep copy of `pristine` per curve
    (else `pristine` itself, which Keras' own callbacks reset in on_train_begin). Stopped after
    `seconds` in all (the job's own time limit stays the last word). `file`: the checkpoint path
    whose contents are part of the trace."""
    path = Path(file) if file else None
    traces: list[dict[str, Any]] = []
    model = stand_in()
    alarm = threading.current_thread() is threading.main_thread()
    if alarm:
        previous = signal.signal(signal.SIGALRM, _overtime)
        signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        for logs in curves:
            try:
                callback = copy.deepcopy(pristine) if fresh else pristine
                traces.append(_one(callback, model, logs, path))
            except (MemoryError, Overtime):
                raise
            except BaseException as e:  # noqa: BLE001 (learner code: SystemExit too)
                error = f"{type(e).__name__}: {e}"[:300]
                traces.append({"stopped": None, "weights": None, "error": error})
    except Overtime:
        traces.append({"stopped": None, "weights": None, "error": "overtime"})
    finally:
        if alarm:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
    return traces


def _overtime(signum: int, frame: Any) -> None:
    raise Overtime()


def expected(
    name: str, config: dict[str, Any], curves: list[dict[str, list[float]]]
) -> list[dict[str, Any]]:
    """Keras' own callback `name` with the reference's settings, driven the same way (inspector);
    a ModelCheckpoint writes into the inspector's folder, with the reference's file suffix."""
    allowed = {k: v for k, v in config.items() if k in REPLAYED_CALLBACKS[name]}
    file = None
    if name == "ModelCheckpoint":
        file = PROBE_FILE + str(config.get("suffix") or ".keras")  # the reference saved to `path`
        Path(file).parent.mkdir(exist_ok=True)
        allowed["filepath"] = file
    made = getattr(keras.callbacks, name)(**allowed)
    return drive(made, curves, fresh=True, file=file)


def best_epoch(values: list[float], mode: str) -> int:
    """The first epoch with the best value (0-based)."""
    arr = np.asarray(values, dtype="float64")
    return int(np.argmax(arr) if mode == "max" else np.argmin(arr))


def first_difference(
    got: list[dict[str, Any]] | None,
    want: list[dict[str, Any]],
    curves: list[dict[str, Any]],
    config: dict[str, Any],
) -> dict[str, Any] | None:
    """Where the learner's traces first differ from the reference's (None: they all match). Epochs
    are counted from 1 as Keras prints them; `stop` None means it never stopped."""
    got = got or []
    for i, (w, curve) in enumerate(zip(want, curves, strict=False)):
        logs = curve["logs"]
        monitor = str(config.get("monitor"))
        base = {
            "curve": i,
            "kind": curve["kind"],
            "monitor": monitor,
            "epochs": min(len(v) for v in logs.values()),
            "best": best_epoch(logs.get(monitor) or [0.0], str(config.get("mode"))) + 1,
        }
        if i >= len(got):
            return base | {"what": "missing"}
        g = got[i]
        if g.get("error"):
            return base | {"what": "error", "error": str(g["error"])[:300]}
        for key, what in (("stopped", "stop"), ("weights", "weights"), ("saved", "saved")):
            if g.get(key) != w.get(key):
                return base | {"what": what, "got": _human(g.get(key)), "want": _human(w.get(key))}
    return None


def _human(epoch: Any) -> int | None:
    """A 0-based epoch as Keras prints it (from 1); -1 (before training) is 0; None stays None."""
    return int(epoch) + 1 if isinstance(epoch, int) else None


def attach_traces(
    records: list[dict[str, Any]],
    owned: dict[int, list[tuple[int, Any, bool]]],
    curves: list[dict[str, list[float]]],
    seconds: float,
    file: str | None,
    undo: Any,
) -> None:
    """Learner's job, after the entry point returned: drive each recorded callback of the
    learner's own class through the curves and add its traces to its fit call's record (the
    learner's code runs meanwhile, so the harness's `undo` puts back what it may have patched)."""
    driven = [(call, *item) for call, items in owned.items() for item in items]
    for call, position, callback, fresh in driven[:MAX_DRIVEN]:
        quiet = io.StringIO()  # what it prints on made-up curves would only confuse
        try:
            with contextlib.redirect_stdout(quiet), contextlib.redirect_stderr(quiet):
                traces = drive(callback, curves, fresh, seconds, file)
        finally:
            undo()
        with contextlib.suppress(LookupError, TypeError):  # records the learner's code mangled
            records[call]["callbacks"][position]["traces"] = traces


def judge(
    cb: dict[str, Any], references: list[tuple[str, dict[str, Any]]], curves: list[dict[str, Any]]
) -> tuple[tuple[str, dict[str, Any]] | None, dict[str, Any] | None]:
    """Inspector: ((class, settings) of the reference's callback this own one behaves as, None;
    or None, where it first behaved otherwise than the candidate it is most likely meant to be:
    one of its base classes, else the first). `references`: the reference's callbacks of the
    DRIVEN classes that the learner's call has no Keras one of."""
    if cb.get("traces") is None or not references or not curves:
        return None, None  # nothing to stand for, or not driven: not run, as before
    bases = set(cb.get("bases") or [])
    ordered = sorted(references, key=lambda r: r[0] not in bases)  # stable: else the first
    shown: dict[str, Any] | None = None
    for name, config in ordered:
        want = expected(name, config, [c["logs"] for c in curves])
        difference = first_difference(cb["traces"], want, curves, config)
        if difference is None:
            return (name, config), None
        shown = shown or difference | {"as": name, "config": config}
    return None, shown
