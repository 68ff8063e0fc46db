"""The inspector's job (runs in the sandbox, never in the scoring process): no learner code runs here.

It loads what the learner's process handed back (`.keras` files with safe_mode=True, optimizer
configs, recorded fit calls) and does the training that decides the score:
- a returned model gets fresh seeded weights and is trained on the seeded data (the learner's
  process just builds and saves it);
- recorded fit calls are run on the exercise's given model (built by `build_given`), with
  callbacks from a frozen allow-list, and what that run used and observed is reported;
- an optimizer's config gives its hyperparameters and its learning rate at the grader's steps.
"""

from __future__ import annotations

import inspect as pyinspect
import json
import math
from pathlib import Path
from typing import Any

import keras
import numpy as np

from grader.facts import FIT_ARRAYS
from grader.jobs import lossprobe
from grader.jobs.exported import NotCheckable, _shape_gradients, load_exported
from grader.jobs.fitrecord import CHECKPOINT_SUFFIXES, PLAIN_ARGS, REPLAYED_CALLBACKS
from grader.jobs.harness import (
    _OOM,
    CHECKPOINT_PATH,
    OUT,
    _error,
    _history,
    _load,
    _predict,
    _seed,
    _write,
    model_facts,
    names_own_code,
    output_activation,
    reseed,
)
from grader.jobs.owncallback import DRIVEN, judge


def _safe_load(path: Path) -> tuple[Any, dict[str, Any] | None]:
    if not path.is_file():
        return None, None
    try:
        return keras.models.load_model(path, safe_mode=True, compile=True), None
    except Exception as e:  # noqa: BLE001
        text = f"{type(e).__name__}: {e}"
        unsafe = "safe_mode" in text or "Lambda" in text or "unsafe" in text
        # Hardening (hostile suite): "custom" (classes or functions of the learner's own, which
        # only its code can load: checked from its exported graph, see grader/jobs/exported.py) is
        # told apart from a broken or forged file ("unloadable": it earns nothing).
        kind = "unsafe" if unsafe else "custom" if names_own_code(path) else "unloadable"
        return None, {"kind": kind, "message": text[:1000]}


# Exported graphs (a model of the learner's own classes) carry their variables by name only.
_ZEROS = ("bias", "beta", "moving_mean")
_ONES = ("gamma", "moving_variance")
_GLOROT = ("kernel", "recurrent_kernel", "embeddings", "depthwise_kernel", "pointwise_kernel")


def fresh_weights(model: Any, seed: int, exported: bool = False, loss: Any = None) -> Any:
    """Hardening (hostile suite): the handed-back weights are never trained on. A model fitted
    in the learner's process, or set by hand, starts again from the grader's seeded initial
    weights (a clone of its layers, compiled with its own settings; a fresh optimizer too;
    `loss`: the one that stands for a loss of the learner's own, see grader/jobs/lossprobe.py)."""
    keras.utils.set_random_seed(seed)
    if exported:
        for n, v in enumerate(model.weights):
            name = v.name.split("/")[-1].split(":")[0]
            if name.endswith(_ZEROS):
                v.assign(np.zeros(v.shape, dtype=v.dtype))
            elif name.endswith(_ONES):
                v.assign(np.ones(v.shape, dtype=v.dtype))
            elif "seed_generator" in name and tuple(v.shape) == (2,):  # a layer's RNG state
                v.assign(np.array([seed + n, 0], dtype=v.dtype))
            elif name.endswith(_GLOROT) and len(v.shape) >= 2:
                v.assign(keras.initializers.GlorotUniform(seed=seed + n)(v.shape, dtype=v.dtype))
            else:
                raise NotCheckable("inspect_variable_not_reinitialisable", name=repr(name))
        return model
    config = model.get_compile_config()
    from keras.src.saving.serialization_lib import SafeModeScope

    if loss is not None:  # cloned as not compiled: clone_model would compile from the config
        model.compiled = False
        try:
            clone = keras.models.clone_model(model)
        finally:
            model.compiled = True
        lossprobe.compile_with(clone, config, loss)
        return clone
    clone = keras.models.clone_model(model)
    with SafeModeScope(True):
        clone.compile_from_config(config)
    return clone


def _train(model: Any, payload: dict[str, Any], facts: dict[str, Any], loss: Any = None) -> None:
    """Train the returned model as the exercise says (seeded), then predict the held-out inputs."""
    x, y = _load("x_train.npy"), _load("y_train.npy")
    facts["trained"] = True
    try:
        exported = bool(facts.get("exported"))
        model = fresh_weights(model, payload["seed"], exported=exported, loss=loss)
        reseed(model, payload["seed"])
        hist = model.fit(x, y, epochs=payload["epochs"], batch_size=32, verbose=0)
        facts["fit"] = _history(hist)
    except _OOM:
        raise
    except NotCheckable as e:
        facts["returned_error"] = e.load_error()
        facts["trained"] = False
        return
    except Exception as e:  # noqa: BLE001 (e.g. a loss that does not fit the labels)
        facts["fit_error"] = _error("fit", e)
        return
    try:
        _predict(model, _load("x_test.npy"), "pred.npy")
        _metric_facts(model, x, y, facts)
    except Exception as e:  # noqa: BLE001
        facts["predict_error"] = _error("predict", e)


def _metric_facts(model: Any, x: np.ndarray, y: np.ndarray, facts: dict[str, Any]) -> None:
    """What each compiled metric reports on training rows, and what accuracy, MAE and MSE of the
    same predictions are: a metric is judged by what it computes, not by its name."""
    n = min(len(x), 512)
    out = model.predict(x[:n], batch_size=256, verbose=0)
    # The compiled metrics updated on these predictions, as evaluate() would (its own loop and
    # compiled function cost a tenth of the job, bench/RESULTS.md session 6).
    model.reset_metrics()
    values = model.compute_metrics(x[:n], y[:n], out)
    values = {k: float(np.asarray(v)) for k, v in values.items() if k != "loss"}
    pred = np.asarray(out, dtype="float64")
    truth = (y[:n].argmax(axis=-1) if y.ndim == 2 else y[:n]).astype("float64").reshape(-1)
    if pred.ndim == 2 and pred.shape[1] > 1:
        labels = pred.argmax(axis=-1)
    else:
        labels = (pred.reshape(-1) > 0.5).astype("float64")
    flat = pred.reshape(len(pred), -1)[:, 0]
    facts["metric_values"] = {
        str(k)[:100]: float(v) for k, v in list(values.items())[:20] if k != "loss"
    }
    facts["metric_truth"] = {
        "accuracy": float(np.mean(labels.reshape(-1) == truth)),
        "mae": float(np.mean(np.abs(flat - truth))),
        "mse": float(np.mean((flat - truth) ** 2)),
    }


KERAS_DEFAULT_BATCH = 32  # what Keras' fit() uses when batch_size is not given
FIT_DEFAULTS = {
    name: p.default
    for name, p in pyinspect.signature(keras.Model.fit).parameters.items()
    if p.default is not pyinspect.Parameter.empty
}


def _used_config(obj: Any, name: str, given: dict[str, Any]) -> dict[str, Any]:
    """A callback's settings as it used them: "auto" mode read as the direction it chose."""
    used = {k: getattr(obj, k, given.get(k)) for k in REPLAYED_CALLBACKS[name]}
    used = {k: v.item() if isinstance(v, np.generic) else v for k, v in used.items()}
    if "mode" in used:
        op = getattr(obj, "monitor_op", None)
        used["mode"] = (
            "min" if op is keras.ops.less else "max" if op is keras.ops.greater else used["mode"]
        )
    for key in ("suffix", "filepath"):  # as the learner's code gave them
        if key in given:
            used[key] = given[key]
    return used


def _build_callbacks(
    call: dict[str, Any], index: int, payload: dict[str, Any]
) -> tuple[list[Any], list[dict[str, Any]]]:
    """Keras' own callbacks from the frozen allow-list, with the allowed attributes only; the
    others (logs, progress bars) are not run here. A callback of the learner's own class whose
    traces on the probe curves match those of the reference's EarlyStopping is run as Keras'
    EarlyStopping with the reference's settings (grader/jobs/owncallback.py); its class never is."""
    built, seen = [], []
    refs = payload.get("callback_reference") or []
    have = {cb["class"] for cb in call["callbacks"] if cb.get("keras")}
    wanted = [
        (str(c["class"]), dict(c["config"]))
        for c in (refs[min(index, len(refs) - 1)] if refs else [])
        if c["class"] in DRIVEN and c["class"] not in have
    ]
    for cb in call["callbacks"]:
        name, config = cb["class"], cb.get("config")
        info: dict[str, Any] = {"class": name, "keras": bool(cb.get("keras")), "run": False}
        if not cb.get("keras"):
            info["bases"] = list(cb.get("bases") or [])[:10]
            matched, behaviour = judge(cb, wanted, payload.get("callback_curves") or [])
            if behaviour is not None:
                info["behaviour"] = behaviour
            if matched is not None:
                wanted.remove(matched)
                info["own_class"] = name
                name, config = matched
                if name == "ModelCheckpoint":  # it saved where it was asked to: `path`
                    suffix = next(x for x in CHECKPOINT_SUFFIXES if CHECKPOINT_PATH.endswith(x))
                    config = config | {"suffix": suffix, "filepath": "path"}
                info |= {"class": name, "keras": True}
                cb = {"class": name, "keras": True, "config": config}
        allowed = REPLAYED_CALLBACKS.get(name)
        if cb.get("keras") and allowed is not None and config is not None:
            kwargs = {k: config[k] for k in allowed if k in config}
            if name == "ModelCheckpoint":
                Path("ckpt").mkdir(exist_ok=True)
                suffix = config.get("suffix")
                if suffix not in CHECKPOINT_SUFFIXES:
                    seen.append(info)
                    continue
                kwargs["filepath"] = f"ckpt/fit_{index}{suffix}"
            obj = getattr(keras.callbacks, name)(**kwargs)
            built.append(obj)
            shown = kwargs | ({"filepath": config.get("filepath")} if "filepath" in kwargs else {})
            info |= {"run": True, "config": shown, "object": obj}
        seen.append(info)
    return built, seen


def _validation(
    arrays: dict[str, np.ndarray], options: dict[str, Any], full_x: np.ndarray
) -> dict[str, Any]:
    """How this call validates, as the inspector sees the arrays it was handed."""
    x = arrays.get("x")
    n = len(x) if x is not None else 0
    if "vx" in arrays and "vy" in arrays:
        vx = arrays["vx"]
        rows = len(vx)
        tail = rows <= len(full_x) and bool(np.array_equal(vx, full_x[len(full_x) - rows :]))
        seen = {r.tobytes() for r in np.asarray(x).reshape(n, -1)} if x is not None else set()
        overlap = sum(r.tobytes() in seen for r in np.asarray(vx).reshape(rows, -1))
        share = rows / (n + rows) if n + rows else 0.0
        return {"kind": "data", "share": share, "rows": rows, "tail": tail, "overlap": overlap}
    split = float(options.get("validation_split") or 0.0)
    if split > 0:
        rows = n - int(math.ceil(n * (1.0 - split)))  # where Keras' validation_split cuts
        whole = x is not None and len(x) == len(full_x) and bool(np.array_equal(x, full_x))
        return {"kind": "split", "share": split, "rows": rows, "tail": whole, "overlap": 0}
    return {"kind": "none", "share": 0.0, "rows": 0, "tail": False, "overlap": 0}


def run_fit_calls(payload: dict[str, Any], facts: dict[str, Any]) -> None:
    """The learner's recorded fit calls, run here on the grader's own starting model: the only
    training judged, and every fact judged about it is observed here (options and callbacks as built
    here, the epochs run, EarlyStopping's stop, the weights it ends with)."""
    path = Path("fit_calls.json")
    calls = json.loads(path.read_text()) if path.is_file() else []
    full_x = _load("x_train.npy")
    model = keras.models.load_model("given.keras", safe_mode=True)
    runs: list[dict[str, Any]] = []
    facts["fit_runs"] = runs
    last_val: tuple[np.ndarray, np.ndarray] | None = None
    for i, call in enumerate(calls):
        run: dict[str, Any] = {"unsupported": list(call["unsupported"])}
        runs.append(run)
        if call["unsupported"]:
            continue
        arrays = {n: _load(f"fit_{i}_{n}.npy") for n in call["arrays"] if n in FIT_ARRAYS}
        options = {k: v for k, v in call["options"].items() if k in PLAIN_ARGS}
        if "class_weight" in call["options"]:
            options["class_weight"] = {
                int(k): v for k, v in call["options"]["class_weight"].items()
            }
        if "vx" in arrays and "vy" in arrays:
            options["validation_data"] = (arrays["vx"], arrays["vy"])
        if "sample_weight" in arrays:
            options["sample_weight"] = arrays["sample_weight"]
        run["validation"] = _validation(arrays, options, full_x)
        shown = {k: options.get(k, FIT_DEFAULTS.get(k)) for k in PLAIN_ARGS}
        shown["batch_size"] = shown["batch_size"] or KERAS_DEFAULT_BATCH
        shown["class_weight"] = "class_weight" in options
        shown["sample_weight"] = "sample_weight" in options
        run["options"] = shown
        try:
            if call.get("compile"):
                from keras.src.saving.serialization_lib import SafeModeScope

                with SafeModeScope(True):
                    model.compile_from_config(call["compile"])
                run["recompiled"] = True
            callbacks, seen = _build_callbacks(call, i, payload)
            reseed(model, payload["seed"])
            hist = model.fit(
                arrays.get("x"), arrays.get("y"), callbacks=callbacks, verbose=0, **options
            )
        except _OOM:
            raise
        except Exception as e:  # noqa: BLE001 (e.g. a shape the model does not take)
            run["error"] = f"{type(e).__name__}: {e}"[:1000]
            continue
        for info in seen:
            obj = info.pop("object", None)
            if obj is not None:
                info["config"] = _used_config(obj, info["class"], info["config"])
            if obj is not None and hasattr(obj, "stopped_epoch"):
                info["stopped_epoch"] = int(obj.stopped_epoch)
        run["callbacks"] = seen
        run["history"] = _history(hist)
        run["checkpoints"] = sorted(p.name for p in Path("ckpt").glob(f"fit_{i}*"))
        if "validation_data" in options:
            last_val = options["validation_data"]
        elif run["validation"]["rows"]:
            cut = len(arrays["x"]) - run["validation"]["rows"]
            last_val = (arrays["x"][cut:], arrays["y"][cut:])
        if run["checkpoints"] and last_val is not None:
            run["checkpoint_val_loss"] = _checkpoint_loss(model, Path("ckpt"), run, last_val)
    if not runs or any("error" in r or r["unsupported"] for r in runs):
        return
    _predict(model, _load("x_test.npy"), "pred.npy")
    if last_val is not None:
        value = model.evaluate(*last_val, batch_size=256, verbose=0, return_dict=True)
        facts["val_loss_now"] = float(value["loss"])


def _checkpoint_loss(
    model: Any, folder: Path, run: dict[str, Any], val: tuple[np.ndarray, np.ndarray]
) -> float | None:
    """The val_loss of what the run's ModelCheckpoint left in its file (written here, by Keras,
    from the inspector's own model: loading it runs no learner code)."""
    path = folder / run["checkpoints"][-1]
    try:
        if path.name.endswith(".weights.h5"):
            saved = keras.models.clone_model(model)
            saved.compile_from_config(model.get_compile_config())
            saved.load_weights(path)
        else:  # a whole model: its weights are evaluated by the model that wrote them (same
            # layers and compile config), whose compiled test function is traced already
            weights = keras.models.load_model(path, safe_mode=True).get_weights()
            kept = model.get_weights()
            model.set_weights(weights)
            try:
                value = model.evaluate(*val, batch_size=256, verbose=0, return_dict=True)
            finally:
                model.set_weights(kept)
            return float(value["loss"])
        value = saved.evaluate(*val, batch_size=256, verbose=0, return_dict=True)
        return float(value["loss"])
    except Exception:  # noqa: BLE001
        return None


def plain_graphs() -> None:
    """Run the compiled functions as traced, without Grappler's graph rewriting: for the small
    models of the exercises the rewriting cost more than it saved, about a quarter of a training's
    CPU time, with the same numbers (every exercise's reference summary compared value for value,
    bench/RESULTS.md session 7). Called first in each job of this module, before any op runs."""
    try:
        import tensorflow as tf

        tf.config.optimizer.set_experimental_options({"disable_meta_optimizer": True})
    except Exception:  # noqa: BLE001 (another backend: nothing to turn off)
        pass


def build_given(payload: dict[str, Any]) -> None:
    """The model an exercise hands the learner's code: `model(input_shape, n_classes)` from the
    exercise's own file (course content, not learner code), seeded, trained for `train_epochs`
    where the exercise says so; built once per exercise and cached by the grader."""
    plain_graphs()
    OUT.mkdir(exist_ok=True)
    x, y = _load("x_train.npy"), _load("y_train.npy")
    namespace: dict[str, Any] = {"__name__": "given"}
    exec(compile(payload["given_source"], payload["given_file"], "exec"), namespace)  # noqa: S102
    _seed(payload["seed"])
    model = namespace["model"](tuple(int(n) for n in x.shape[1:]), payload["n_classes"])
    if payload.get("train_epochs"):
        model.fit(x, y, epochs=payload["train_epochs"], batch_size=32, verbose=0)
    model.save(OUT / "given.keras")


def optimizer_facts(opt: Any) -> dict[str, Any]:
    """An optimizer's class and the hyperparameters that differ from its class's defaults (what
    the code set explicitly); a schedule as learning rate is judged apart (learning-rate)."""
    config = opt.get_config()
    try:
        defaults = type(opt)().get_config()
    except Exception:  # noqa: BLE001
        defaults = {}
    explicit: dict[str, Any] = {}
    for key, value in config.items():
        if key == "name" or isinstance(value, dict):
            continue
        value = value.item() if isinstance(value, np.generic) else value
        if value != defaults.get(key, _NO_DEFAULT) and isinstance(value, int | float | bool | str):
            explicit[key] = value
    if isinstance(config.get("learning_rate"), dict):
        explicit["learning_rate"] = "schedule"
    return {"class": type(opt).__name__, "explicit": explicit}


_NO_DEFAULT = object()


def inspect(payload: dict[str, Any]) -> None:
    """Load what the learner's process handed back, without running any of its code."""
    plain_graphs()
    OUT.mkdir(exist_ok=True)
    facts: dict[str, Any] = {}
    returned, err = _safe_load(Path("returned.keras"))
    activation: Any = None
    recurrent: list[str] = []
    if returned is None and err is not None and err["kind"] == "custom":
        try:  # a model of the learner's own classes: its exported graph stands in for it
            input_shape = tuple(int(n) for n in _load("x_train.npy").shape[1:])
            returned, activation, recurrent = load_exported(
                Path("returned_sm"), Path("returned.keras"), input_shape
            )
            err, facts["exported"] = None, True
        except NotCheckable as e:
            err = e.load_error()
    own: Any = None
    if returned is not None and lossprobe.stands_in(returned):
        if not facts.get("exported"):
            activation = output_activation(returned)
        own = _own_loss(returned, activation, payload, facts)
    if returned is not None:
        facts["facts"] = model_facts(returned)
        if facts.get("exported"):  # read off the graph: its structure, not its names
            facts["facts"]["output_activation"] = activation
            facts["facts"]["layer_classes"] = recurrent
        if "own_loss" in facts:
            matched = facts["own_loss"].get("matched")
            facts["facts"]["compile"]["loss"] = lossprobe.described(matched)
        if getattr(returned, "optimizer", None) is not None:
            facts["optimizer"] = optimizer_facts(returned.optimizer)
        if "own_loss" not in facts or own is not None:  # nothing to train with otherwise
            _train(returned, payload, facts, own)
    elif err:
        facts["returned_error"] = err
    if Path("fit_calls.json").is_file():
        run_fit_calls(payload, facts)
    obj = Path("object.json")
    if obj.is_file():
        config = json.loads(obj.read_text())
        facts["lr"] = _learning_rates(config, payload["steps"])
        own = Path("schedule_sm").is_dir()
        if own:
            facts["lr"] = _exported_rates(facts["lr"], payload["steps"])
        if not config.get("module", "").endswith("schedules") and "own" not in config:
            try:
                facts["optimizer"] = optimizer_facts(keras.optimizers.deserialize(config))
            except Exception:  # noqa: BLE001 (reported by _learning_rates)
                pass
            else:
                if own:
                    facts["optimizer"]["explicit"]["learning_rate"] = "schedule"
    _write("inspect.json", facts)


def _own_loss(model: Any, activation: Any, payload: dict[str, Any], facts: dict[str, Any]) -> Any:
    """A loss of the learner's own, judged from its graph (grader/jobs/lossprobe.py): the model is
    compiled with the Keras loss it computes, or with the graph itself; None: not checkable."""
    seeds = [int(payload["seed"]), int(payload.get("probe_seed", 0))]
    try:
        loss, facts["own_loss"] = lossprobe.judge(model, activation, seeds)
        lossprobe.compile_with(model, model.get_compile_config(), loss)
    except _OOM:
        raise
    except NotCheckable as e:
        facts["own_loss"] = {"error": e.load_error()}
        return None
    except Exception as e:  # noqa: BLE001 (a model or graph the probes cannot run)
        error = NotCheckable("inspect_own_loss_not_run", error=f"{type(e).__name__}: {e}")
        facts["own_loss"] = {"error": error.load_error()}
        return None
    if facts.get("exported"):
        _shape_gradients(model.optimizer)
    return loss


def _exported_rates(lr: dict[str, Any], steps: list[int]) -> dict[str, Any]:
    """A schedule of the learner's own class, run from its exported graph (TensorFlow operations
    only, no Python of the learner's) at the grader's steps."""
    import tensorflow as tf

    try:
        loaded = tf.saved_model.load("schedule_sm")
        values = [float(loaded.rate(tf.constant(s, tf.int64))) for s in steps]
    except Exception as e:  # noqa: BLE001
        return {"error": f"the schedule's exported graph cannot be run: {type(e).__name__}: {e}"}
    finite = [v if math.isfinite(v) else None for v in values]
    return lr | {"schedule": "own", "values": finite, "schedule_config": {}}


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
