"""A loss of the learner's own, on the learner's side (runs in the learner's job, never scored here).

A model compiled with a loss that is not Keras' own (a function of the learner's, a lambda, a
`keras.losses.Loss` subclass, a function calling a Keras loss) cannot be loaded in safe mode:
its compile config names the learner's code. So what the loss computes is handed back as the
graph it traces to (TensorFlow operations, no Python), the way an own learning-rate schedule is:
`loss_sm`, a SavedModel whose `loss(y_true, y_pred)` gives the loss of one batch as Keras'
training reduces it. The model itself is saved with a Keras stand-in loss named `STANDIN` in
place of the own one, so the file loads in safe mode; the inspector replaces the stand-in by
the Keras loss the graph computes on its probes, or by the graph itself (grader/jobs/lossprobe.py).
"""

from __future__ import annotations

import contextlib
import inspect
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import keras
import numpy as np

# The name of the stand-in loss a saved compile config carries in place of the learner's own.
STANDIN = "learn_keras_own_loss"


def _keras_losses() -> tuple[frozenset[Any], frozenset[type]]:
    """Keras' own loss functions and classes, recorded at import (before any learner code runs)."""
    functions = {
        fn
        for module in (keras.losses, keras.metrics)
        for fn in vars(module).values()
        if inspect.isfunction(fn) and fn.__module__.startswith("keras.src.losses")
    }
    classes, stack = set(), [keras.losses.Loss]
    while stack:
        cls = stack.pop()
        if cls.__module__.startswith("keras") and cls not in classes:
            classes.add(cls)
            stack.extend(cls.__subclasses__())
    return frozenset(functions), frozenset(classes)


_FUNCTIONS, _CLASSES = _keras_losses()


def single(loss: Any) -> Any:
    """The loss of a model's one output: given as is, as a one-element list or a one-entry dict."""
    if isinstance(loss, list | tuple) and len(loss) == 1:
        return loss[0]
    if isinstance(loss, dict) and len(loss) == 1:
        return next(iter(loss.values()))
    return loss


def _is_keras(loss: Any) -> bool:
    if loss is None or isinstance(loss, str | dict | list | tuple):
        return True  # a name (Keras resolves it), a config, or several outputs: as before
    if type(loss) in _CLASSES:  # a wrapper of Keras' (MeanSquaredError, ...) runs its `fn`
        fn = getattr(loss, "fn", None)
        return fn is None or fn in _FUNCTIONS
    try:
        return loss in _FUNCTIONS
    except TypeError:  # unhashable: not one of Keras' functions
        return False


def own_loss(model: Any) -> Any | None:
    """The model's loss if it is the learner's own (None: Keras' own, or no loss)."""
    loss = single(getattr(model, "loss", None))
    return None if _is_keras(loss) else loss


def name_of(loss: Any) -> str:
    """What the learner calls the loss: the function's name, or the class's."""
    name = getattr(loss, "__name__", None) if not isinstance(loss, keras.losses.Loss) else None
    return str(name or type(loss).__name__)[:100]


def output_shape(model: Any, units: Any) -> tuple[int | None, ...]:
    """The shape of one row of the model's output (a subclassed model: `units` wide)."""
    try:
        return tuple(model.outputs[0].shape[1:])
    except Exception:  # noqa: BLE001 (a subclassed model has no symbolic outputs)
        return (int(units),)


def export(loss: Any, y: np.ndarray, out_shape: tuple[int | None, ...], folder: Path) -> None:
    """Trace the loss for batches of labels like `y` and outputs of `out_shape`, and save the graph
    (runs the learner's code: the caller undoes its patches and reports what it raised)."""
    import tensorflow as tf
    from keras.src.losses.losses import LossFunctionWrapper

    fn = loss if isinstance(loss, keras.losses.Loss) else LossFunctionWrapper(loss)
    module = tf.Module()
    module.loss = tf.function(
        lambda y_true, y_pred: tf.cast(fn(y_true, y_pred), tf.float32),
        input_signature=[
            tf.TensorSpec((None, *y.shape[1:]), tf.as_dtype(y.dtype)),
            tf.TensorSpec((None, *out_shape), tf.float32),
        ],
    )
    traced = module.loss.get_concrete_function()
    module.state = list(traced.variables)  # saved with it, for the inspector to refuse
    tf.saved_model.save(module, str(folder))


@contextlib.contextmanager
def stand_in(model: Any) -> Iterator[None]:
    """While saving: the compile config names a Keras loss called STANDIN instead of the own one."""
    config = getattr(getattr(model, "_compile_config", None), "config", None)
    if not isinstance(config, dict) or "loss" not in config:
        yield  # saved as it is (the inspector then cannot load its loss)
        return
    kept = config["loss"]
    standin = keras.losses.MeanSquaredError(name=STANDIN)
    if isinstance(kept, list | tuple):
        config["loss"] = [standin]
    elif isinstance(kept, dict):
        config["loss"] = {k: standin for k in kept}
    else:
        config["loss"] = standin
    try:
        yield
    finally:
        config["loss"] = kept
