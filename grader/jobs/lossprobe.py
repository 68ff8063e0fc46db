"""A loss of the learner's own, judged by what it computes (inspector side: no learner code runs).

The learner's job hands the loss back as a traced graph (`loss_sm`, grader/jobs/ownloss.py) and
saves the model with a Keras stand-in loss. Here the graph is read as data first (no file, Python
or printing operations, as for a model's graph in grader/jobs/exported.py; no variables, no random
or stateful operations, so that it cannot count its calls or draw), then run on probe batches:
labels drawn from the exercise's own training labels, outputs of the model's output shape and
activation (probability rows, sigmoid outputs, logits, continuous values), among them the model's
own outputs on training rows and batches of the sizes training uses (32, and the last batch of an
epoch); the draws come from the seed and the grading secret. Run twice, it must give the same
values. Each value is compared with Keras' own losses on the same batches: where one matches on
every probe, the model is compiled and trained with that Keras loss (judged like any other);
where none does, it is trained with the graph itself, so that the training is the loss's own.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import keras
import numpy as np

from grader.jobs.exported import NotCheckable, _graph
from grader.jobs.ownloss import STANDIN, single

FOLDER = Path("loss_sm")
BATCH = 32  # the batch size the inspector trains a returned model with
RTOL, ATOL = 1e-5, 1e-6
# Keras' losses the graph is compared with, in this order (the first that matches is taken):
# (canonical name as grader/facts.py LOSSES has it, Keras class, settings).
CANDIDATES: list[tuple[str, str, dict[str, Any]]] = [
    ("sparse_categorical_crossentropy", "SparseCategoricalCrossentropy", {}),
    ("sparse_categorical_crossentropy", "SparseCategoricalCrossentropy", {"from_logits": True}),
    ("categorical_crossentropy", "CategoricalCrossentropy", {}),
    ("categorical_crossentropy", "CategoricalCrossentropy", {"from_logits": True}),
    ("binary_crossentropy", "BinaryCrossentropy", {}),
    ("binary_crossentropy", "BinaryCrossentropy", {"from_logits": True}),
    ("binary_focal_crossentropy", "BinaryFocalCrossentropy", {}),
    ("mse", "MeanSquaredError", {}),
    ("mae", "MeanAbsoluteError", {}),
    ("huber", "Huber", {}),
    ("hinge", "Hinge", {}),
    ("kl_divergence", "KLDivergence", {}),
    ("msle", "MeanSquaredLogarithmicError", {}),
    ("mape", "MeanAbsolutePercentageError", {}),
    ("log_cosh", "LogCosh", {}),
]
# Operations a loss has no use for: state (variables, so it could count its calls), randomness.
STATEFUL_PARTS = (
    "Var",
    "Resource",
    "Random",
    "Multinomial",
    "Shuffle",
    "Queue",
    "Stack",
    "Barrier",
    "HashTable",
    "Mutex",
)


def key(name: str, settings: dict[str, Any]) -> str:
    """How a candidate is named in the facts: "mse", "binary_crossentropy:from_logits"."""
    return name + (":from_logits" if settings.get("from_logits") else "")


def stands_in(model: Any) -> bool:
    """Whether the model was saved with the stand-in for a loss of the learner's own."""
    return getattr(single(getattr(model, "loss", None)), "name", None) == STANDIN


def _check(folder: Path) -> None:
    try:
        graph = _graph(folder)  # refuses files, Python, printing, summaries
    except NotCheckable as e:
        if e.key == "inspect_graph_side_effects":  # said of the loss, not of a model
            raise NotCheckable("inspect_own_loss_side_effects", **e.fields) from e
        raise
    funcs = graph.graph_def.library.function
    ops = {n.op for f in funcs for n in f.node_def}
    bad = sorted(op for op in ops if any(p in op for p in STATEFUL_PARTS))
    variables = [n for n in graph.object_graph_def.nodes if n.WhichOneof("kind") == "variable"]
    if variables:
        bad.append("variables")
    if bad:
        raise NotCheckable("inspect_own_loss_stateful", ops=", ".join(bad))


class GraphLoss(keras.losses.Loss):
    """The learner's loss as its graph computes it: the mean of what it gives for a batch."""

    def __init__(self, fn: Any, label_dtype: Any) -> None:
        super().__init__(name="own_loss_graph", reduction="sum_over_batch_size")
        self.fn, self.label_dtype = fn, label_dtype

    def call(self, y_true: Any, y_pred: Any) -> Any:
        import tensorflow as tf

        value = self.fn(tf.cast(y_true, self.label_dtype), tf.cast(y_pred, tf.float32))
        return tf.reduce_mean(value)


def _confident(z: np.ndarray, y: np.ndarray, activation: str) -> np.ndarray:
    """Logits `z` moved toward the labels, as a trained model's are (a loss that behaves only
    while the model is unsure is told apart)."""
    if activation == "sigmoid" or z.shape[-1] == 1:
        target = np.broadcast_to(y.reshape(len(y), -1)[:, :1], z.shape)
        return (2.0 * target - 1.0) * (3.0 + np.abs(z))
    ids = y.reshape(len(y), -1).argmax(axis=-1) if y.ndim > 1 else y.astype("int64")
    z = z.copy()
    inside = (ids >= 0) & (ids < z.shape[-1])
    z[np.nonzero(inside)[0], ids[inside]] += 6.0
    return z


def _outputs(
    rng: np.random.Generator,
    activation: str,
    shape: tuple[int, ...],
    y: np.ndarray,
    scale: float,
    sure: bool = False,
) -> np.ndarray:
    """Outputs of the model's shape and activation for labels `y` (drawn, never the model's);
    `sure`: as a trained model's, close to the labels."""
    z = rng.normal(0.0, 2.0, shape)
    if sure and scale > 0:
        scale *= 0.1
    elif sure and len(shape) == 2:
        z = _confident(z, y, activation)
    if activation == "softmax":
        e = np.exp(z - z.max(axis=-1, keepdims=True))
        out = e / e.sum(axis=-1, keepdims=True)
    elif activation == "sigmoid":
        out = 1.0 / (1.0 + np.exp(-0.75 * z))
    elif scale > 0:  # continuous labels: values near them
        near = np.broadcast_to(y.reshape(len(y), -1)[:, :1], (len(y), int(np.prod(shape[1:]))))
        out = near.reshape(shape) + 0.5 * scale * z
    else:  # logits
        out = z
    if activation == "relu":
        out = np.maximum(out, 0.0)
    elif activation == "tanh":
        out = np.tanh(out)
    return out.astype("float32")


def probes(
    model: Any, activation: str | None, seeds: list[int]
) -> list[tuple[np.ndarray, np.ndarray]]:
    """(labels, outputs) batches: the model's own outputs on a training batch first, then drawn
    outputs for drawn label rows, at the sizes training uses and a few others, then the model's
    outputs on held-out inputs (for drawn labels)."""
    x, y = np.load("x_train.npy"), np.load("y_train.npy")
    rng = np.random.default_rng(seeds)
    n = len(x)
    rows = rng.permutation(n)[:BATCH]
    first = np.asarray(model.predict(x[rows], batch_size=BATCH, verbose=0), dtype="float32")
    found = [(y[rows], first)]
    whole = bool(np.all(np.equal(np.mod(y, 1), 0)))
    scale = 0.0 if whole else float(np.std(y)) or 1.0
    for size in sorted({1, 5, BATCH, n % BATCH or BATCH, 2 * BATCH + 3}):
        labels = y[rng.choice(n, size)]
        shape = (size, *first.shape[1:])
        found.append((labels, _outputs(rng, activation or "linear", shape, labels, scale)))
    for size in sorted({BATCH, n % BATCH or BATCH}):  # as a trained model's outputs
        labels = y[rng.choice(n, size)]
        shape = (size, *first.shape[1:])
        found.append((labels, _outputs(rng, activation or "linear", shape, labels, scale, True)))
    held = np.load("x_test.npy")
    rows = rng.choice(len(held), BATCH)
    out = model.predict(held[rows], batch_size=BATCH, verbose=0)
    found.append((y[rng.choice(n, BATCH)], np.asarray(out, dtype="float32")))
    return found


def _run(fn: Any, batches: list[tuple[np.ndarray, np.ndarray]], dtype: Any) -> list[float]:
    import tensorflow as tf

    values = []
    for labels, outputs in batches:
        value = np.asarray(fn(tf.constant(labels, dtype), tf.constant(outputs)), dtype="float64")
        values.append(float(value.mean()) if value.size else math.nan)
    return values


def _keras_values(
    batches: list[tuple[np.ndarray, np.ndarray]],
) -> tuple[dict[str, list[float]], set[str]]:
    """Each candidate's values on the batches, and the candidates that do not take the labels as
    they are: labels of lower rank than the outputs (class ids next to rows of probabilities)
    are then compared with every output, as an own loss that broadcasts them does."""
    found: dict[str, list[float]] = {}
    widened: set[str] = set()
    for name, cls, settings in CANDIDATES:
        loss, k = getattr(keras.losses, cls)(**settings), key(name, settings)
        for wide in (False, True):
            try:
                found[k] = [float(loss(_widen(t, p) if wide else t, p)) for t, p in batches]
            except Exception:  # noqa: BLE001 (it does not take labels of this shape)
                continue
            if wide:
                widened.add(k)
            break
    return found, widened


def _widen(labels: np.ndarray, outputs: np.ndarray) -> np.ndarray:
    return labels.reshape(labels.shape + (1,) * max(0, outputs.ndim - labels.ndim))


def judge(model: Any, activation: str | None, seeds: list[int]) -> tuple[Any, dict[str, Any]]:
    """(the loss to compile the model with, the facts about the learner's loss)."""
    import tensorflow as tf

    if not (FOLDER / "saved_model.pb").is_file():
        raise NotCheckable("inspect_own_loss_no_graph")
    _check(FOLDER)
    try:
        fn = tf.saved_model.load(str(FOLDER)).loss
    except Exception as e:  # noqa: BLE001
        raise NotCheckable("inspect_graph_not_loadable", error=f"{type(e).__name__}: {e}") from e
    dtype = tf.as_dtype(np.load("y_train.npy").dtype)  # as the learner's job traced it
    batches = probes(model, activation, seeds)
    try:
        own, again = _run(fn, batches, dtype), _run(fn, batches, dtype)
    except Exception as e:  # noqa: BLE001 (e.g. shapes the graph was not traced for)
        raise NotCheckable("inspect_own_loss_not_run", error=f"{type(e).__name__}: {e}") from e
    if not np.array_equal(own, again, equal_nan=True):
        raise NotCheckable("inspect_own_loss_not_deterministic")
    known, widened = _keras_values(batches)
    facts: dict[str, Any] = {
        "matched": None,
        "own": own[0] if math.isfinite(own[0]) else None,
        "rows": len(batches[0][0]),
        "keras": {k: v[0] if math.isfinite(v[0]) else None for k, v in known.items()},
    }
    finite = all(math.isfinite(v) for v in own)
    for name, cls, settings in CANDIDATES:
        values = known.get(key(name, settings))
        if finite and values is not None and np.allclose(own, values, rtol=RTOL, atol=ATOL):
            facts["matched"] = key(name, settings)
            if facts["matched"] in widened:  # Keras' would not train on these labels: the graph
                return GraphLoss(fn, dtype), facts
            return getattr(keras.losses, cls)(**settings), facts
    return GraphLoss(fn, dtype), facts


def compile_with(model: Any, config: dict[str, Any], loss: Any) -> None:
    """Compile as the config says (Keras' own objects only), with `loss` in place of its loss."""
    from keras.src.saving.serialization_lib import SafeModeScope, deserialize_keras_object

    with SafeModeScope(True):
        settings = deserialize_keras_object({k: v for k, v in config.items() if k != "loss"})
    model.compile(loss=loss, **settings)
    if model.built:  # as compile_from_config does (a loaded graph's variables need it now)
        model.optimizer.build(model.trainable_variables)


def described(matched: str | None) -> Any:
    """The compile config's loss, for the scoring side: the Keras loss the graph computes (even
    where the graph itself trains), or a marker when none does."""
    for name, cls, settings in CANDIDATES:
        if key(name, settings) == matched:
            return keras.losses.serialize(getattr(keras.losses, cls)(**settings))
    return {"class_name": "OwnLoss", "config": {}}
