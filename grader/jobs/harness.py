"""Runs inside the sandbox (never in the scoring process): calls the learner's code, hands back data.

`run_learner` imports the submission and calls the exercise's entry points with the arguments
they name (`run_entry_points`). A returned model is saved as `returned.keras` and not trained
here: the inspector (grader/jobs/inspector.py, which runs no learner code) loads it in safe mode
and trains it, so the training that is judged is never the learner process's. An entry point
that trains the model it is given has its fit calls recorded here as data, answered with a
History (trained here, unjudged, only if the code reads it: grader/jobs/fitrecord.py), and run by
the inspector; an optimizer is handed back as its config (a schedule of the learner's own class
as its traced graph); a function's results as arrays. Everything is written as JSON and `.npy`
files into `out/`; the scoring process validates them (size, schema, types) and trusts none of
them blindly.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import sys
import traceback
import warnings
import zipfile
from pathlib import Path
from typing import Any

import keras
import numpy as np

from grader.jobs import ownloss
from grader.jobs.fitrecord import (
    MAX_ARRAY,
    MAX_FIT_BYTES,
    MAX_FIT_CALLS,
    OUT,
    GraderLimit,
    RecordedHistory,
    Replay,
    describe_fit,
    fit_arguments,
)
from grader.jobs.owncallback import attach_traces

# Loading a trained model without its optimizer state warns once per file: not the learner's concern.
warnings.filterwarnings("ignore", message="Skipping variable loading for optimizer")

try:  # Hardening (hostile suite): TensorFlow's failed allocation is the memory limit too.
    from tensorflow.errors import ResourceExhaustedError as _TfOom
except ImportError:  # another backend
    _TfOom = MemoryError  # type: ignore[misc,assignment]
_OOM = (MemoryError, _TfOom)


def _seed(seed: int) -> None:
    keras.utils.set_random_seed(seed)
    try:
        import tensorflow as tf

        tf.config.experimental.enable_op_determinism()
    except Exception:  # noqa: BLE001 (determinism is a best effort on other backends)
        pass


# -- Hardening (hostile suite): undo the learner's monkeypatches -------------------------------------
# The learner's code runs in this process and may replace Keras' serializers and config getters,
# numpy, json, builtins or this module's own functions to forge what is handed back. Everything
# they could replace is recorded here, at import (in the zygote, before any learner code), and
# put back before the harness describes, saves or serializes anything. Facts that decide the score
# are re-derived by the inspector anyway; this closes the simple forgeries in between.
def _keras_classes(base: type) -> list[type]:
    found, stack = [], [base]
    while stack:
        cls = stack.pop()
        if cls.__module__.startswith("keras") and cls not in found:
            found.append(cls)
            stack.extend(cls.__subclasses__())
    return found


def _snapshot() -> list[tuple[Any, dict[str, Any]]]:
    import builtins
    import pathlib
    import zipfile as zipfile_module

    from keras.src.saving import saving_lib, serialization_lib

    from grader.jobs import fitrecord, owncallback

    classes = [
        *keras.Sequential.__mro__,
        *keras.Model.__mro__,
        *_keras_classes(keras.optimizers.Optimizer),
        *_keras_classes(keras.optimizers.schedules.LearningRateSchedule),
        *_keras_classes(keras.callbacks.Callback),
        *_keras_classes(keras.losses.Loss),  # the stand-in for an own loss is one of them
        *pathlib.Path.__mro__,
        zipfile_module.ZipFile,
        fitrecord.Replay,
        fitrecord.RecordedHistory,
    ]
    owners: list[Any] = [keras.optimizers, keras.optimizers.schedules, keras.saving, keras.models]
    owners += [keras.callbacks, saving_lib, serialization_lib, pathlib, zipfile_module]
    owners += [np, json, builtins, fitrecord, ownloss, owncallback, sys.modules[__name__]]
    owners += [c for c in dict.fromkeys(classes) if c is not object]
    return [(o, dict(vars(o))) for o in owners]


def _functions(saved: list[tuple[Any, dict[str, Any]]]) -> list[tuple[Any, tuple[Any, ...]]]:
    """Every Python function among the recorded attributes, with the code it runs: swapping a
    function's __code__ (or its defaults) keeps its identity, so identity alone proves nothing."""
    found: dict[int, tuple[Any, tuple[Any, ...]]] = {}
    for _owner, attrs in saved:
        for value in attrs.values():
            parts = [value]
            if isinstance(value, staticmethod | classmethod):
                parts = [value.__func__]
            elif isinstance(value, property):
                parts = [value.fget, value.fset, value.fdel]
            for fn in parts:
                code = getattr(fn, "__code__", None)
                if code is not None and id(fn) not in found:
                    found[id(fn)] = (fn, (code, fn.__defaults__, fn.__kwdefaults__))
    return list(found.values())


def _restorer() -> tuple[Any, Any]:
    """(restore, arm): the record lives in this closure, not in a module global to rebind."""
    state: dict[str, Any] = {"pristine": [], "tasks": {}, "code": []}

    def arm() -> None:
        state["pristine"], state["tasks"] = _snapshot(), dict(JOBS)
        state["code"] = _functions(state["pristine"])

    def restore() -> None:
        for owner, saved in state["pristine"]:
            current = vars(owner)
            added = [n for n in current if n not in saved and n != "__annotations__"]
            for name in added if isinstance(owner, type) else []:
                with contextlib.suppress(AttributeError, TypeError):
                    delattr(owner, name)  # e.g. keras.Model.get_compile_config = forged
            for name, value in saved.items():
                if current.get(name, _MISSING) is not value:
                    with contextlib.suppress(AttributeError, TypeError):
                        setattr(owner, name, value)
        for fn, (code, defaults, kwdefaults) in state["code"]:
            with contextlib.suppress(AttributeError, TypeError, ValueError):
                if fn.__code__ is not code:
                    fn.__code__ = code
                if fn.__defaults__ is not defaults:
                    fn.__defaults__ = defaults
                if fn.__kwdefaults__ is not kwdefaults:
                    fn.__kwdefaults__ = kwdefaults
        if state["tasks"]:
            JOBS.clear()
            JOBS.update(state["tasks"])

    return restore, arm


_restore, _arm_restore = _restorer()


def _unshadow(obj: Any) -> None:
    """Drop instance attributes that hide the class's own describers (obj.get_config = forged)."""
    for name in ("get_config", "get_compile_config", "get_build_config", "save", "to_json"):
        with contextlib.suppress(TypeError):
            vars(obj).pop(name, None)


_MISSING = object()


def _write(name: str, data: Any) -> None:
    OUT.mkdir(exist_ok=True)
    (OUT / name).write_text(json.dumps(data, default=str, allow_nan=True))


def _error(stage: str, exc: BaseException) -> dict[str, Any]:
    """Describe an exception by the learner's own frame (file line), not ours."""
    line = None
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename.endswith("submission.py"):
            line = frame.lineno
    if isinstance(exc, SyntaxError) and exc.filename and exc.filename.endswith("submission.py"):
        line = exc.lineno
    text = f"{type(exc).__name__}: {exc}"
    info: dict[str, Any] = {"stage": stage, "type": type(exc).__name__, "message": text[:2000]}
    info["line"] = line
    if isinstance(exc, GraderLimit):  # the grader's own words: said in the learner's language
        fields = list(exc.fields.items())[:5]  # bounded as the report's facts are
        info["key"] = str(exc.key)[:100]
        info["fields"] = {str(k)[:100]: str(v)[:500] for k, v in fields}
    return info


def _load(name: str) -> np.ndarray:
    return np.load(name, allow_pickle=False)


# -- facts about Keras objects (shared by both jobs) ----------------------------------------------
# Layers and operations that pass their input through unchanged as far as the output's activation
# is concerned; the activation is read from what comes before them.
PASS_THROUGH = {
    "InputLayer",
    "Dropout",
    "SpatialDropout1D",
    "GaussianNoise",
    "GaussianDropout",
    "AlphaDropout",
    "Identity",
    "Reshape",
    "Flatten",
    "ActivityRegularization",
    "Cast",
}
ACTIVATION_NAMES = {
    "sigmoid": "sigmoid",
    "softmax": "softmax",
    "relu": "relu",
    "leakyrelu": "leaky_relu",
    "tanh": "tanh",
    "elu": "elu",
    "selu": "selu",
    "softplus": "softplus",
    "relu6": "relu6",
    "gelu": "gelu",
    "silu": "silu",
    "swish": "silu",
    "exponential": "exponential",
    "exp": "exponential",
    "linear": "linear",
    "logsoftmax": "log_softmax",
    "hardsigmoid": "hard_sigmoid",
    "prelu": "prelu",
}


def activation_name(name: str) -> str:
    """A canonical activation name: "LeakyReLU", "leaky_relu" and "LeakyRelu" read the same."""
    return ACTIVATION_NAMES.get(name.replace("_", "").lower(), name)


def _layer_activation(layer: Any) -> str | None:
    """The activation a layer itself applies ("linear" for none), or None if it has no notion."""
    name = type(layer).__name__
    if name == "Activation" or hasattr(layer, "activation"):
        act = getattr(layer, "activation", None)
        if act is None:
            return "linear"
        return activation_name(str(getattr(act, "__name__", type(act).__name__)))
    if activation_name(name) in ACTIVATION_NAMES.values():
        return activation_name(name)  # a ReLU, LeakyReLU, Softmax, ... layer
    return None


def _inputs_of(op: Any) -> list[Any]:
    nodes = getattr(op, "_inbound_nodes", None) or []
    return list(nodes[0].input_tensors) if nodes else []


def output_activation(model: Any, depth: int = 0) -> str | None:
    """What the model applies last, read from its graph: through Dropout-like layers, into nested
    models, and over separate activation layers or `keras.ops` activations (None: unknown)."""
    if depth > 20:
        return None
    if isinstance(model, keras.Sequential):
        for layer in reversed(model.layers):
            if type(layer).__name__ in PASS_THROUGH:
                continue
            return _op_activation(layer, depth)
        return "linear"
    try:
        tensor = model.outputs[0]
    except Exception:  # noqa: BLE001 (a subclassed model: read off its exported graph)
        return None
    for _ in range(500):
        op = tensor._keras_history.operation
        name = type(op).__name__
        if name in PASS_THROUGH or name == "Functional" and op is model:
            ins = _inputs_of(op)
            if not ins:
                return "linear"
            tensor = ins[0]
            continue
        return _op_activation(op, depth)
    return None


def _op_activation(op: Any, depth: int) -> str | None:
    if isinstance(op, keras.Model):
        return output_activation(op, depth + 1)
    found = _layer_activation(op)
    if found is not None:
        return found
    name = activation_name(type(op).__name__)
    return name if name in ACTIVATION_NAMES.values() else type(op).__name__


def model_facts(model: Any) -> dict[str, Any]:
    layers = []
    for layer in model.layers:
        layers.append(
            {
                "class": type(layer).__name__,
                "units": getattr(layer, "units", None),
                "activation": _layer_activation(layer),
            }
        )
    out_units: Any = None
    try:
        out_units = int(model.outputs[0].shape[-1])
    except Exception:  # noqa: BLE001 (subclassed models have no symbolic outputs)
        dense = [x for x in layers if x["units"] is not None]
        out_units = dense[-1]["units"] if dense else None
    compile_config = None
    if getattr(model, "compiled", False) and getattr(model, "optimizer", None) is not None:
        try:
            compile_config = model.get_compile_config()
        except Exception as e:  # noqa: BLE001
            compile_config = {"error": str(e)}
    try:
        inner = model._flatten_layers(include_self=False, recursive=True)
        classes = sorted({type(layer).__name__ for layer in inner})[:200]
    except Exception:  # noqa: BLE001
        classes = sorted({str(x["class"]) for x in layers})
    return {
        "class": type(model).__name__,
        "layers": layers,
        "layer_classes": classes,
        "output_units": out_units,
        "output_activation": output_activation(model),
        "compile": compile_config,
    }


def _history(hist: Any) -> dict[str, Any]:
    return {
        "history": {k: [float(v) for v in vals] for k, vals in hist.history.items()},
        "epochs_run": len(hist.epoch),
        "params": {k: v for k, v in hist.params.items() if isinstance(v, int | float | str)},
    }


def _save_model(model: Any, name: str, report: dict[str, Any]) -> None:
    try:
        model.save(OUT / name)
    except Exception as e:  # noqa: BLE001
        report.setdefault("save_errors", {})[name] = str(e)[:500]


def _predict(model: Any, x: np.ndarray, name: str) -> None:
    pred = np.asarray(model.predict(x, batch_size=256, verbose=0), dtype="float32")
    np.save(OUT / name, pred, allow_pickle=False)


MAX_CONFIG = 5_000_000  # bytes of a `.keras` archive's config.json


def archive_config(path: Path) -> Any:
    """A `.keras` archive's config.json, parsed as plain JSON (nothing deserialized). Raises
    OSError, ValueError or KeyError for a file that is not such an archive, GraderLimit for a
    config.json larger than MAX_CONFIG."""
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("config.json")
        if info.file_size > MAX_CONFIG:
            english = "the model's config.json is too large"
            size, limit = info.file_size, MAX_CONFIG
            raise GraderLimit("inspect_config_too_large", english, size=size, limit=limit)
        return json.loads(archive.read(info))


def names_own_code(path: Path) -> bool:
    """Whether the archive's config.json names a module outside Keras (the learner's own code)."""
    try:
        stack: list[Any] = [archive_config(path)]
    except Exception:  # noqa: BLE001 (not an archive, no config, not JSON)
        return False
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            module = item.get("module")
            if isinstance(module, str) and module.split(".")[0] not in ("keras", "builtins"):
                return True
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


# -- the learner's job --------------------------------------------------------------------------
class _Learner:
    def __init__(self, payload: dict[str, Any]) -> None:
        self.p = payload
        self.report: dict[str, Any] = {"calls": {}}
        self.module: Any = None
        self.undo: Any = _restore

    def call(self, name: str, *args: Any) -> tuple[bool, Any]:
        fn = getattr(self.module, name, None)
        if not callable(fn):
            self.report["calls"][name] = {
                "error": {
                    "stage": "call",
                    "type": "MissingFunction",
                    "message": f"no function named {name}",
                    "line": None,
                }
            }
            return False, None
        _seed(self.p["seed"])
        try:
            value = fn(*args)
        except _OOM:
            raise
        except BaseException as e:  # noqa: BLE001 (SystemExit, KeyboardInterrupt are graded too)
            self.report["calls"][name] = {"error": _error("call", e)}
            return False, None
        finally:
            self.undo()
        threads = _other_threads()
        if threads:
            self.report["calls"][name] = {
                "error": {
                    "stage": "call",
                    "type": "ThreadsAlive",
                    "message": f"{threads} thread(s) started by the code were still running",
                    "line": None,
                    "key": "job_threads_alive",  # said in the learner's language (checks.said)
                    "fields": {"threads": str(threads)},
                }
            }
            return False, None
        if type(value).__module__.startswith("keras"):
            _unshadow(value)
        self.report["calls"][name] = {
            "returned": type(value).__name__,
            "module": type(value).__module__,
        }
        return True, value


def _other_threads() -> int:
    """Python threads other than this one (the learner's, still running after its function
    returned: they could change what is handed back after it was checked)."""
    import threading

    me = threading.get_ident()
    return sum(1 for ident in sys._current_frames() if ident != me)


def reseed(model: Any, seed: int) -> None:
    """Hardening (hostile suite): before a training, seed Keras and every SeedGenerator of the
    model (Dropout, noise layers) from the grader's seed, not from whatever the learner's code
    drew first: the inspector can then replay the training exactly."""
    _seed(seed)
    n = 0
    for layer in model._flatten_layers(include_self=True, recursive=True):
        for value in list(vars(layer).values()):
            if isinstance(value, keras.random.SeedGenerator):
                value.state.assign(np.array([seed * 1000 + n, 0], dtype=value.state.dtype))
                n += 1


def run_learner(payload: dict[str, Any], _undo: Any = _restore) -> None:
    """Import submission.py, call the exercise's entry points, write out/report.json and files."""
    OUT.mkdir(exist_ok=True)
    job = _Learner(payload)
    job.undo = _undo  # bound before any learner code runs: rebinding _restore changes nothing
    try:
        sys.path.insert(0, os.getcwd())
        spec = importlib.util.spec_from_file_location("submission", "submission.py")
        assert spec and spec.loader
        job.module = importlib.util.module_from_spec(spec)
        _seed(payload["seed"])
        spec.loader.exec_module(job.module)
    except _OOM:
        raise
    except BaseException as e:  # noqa: BLE001
        job.report["import_error"] = _error("import", e)
        _undo()
        _write("report.json", job.report)
        return
    _undo()
    JOBS["run"](job)
    _undo()
    _write("report.json", job.report)


def _export(job: _Learner, model: Any, x: np.ndarray) -> None:
    """A model of the learner's own classes cannot be loaded without its code: hand back the graph
    its call() traces to, as a SavedModel (TensorFlow operations, no Python), which the inspector
    checks and trains (grader/jobs/exported.py)."""
    try:
        _seed(job.p["seed"])
        model(x[:1])  # a subclassed model is only traced once it has been called
        model.export(str(OUT / "returned_sm"), format="tf_saved_model", verbose=False)
    except _OOM:
        raise
    except BaseException as e:  # noqa: BLE001 (its call() is learner code)
        message = f"{type(e).__name__}: {e}"  # the scoring side says what failed
        job.report.setdefault("save_errors", {})["returned_sm"] = message[:500]
    finally:
        job.undo()


def _compile_mismatch(model: Any) -> dict[str, str] | None:
    """Hardening (hostile suite): the inspector trains what the saved compile config says, so the
    config must be the one the model really uses (a rewritten model._compile_config is not).
    Returns what differs: kind "optimizer" or "loss" (with said/uses), or "unreadable"."""
    if not getattr(model, "compiled", False) or getattr(model, "optimizer", None) is None:
        return None
    try:
        config = model.get_compile_config() or {}
        said = keras.optimizers.serialize(keras.optimizers.get(config.get("optimizer")))
        live = keras.optimizers.serialize(model.optimizer)
        said_loss = config.get("loss")
        live_loss = keras.saving.serialize_keras_object(model.loss)
    except Exception as e:  # noqa: BLE001
        return {"kind": "unreadable", "said": f"{type(e).__name__}: {e}"[:300], "uses": ""}
    if said["class_name"] != live["class_name"]:
        return {"kind": "optimizer", "said": said["class_name"], "uses": live["class_name"]}
    as_text = [json.dumps(v, sort_keys=True, default=str) for v in (said_loss, live_loss)]
    if as_text[0] != as_text[1]:
        return {"kind": "loss", "said": as_text[0][:200], "uses": as_text[1][:200]}
    return None


# The checkpoint path handed to an entry point (`path`); a ModelCheckpoint writing there is
# recorded as writing to "path", one writing elsewhere by its file name.
CHECKPOINT_PATH = "checkpoint/best.keras"


def _where(filepath: str) -> str:
    if os.path.realpath(filepath) == os.path.realpath(CHECKPOINT_PATH):
        return "path"
    return os.path.basename(filepath)[-100:]


def _given_model() -> Any:
    """The model the exercise hands over (built, and trained where it says, by the grader's own
    job, cached, and loaded here in safe mode before any entry point runs)."""
    return keras.models.load_model("given.keras", safe_mode=True)


def _fit_owner(model: Any) -> type:
    """The class whose `fit` the model runs: patched there too, so that `keras.Model.fit(model,
    ...)` is recorded like `model.fit(...)`."""
    return next(c for c in type(model).__mro__ if "fit" in vars(c))


def _recorded_call(job: _Learner, name: str, model: Any, args: list[Any]) -> None:
    """An entry point that trains the model handed over: its fit calls on that model are recorded,
    not run (grader/jobs/fitrecord.py); the inspector runs them on its own copy. Code that reads
    a History runs the calls made so far here too (`Replay`), for itself: nothing of it is judged."""
    first_optimizer = model.optimizer
    owner = _fit_owner(model)
    real_fit = vars(owner)["fit"]
    frozen: list[str] = []  # JSON text, one per call, fixed when the call is made
    returned: list[Any] = []
    owned: dict[int, list[tuple[int, Any, bool]]] = {}  # callbacks of the learner's own classes
    budget = [MAX_FIT_BYTES]

    def run_fit(bound: dict[str, Any]) -> Any:
        reseed(model, job.p["seed"])  # as the inspector seeds its run of the same call
        try:
            return real_fit(model, **bound)
        finally:
            model.history = returned[-1]  # Keras set its own; the code sees the recorded one

    replay = Replay(run_fit)

    def recording_fit(self: Any, *args: Any, **kw: Any) -> Any:
        if self is not model:  # another model of the learner's: not judged, trained as asked
            return real_fit(self, *args, **kw)
        if len(frozen) >= MAX_FIT_CALLS:
            english = f"model.fit was called more than {MAX_FIT_CALLS} times"
            raise GraderLimit("job_fit_calls", english, n=MAX_FIT_CALLS)
        kept: dict[str, np.ndarray] = {}
        owned[len(frozen)] = []
        text = describe_fit(args, kw, len(frozen), budget, kept, owned[len(frozen)])
        if model.optimizer is not first_optimizer:  # compiled again by the learner's code
            record = json.loads(text)
            try:
                record["compile"] = model.get_compile_config()
                text = json.dumps(record, default=str)
            except Exception:  # noqa: BLE001
                record["unsupported"].append("compile")
                text = json.dumps(record, default=str)
        frozen.append(text)
        history = RecordedHistory(model, replay)
        replay.pending.append((history, fit_arguments(args, kw, kept)))
        model.history = history
        returned.append(history)
        return history

    owner.fit = recording_fit  # type: ignore[attr-defined]
    try:
        ok, value = job.call(name, *args)
    finally:
        Replay.close(replay)  # the class's own (restored): from here on a read trains nothing
        owner.fit = real_fit  # type: ignore[attr-defined]
    job.report["fit_calls"] = records = [json.loads(t) for t in frozen]
    for record in records:
        for cb in record.get("callbacks", []):
            if isinstance(cb.get("config"), dict) and "filepath" in cb["config"]:
                cb["config"]["filepath"] = _where(str(cb["config"]["filepath"]))
    if job.p.get("callback_curves") and any(owned.values()):
        seconds = float(job.p.get("callback_seconds") or 10)
        paths = any("path" in e["args"] for e in job.p["entry_points"])
        saves_to = CHECKPOINT_PATH if paths else None  # the file a checkpoint is asked to write
        attach_traces(records, owned, job.p["callback_curves"], seconds, saves_to, job.undo)
    if ok:  # the History of which call, by identity (its class name proves nothing)
        index = next((i for i, h in enumerate(returned) if h is value), None)
        job.report["calls"][name]["history_of_call"] = index


def _returned_model(
    job: _Learner, name: str, args: list[Any], x: np.ndarray, y: np.ndarray
) -> None:
    ok, model = job.call(name, *args)
    if not ok or not isinstance(model, keras.Model):
        return
    job.report["facts"] = model_facts(model)
    mismatch = _compile_mismatch(model)
    if mismatch:  # nothing is handed back: the model cannot be checked
        job.report["compile_mismatch"] = mismatch
        return
    own = ownloss.own_loss(model) if getattr(model, "compiled", False) else None
    if own is None:
        _save_model(model, "returned.keras", job.report)
    else:  # its behaviour as a graph; the file names a Keras stand-in (grader/jobs/ownloss.py)
        job.report["own_loss"] = ownloss.name_of(own)
        _export_loss(job, model, own, y)
        with ownloss.stand_in(model):
            _save_model(model, "returned.keras", job.report)
    if names_own_code(OUT / "returned.keras"):
        _export(job, model, x)


def _export_loss(job: _Learner, model: Any, loss: Any, y: np.ndarray) -> None:
    """Hardening (hostile suite): a folder the learner's code wrote there is not handed back:
    the graph is written afresh, and nothing is left where the export failed."""
    import shutil

    folder = OUT / "loss_sm"
    try:
        shutil.rmtree(folder, ignore_errors=True)
        shape = ownloss.output_shape(model, job.report["facts"]["output_units"])
        ownloss.export(loss, y, shape, folder)
    except _OOM:
        raise
    except BaseException as e:  # noqa: BLE001 (the loss is learner code, run while tracing)
        shutil.rmtree(folder, ignore_errors=True)
        lines = str(e).strip().splitlines()  # TensorFlow's error ends with what went wrong
        last = lines[-1].strip() if lines else ""
        kind = type(e).__name__
        message = last if last.startswith(kind) else f"{kind}: {last}"
        job.report.setdefault("save_errors", {})["loss_sm"] = message[:500]
    finally:
        job.undo()


def _returned_optimizer(job: _Learner, name: str, args: list[Any]) -> None:
    ok, opt = job.call(name, *args)
    if not ok:
        return
    kind = None
    # Hardening (hostile suite): only Keras' own classes, whose config is their behaviour (a
    # subclass could describe itself as anything). A schedule of the learner's own class is
    # handed back as the graph its __call__ traces to (TensorFlow operations, no Python), which
    # the inspector runs at the steps it chooses (a schedule judged by what it computes).
    inner = getattr(opt, "_learning_rate", None)
    own = False
    if isinstance(inner, keras.optimizers.schedules.LearningRateSchedule):
        _unshadow(inner)
        own = type(inner) not in _SCHEDULES
        if own:
            job.report["own_schedule"] = type(inner).__name__[:100]
            _export_schedule(job, inner)
    if type(opt) in _OPTIMIZERS:
        kind = "optimizer"
        config = _optimizer_config(opt, own)
    elif type(opt) in _SCHEDULES:
        kind = "schedule"
        config = keras.optimizers.schedules.serialize(opt)
    elif isinstance(opt, keras.optimizers.schedules.LearningRateSchedule):
        kind = "schedule"
        config = {"own": type(opt).__name__[:100]}
    if kind:
        job.report["object_kind"] = kind
        _write("object.json", config)


def _optimizer_config(opt: Any, own_schedule: bool) -> dict[str, Any]:
    """Keras' serialization of the optimizer; a schedule of the learner's own class is replaced by
    a placeholder (its behaviour is in the exported graph, never in its config)."""
    if own_schedule:
        config = opt.get_config()
        config["learning_rate"] = 0.0  # a stand-in: the exported graph is the schedule
        return dict(keras.optimizers.serialize(type(opt).from_config(config)))
    return dict(keras.optimizers.serialize(opt))


def _export_schedule(job: _Learner, schedule: Any) -> None:
    import tensorflow as tf

    try:
        module = tf.Module()
        module.rate = tf.function(
            lambda step: tf.cast(schedule(step), tf.float32),
            input_signature=[tf.TensorSpec([], tf.int64)],
        )
        module.rate.get_concrete_function()
        tf.saved_model.save(module, str(OUT / "schedule_sm"))
    except _OOM:
        raise
    except BaseException as e:  # noqa: BLE001 (its __call__ is learner code)
        message = f"{type(e).__name__}: {e}"  # the scoring side says what failed
        job.report.setdefault("save_errors", {})["schedule_sm"] = message[:500]
    finally:
        job.undo()


def _returned_values(job: _Learner, name: str, args: list[str], given: dict[str, Any]) -> None:
    """A function's results: once on the grader's data, or once per probe (arguments from the
    exercise's YAML, a fresh copy for each call). Each result is described, and numbers are saved
    as out/value_<name>_<i>.npy."""
    probes = job.p.get("probes") or [{}]
    uses_probes = any(a not in given for a in args)
    described: list[dict[str, Any]] = []
    job.report.setdefault("values", {})[name] = described
    first_error: dict[str, Any] | None = None
    for i, probe in enumerate(probes if uses_probes else [{}]):
        values = [json.loads(json.dumps(probe[a])) if a in probe else given[a] for a in args]
        ok, value = job.call(name, *values)
        info = job.report["calls"][name]
        if not ok:
            described.append({"kind": "error", "error": info.get("error")})
            first_error = first_error or info
            continue
        described.append(_describe_value(value, f"value_{name}_{i}.npy"))
    if first_error is not None:
        job.report["calls"][name] = first_error


def _describe_value(value: Any, file: str) -> dict[str, Any]:
    if value is None:
        return {"kind": "none"}
    if isinstance(value, dict):
        return {"kind": "dict", "keys": sorted(str(k)[:50] for k in value)[:20]}
    kind = type(value).__name__[:100]
    other = {"kind": "other", "type": kind}
    try:
        arr = np.asarray(value)
        if arr.dtype.kind not in "biuf":
            fields = {"type": kind, "dtype": str(arr.dtype)[:100]}
            english = f"not numbers (dtype {arr.dtype})"
            return other | {"error": english, "key": "job_value_not_numbers", "fields": fields}
        if arr.size > MAX_ARRAY:
            fields = {"type": kind, "size": str(arr.size), "limit": str(MAX_ARRAY)}
            english = f"{arr.size} numbers, more than the {MAX_ARRAY} the grader reads"
            return other | {"error": english, "key": "job_value_too_large", "fields": fields}
        np.save(OUT / file, arr, allow_pickle=False)
        return {"kind": "array", "file": file}
    except Exception as e:  # noqa: BLE001
        return other | {"error": str(e)[:300]}


def arguments(x: Any, y: Any, n_val: int, x_test: Any) -> dict[str, Any]:
    """The values an entry point may ask for by name (grader/exercises.py ARGUMENTS), but the
    model and the held-out labels, which not every exercise hands over."""
    cut = len(x) - n_val
    return {
        "x": x,
        "y": y,
        "x_train": x[:cut],
        "y_train": y[:cut],
        "x_val": x[cut:],
        "y_val": y[cut:],
        "x_test": x_test,
        "input_dim": int(x.shape[1]),
        "timesteps": int(x.shape[1]),
        "features": int(x.shape[-1]),
        "path": CHECKPOINT_PATH,
    }


def run_entry_points(job: _Learner) -> None:
    """Call each entry point with the arguments it names (grader/exercises.py ARGUMENTS)."""
    x, y = _load("x_train.npy"), _load("y_train.npy")
    given = arguments(x, y, int(job.p.get("n_val") or 0), _load("x_test.npy"))
    if Path("y_test.npy").is_file():
        given["y_test"] = _load("y_test.npy")
    entries = job.p["entry_points"]
    if any("path" in e["args"] for e in entries):
        Path(CHECKPOINT_PATH).parent.mkdir(exist_ok=True)  # the learner may write there too
    if any("model" in e["args"] for e in entries):
        given["model"] = _given_model()
    for entry in entries:
        name, returns = entry["name"], entry["returns"]
        _seed(job.p["seed"])
        if returns == "value":
            _returned_values(job, name, entry["args"], given)
            continue
        args = [given[a] for a in entry["args"]]
        if returns == "history":
            _recorded_call(job, name, given["model"], args)
        elif returns == "model":
            _returned_model(job, name, args, x, y)
        else:
            _returned_optimizer(job, name, args)
        job.undo()


JOBS = {"run": run_entry_points}
_OPTIMIZERS = frozenset(_keras_classes(keras.optimizers.Optimizer))
_SCHEDULES = frozenset(_keras_classes(keras.optimizers.schedules.LearningRateSchedule))


# Taken last, at import in the zygote: this module complete, no learner code run yet.
_arm_restore()
