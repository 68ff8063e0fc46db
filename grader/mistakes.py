"""The catalogue of classic mistakes: a detector (what the learner's code did, on what kind of
labels) and the key of the feedback that names the mistake and the fix (its text, in every language,
is in grader/locale/<lang>/LC_MESSAGES/messages.po).

Nothing here knows an exercise: a note is chosen by the kind of labels the exercise's data has
(`label_kind`) and what the learner chose; the fix it names (`{use}`) is the reference's choice.
"""

from __future__ import annotations

import numpy as np

from grader.messages import one_of, text

# Integer class ids 0..n-1 ("classes"), one-hot rows ("onehot"), two classes as 0/1 ("binary"),
# or real values.
LABEL_KINDS = ("classes", "onehot", "binary", "continuous")


def label_kind(y: np.ndarray, n_classes: int) -> str:
    """What the exercise's labels are, read off the labels themselves."""
    if y.ndim == 2 and y.shape[1] > 1:
        rows_ok = np.all((y == 0) | (y == 1)) and np.all(y.sum(axis=1) == 1)
        return "onehot" if rows_ok else "continuous"
    values = np.unique(y)
    whole = bool(np.all(np.equal(np.mod(values, 1), 0)))
    if whole and values.size <= 2 and set(values.tolist()) <= {0, 1} and n_classes <= 2:
        return "binary"
    if whole and y.dtype.kind in "iu":
        return "classes"
    return "continuous"


# (label kind, the loss the learner chose) -> its catalogue key; {use}: the loss to use, {n}: classes,
# {last}: the last class id.
LOSS_NOTES: dict[tuple[str, str], str] = {
    ("classes", "categorical_crossentropy"): "mistake_loss_categorical_crossentropy_on_classes",
    (
        "onehot",
        "sparse_categorical_crossentropy",
    ): "mistake_loss_sparse_categorical_crossentropy_on_onehot",
    ("onehot", "mse"): "mistake_loss_mse_on_onehot",
    ("onehot", "binary_crossentropy"): "mistake_loss_binary_crossentropy_on_onehot",
    ("classes", "mse"): "mistake_loss_mse_on_classes",
    ("classes", "mae"): "mistake_loss_mae_on_classes",
    ("classes", "binary_crossentropy"): "mistake_loss_binary_crossentropy_on_classes",
    (
        "binary",
        "sparse_categorical_crossentropy",
    ): "mistake_loss_sparse_categorical_crossentropy_on_binary",
    ("binary", "mse"): "mistake_loss_mse_on_binary",
    ("binary", "categorical_crossentropy"): "mistake_loss_categorical_crossentropy_on_binary",
    ("continuous", "binary_crossentropy"): "mistake_loss_binary_crossentropy_on_continuous",
    (
        "continuous",
        "categorical_crossentropy",
    ): "mistake_loss_categorical_crossentropy_on_continuous",
    (
        "continuous",
        "sparse_categorical_crossentropy",
    ): "mistake_loss_sparse_categorical_crossentropy_on_continuous",
}

# (label kind, the output activation the learner chose) -> why it is wrong there, with the fix:
# (use no activation, use one of {acts}).
ACTIVATION_NOTES: dict[tuple[str, str], tuple[str, str]] = {
    ("continuous", "sigmoid"): (
        "mistake_activation_sigmoid_on_continuous_use_linear",
        "mistake_activation_sigmoid_on_continuous_needs",
    ),
    ("continuous", "relu"): (
        "mistake_activation_relu_on_continuous_use_linear",
        "mistake_activation_relu_on_continuous_needs",
    ),
    ("continuous", "softmax"): (
        "mistake_activation_softmax_on_continuous_use_linear",
        "mistake_activation_softmax_on_continuous_needs",
    ),
}


# (label kind, a metric the learner named) -> the key of why it does not fit these labels.
METRIC_NOTES: dict[tuple[str, str], str] = {
    (
        "onehot",
        "sparse_categorical_accuracy",
    ): "mistake_metric_sparse_categorical_accuracy_on_onehot",
    ("classes", "categorical_accuracy"): "mistake_metric_categorical_accuracy_on_classes",
}


def metric_note(kind: str, named: str, lang: str) -> str | None:
    """The note for the first catalogued metric that `named` (the compile config's metrics, as
    JSON text) mentions and that does not fit labels of this kind."""
    for (k, metric), key in METRIC_NOTES.items():
        if k == kind and f'"{metric}"' in named:
            return text(lang, key)
    return None


def loss_note(kind: str, chosen: str, use: list[str], n_classes: int, lang: str) -> str | None:
    key = LOSS_NOTES.get((kind, chosen))
    if key is None:
        return None
    joined = one_of(lang, use, sep="list_comma", last="list_comma_or")
    return text(lang, key, use=joined, n=n_classes, last=n_classes - 1)


def activation_note(kind: str, chosen: str, want: list[str], lang: str) -> str | None:
    """Why this output activation is wrong for these labels, and the fix: no activation when the
    reference has none (`want` == ["linear"]), else the activations the task takes."""
    keys = ACTIVATION_NOTES.get((kind, chosen))
    if keys is None:
        return None
    if want == ["linear"]:
        return text(lang, keys[0])
    return text(lang, keys[1], acts=one_of(lang, want))


def _close(a: np.ndarray, b: np.ndarray, tol: float) -> bool:
    a, b = np.asarray(a, dtype="float64"), np.asarray(b, dtype="float64")
    return bool(np.all(np.isfinite(a)) and np.allclose(a, b, rtol=tol, atol=tol))


def value_note(
    got: np.ndarray, want: np.ndarray, n_classes: int, tol: float, lang: str
) -> str | None:
    """What is wrong with a function's result next to the reference's (None: it is the same):
    probabilities instead of labels, argmax over the wrong axis, fractions for class numbers,
    values swapped, too few or too many values, or simply other values."""
    labels = want.dtype.kind in "iu" or (want.size and np.all(np.equal(np.mod(want, 1), 0)))
    if got.shape == want.shape and _close(got, want, tol):
        return None
    if want.ndim == 1 and got.ndim == 2 and got.shape[0] == want.shape[0] and labels:
        return text(lang, "mistake_probabilities_not_labels", n=got.shape[1])
    if want.ndim == 1 and want.size > n_classes and got.shape == (n_classes,) and labels:
        return text(lang, "mistake_argmax_wrong_axis", n_classes=n_classes)
    flat_got, flat_want = got.reshape(-1), want.reshape(-1)
    if flat_got.size != flat_want.size:
        count = {1: "one", 2: "two", 3: "three"}.get(flat_want.size, "many")  # English plurals
        return text(lang, f"mistake_wrong_count_{count}", got=flat_got.size, want=flat_want.size)
    if labels and flat_got.dtype.kind == "f" and not np.all(np.equal(np.mod(flat_got, 1), 0)):
        return text(lang, "mistake_fractions_not_classes")
    if (
        flat_want.size >= 2
        and _close(flat_got[::-1], flat_want, tol)
        and not _close(flat_want[::-1], flat_want, tol)
    ):
        return text(lang, "mistake_values_swapped")
    if labels and flat_want.size > 3:
        agree = float(np.mean(flat_got.astype("int64") == flat_want.astype("int64")))
        return text(lang, "mistake_values_agree", agree=agree)
    shown = ", ".join(f"{v:.4g}" for v in flat_got[:5])
    wanted = ", ".join(f"{v:.4g}" for v in flat_want[:5])
    return text(lang, "mistake_other_values", shown=shown, wanted=wanted)
