"""The catalogue of classic mistakes: a detector (what the learner's code did, on what kind of
labels) and the feedback that names the mistake and the fix, in Japanese and English.

Nothing here knows an exercise: a note is chosen by the kind of labels the exercise's data has
(`label_kind`) and what the learner chose; the fix it names (`{use}`) is the reference's choice.
"""

from __future__ import annotations

import numpy as np

from grader.checks import tr

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


# (label kind, the loss the learner chose) -> (en, ja); {use}: the loss to use, {n}: classes.
LOSS_NOTES: dict[tuple[str, str], tuple[str, str]] = {
    ("classes", "categorical_crossentropy"): (
        "categorical_crossentropy expects one-hot labels, but these labels are integers "
        "0-{last} (one-hot loss on integer labels): use {use}",
        "categorical_crossentropy は one-hot ラベル用ですが、ラベルは整数 0〜{last} です。"
        "{use} を使ってください",
    ),
    ("onehot", "sparse_categorical_crossentropy"): (
        "sparse_categorical_crossentropy expects integer labels, but these labels are one-hot "
        "vectors of {n} classes (integer loss on one-hot labels): use {use}",
        "sparse_categorical_crossentropy は整数ラベル用ですが、ラベルは {n} クラスの one-hot "
        "ベクトルです。{use} を使ってください",
    ),
    ("onehot", "mse"): (
        "mse is a regression loss; classification needs a cross-entropy: use {use}",
        "mse は回帰用の損失です。分類には交差エントロピー（{use}）を使います",
    ),
    ("onehot", "binary_crossentropy"): (
        "binary_crossentropy is for two classes (one sigmoid unit); with {n} classes and one-hot "
        "labels use {use}",
        "binary_crossentropy は 2 クラス（sigmoid 1 ユニット）用です。{n} クラスの one-hot ラベルには "
        "{use} を使います",
    ),
    ("classes", "mse"): (
        "mse is a regression loss; classification needs a cross-entropy: use {use}",
        "mse は回帰用の損失です。分類には交差エントロピー（{use}）を使います",
    ),
    ("classes", "mae"): (
        "mae is a regression loss; classification needs a cross-entropy: use {use}",
        "mae は回帰用の損失です。分類には交差エントロピー（{use}）を使います",
    ),
    ("classes", "binary_crossentropy"): (
        "binary_crossentropy is for two classes (one sigmoid unit); with {n} classes and integer "
        "labels use {use}",
        "binary_crossentropy は 2 クラス（sigmoid 1 ユニット）用です。{n} クラスの整数ラベルには "
        "{use} を使います",
    ),
    ("binary", "sparse_categorical_crossentropy"): (
        "sparse_categorical_crossentropy expects one output unit per class; with one sigmoid unit "
        "use {use}",
        "sparse_categorical_crossentropy はクラスごとに出力ユニットが必要です。sigmoid 1 ユニットには "
        "{use} を使います",
    ),
    ("binary", "mse"): (
        "mse is a regression loss; for a probability output use {use}",
        "mse は回帰用の損失です。確率を出力するなら {use} を使います",
    ),
    ("binary", "categorical_crossentropy"): (
        "categorical_crossentropy needs one-hot labels and softmax outputs; for 0/1 labels and one "
        "sigmoid unit use {use}",
        "categorical_crossentropy は one-hot ラベルと softmax 出力用です。0/1 ラベルと sigmoid 1 "
        "ユニットには {use} を使います",
    ),
    ("continuous", "binary_crossentropy"): (
        "binary_crossentropy is a classification loss; regression uses {use}",
        "binary_crossentropy は分類用の損失です。回帰には {use} を使います",
    ),
    ("continuous", "categorical_crossentropy"): (
        "categorical_crossentropy is a classification loss; regression uses {use}",
        "categorical_crossentropy は分類用の損失です。回帰には {use} を使います",
    ),
    ("continuous", "sparse_categorical_crossentropy"): (
        "sparse_categorical_crossentropy is a classification loss; regression uses {use}",
        "sparse_categorical_crossentropy は分類用の損失です。回帰には {use} を使います",
    ),
}

# (label kind, the output activation the learner chose) -> why it is wrong there (en, ja).
ACTIVATION_NOTES: dict[tuple[str, str], tuple[str, str]] = {
    ("continuous", "sigmoid"): (
        "sigmoid squeezes predictions into (0, 1), but the targets are outside that range",
        "sigmoid は予測を (0, 1) に押し込めますが、目標値はその範囲の外にもあります",
    ),
    ("continuous", "relu"): (
        "relu cannot output negative values, but some targets are negative",
        "relu は負の値を出力できませんが、目標値には負の値があります",
    ),
    ("continuous", "softmax"): (
        "softmax turns the outputs into probabilities that sum to 1, not values of the target",
        "softmax は出力を合計 1 の確率に変えます。目標値そのものは出せません",
    ),
}


# (label kind, a metric the learner named) -> why it does not fit these labels (en, ja).
METRIC_NOTES: dict[tuple[str, str], tuple[str, str]] = {
    ("onehot", "sparse_categorical_accuracy"): (
        "sparse_categorical_accuracy expects integer labels, but these labels are one-hot: use "
        "'accuracy' (Keras picks categorical_accuracy for this loss)",
        "sparse_categorical_accuracy は整数ラベル用ですが、ラベルは one-hot です。"
        "'accuracy' を使ってください（この損失なら Keras が categorical_accuracy を選びます）",
    ),
    ("classes", "categorical_accuracy"): (
        "categorical_accuracy compares one-hot labels; with integer labels use 'accuracy'",
        "categorical_accuracy は one-hot ラベル用です。整数ラベルには 'accuracy' を使います",
    ),
}


def metric_note(kind: str, named: str, lang: str) -> str | None:
    """The note for the first catalogued metric that `named` (the compile config's metrics, as
    JSON text) mentions and that does not fit labels of this kind."""
    for (k, metric), (en, ja) in METRIC_NOTES.items():
        if k == kind and f'"{metric}"' in named:
            return ja if lang == "ja" else en
    return None


def loss_note(kind: str, chosen: str, use: list[str], n_classes: int, lang: str) -> str | None:
    note = LOSS_NOTES.get((kind, chosen))
    if note is None:
        return None
    text = note[1] if lang == "ja" else note[0]
    joined = " / ".join(use) if lang == "ja" else ", ".join(use[:-1]) + " or " + use[-1]
    if len(use) == 1:
        joined = use[0]
    return text.format(use=joined, n=n_classes, last=n_classes - 1)


def activation_note(kind: str, chosen: str, lang: str) -> tuple[str, str] | None:
    note = ACTIVATION_NOTES.get((kind, chosen))
    return None if note is None else note


def _close(a: np.ndarray, b: np.ndarray, tol: float) -> bool:
    a, b = np.asarray(a, dtype="float64"), np.asarray(b, dtype="float64")
    return bool(np.all(np.isfinite(a)) and np.allclose(a, b, rtol=tol, atol=tol))


def _words(n: int) -> str:
    return {1: "one number", 2: "two numbers", 3: "three numbers"}.get(n, f"{n} numbers")


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
        return tr(
            lang,
            f"returned the probabilities (one row of {got.shape[1]} per sample) instead of "
            "labels: take np.argmax(probs, axis=-1)",
            f"ラベルではなく確率（1 行 {got.shape[1]} 個）を返しています。"
            "np.argmax(probs, axis=-1) を使ってください",
        )
    if want.ndim == 1 and want.size > n_classes and got.shape == (n_classes,) and labels:
        return tr(
            lang,
            f"returned {n_classes} values instead of one per row: argmax was taken over axis 0 "
            "(the samples); use axis=-1",
            f"各行に 1 つではなく {n_classes} 個の値を返しています。argmax を axis=0（サンプル方向）で"
            "取っています。axis=-1 を使ってください",
        )
    flat_got, flat_want = got.reshape(-1), want.reshape(-1)
    if flat_got.size != flat_want.size:
        return tr(
            lang,
            f"returned {flat_got.size} value(s); it must return {_words(flat_want.size)}, "
            "as the reference does",
            f"{flat_got.size} 個の値を返しています。模範解答と同じく {flat_want.size} 個の値を返してください",
        )
    if labels and flat_got.dtype.kind == "f" and not np.all(np.equal(np.mod(flat_got, 1), 0)):
        return tr(
            lang,
            "returned fractions, not class numbers",
            "クラス番号ではなく小数を返しています",
        )
    if (
        flat_want.size >= 2
        and _close(flat_got[::-1], flat_want, tol)
        and not _close(flat_want[::-1], flat_want, tol)
    ):
        return tr(
            lang,
            "the values are swapped: return them in the reference's order",
            "値の順序が逆です。正しい順序で返してください",
        )
    if labels and flat_want.size > 3:
        agree = float(np.mean(flat_got.astype("int64") == flat_want.astype("int64")))
        return tr(
            lang,
            f"{agree:.0%} of the values match what the reference computes",
            f"模範解答の値と一致するのは {agree:.0%} です",
        )
    shown = ", ".join(f"{v:.4g}" for v in flat_got[:5])
    wanted = ", ".join(f"{v:.4g}" for v in flat_want[:5])
    return tr(
        lang,
        f"returned ({shown}); the reference's gives ({wanted})",
        f"({shown}) が返りました。模範解答では ({wanted}) です",
    )
