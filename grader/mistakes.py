"""The catalogue of classic mistakes: a detector (what the learner's code did, on what kind of
labels) and the feedback that names the mistake and the fix, in Japanese and English.

Nothing here knows an exercise: a note is chosen by the kind of labels the exercise's data has
(`label_kind`) and what the learner chose; the fix it names (`{use}`) is the reference's choice.
"""

from __future__ import annotations

import numpy as np

# Integer class ids 0..n-1 ("classes"), two classes as 0/1 ("binary"), or real values.
LABEL_KINDS = ("classes", "binary", "continuous")


def label_kind(y: np.ndarray, n_classes: int) -> str:
    """What the exercise's labels are, read off the labels themselves."""
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
    ("classes", "mse"): (
        "mse is a regression loss; classification needs a cross-entropy: use {use}",
        "mse は回帰用の損失です。分類には交差エントロピー({use})を使います",
    ),
    ("classes", "mae"): (
        "mae is a regression loss; classification needs a cross-entropy: use {use}",
        "mae は回帰用の損失です。分類には交差エントロピー({use})を使います",
    ),
    ("classes", "binary_crossentropy"): (
        "binary_crossentropy is for two classes (one sigmoid unit); with {n} classes and integer "
        "labels use {use}",
        "binary_crossentropy は 2 クラス(sigmoid 1 ユニット)用です。{n} クラスの整数ラベルには "
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
