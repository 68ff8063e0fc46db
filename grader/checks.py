"""What the check kinds share: the evidence, the context, and the held-out comparison.

Each check kind (grader/kinds/) returns (passed, message); messages name the actual mistake, in
the learner's language. Nothing here runs learner code or imports Keras.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from grader.exercises import ExerciseSpec
from grader.facts import (
    InspectReport,
    LearnerReport,
    ModelFacts,
)

Verdicts = dict[str, tuple[bool, str]]


def tr(lang: str, en: str, ja: str) -> str:
    return ja if lang == "ja" else en


@dataclass
class Evidence:
    """Everything the two sandboxed jobs handed back for one submission, already validated."""

    report: LearnerReport | None
    inspect: InspectReport | None
    pred: np.ndarray | None = None  # predictions on held-out inputs
    # What each function entry point returned, one entry per call (None: not numbers).
    values: dict[str, list[np.ndarray | None]] = field(default_factory=dict)
    failure: str | None = None  # why there is no report (timeout, memory, crash, early exit)
    problems: list[str] = field(default_factory=list)

    @property
    def facts(self) -> ModelFacts | None:
        if self.inspect and self.inspect.facts:
            return self.inspect.facts
        return self.report.facts if self.report else None


@dataclass
class Context:
    lang: str
    spec: ExerciseSpec
    labels: str  # the kind of the exercise's labels (grader.mistakes.label_kind)
    y_test: np.ndarray
    y_train: np.ndarray
    reference: dict[str, Any]  # the reference solution's cached summary (see grading.summarize)
    tolerance: float
    n_classes: int
    expected: dict[str, Any] = field(default_factory=dict)


# -- shared pieces --------------------------------------------------------------------------------
def call_problem(ev: Evidence, name: str, lang: str) -> str | None:
    """Why calling an entry point gave nothing to judge, or None if it returned a value."""
    if ev.failure:
        return ev.failure
    r = ev.report
    if r is None:
        return tr(
            lang,
            "the submission's process handed back no report",
            "提出コードのプロセスから結果が返りませんでした",
        )
    if r.import_error:
        e = r.import_error
        where = tr(lang, f" (line {e.line})", f" （{e.line} 行目）") if e.line else ""
        if "line" in e.message:
            where = ""  # SyntaxError messages already name the line
        return tr(
            lang,
            f"the file could not be run: {e.message}{where}",
            f"ファイルを実行できませんでした：{e.message}{where}",
        )
    info = r.calls.get(name)
    if info is None:
        return tr(lang, f"{name} was not called", f"{name} が呼ばれませんでした")
    if info.error:
        e = info.error
        if e.type == "MissingFunction":
            return tr(
                lang,
                f"define a function named {name} (it is missing)",
                f"{name} という名前の関数を定義してください（見つかりません）",
            )
        where = tr(lang, f" at line {e.line}", f"（{e.line} 行目）") if e.line else ""
        return tr(
            lang,
            f"{name} raised {e.message}{where}",
            f"{name} で例外が発生しました{where}: {e.message}",
        )
    if info.returned == "NoneType":
        return tr(
            lang,
            f"{name} returned None: add a return statement",
            f"{name} が None を返しました。return 文を書いてください",
        )
    return None


def not_checked(lang: str) -> str:
    """The message of a check not judged because what it needs failed (said by an earlier one)."""
    return tr(lang, "not checked (see above)", "未確認（上記参照）")


def fail_all(ids: list[str], first: str, lang: str) -> Verdicts:
    later = not_checked(lang)
    return {cid: (False, first if n == 0 else later) for n, cid in enumerate(ids)}


def accuracy(pred: np.ndarray, y: np.ndarray) -> float:
    if y.ndim == 2 and y.shape[1] > 1:  # one-hot rows
        y = y.argmax(axis=-1)
    if pred.ndim == 2 and pred.shape[1] > 1:
        labels = pred.argmax(axis=-1)
    else:
        labels = (pred.reshape(-1) > 0.5).astype(y.dtype)
    return float(np.mean(labels.reshape(-1) == y.reshape(-1)))


def mae(pred: np.ndarray, y: np.ndarray) -> float:
    return float(np.mean(np.abs(pred.reshape(-1) - y.reshape(-1))))


def held_out_metric(ev: Evidence, ctx: Context) -> tuple[float | None, str]:
    if ev.pred is None or ev.pred.shape[0] != ctx.y_test.shape[0]:
        return None, ""
    if not np.all(np.isfinite(ev.pred)):
        return None, tr(
            ctx.lang, "the model predicts NaN or infinity", "予測に NaN か無限大が出ています"
        )
    fn = mae if ctx.labels == "continuous" else accuracy
    return fn(ev.pred, ctx.y_test), ""


def training_check(ev: Evidence, ctx: Context) -> tuple[bool, str]:
    lang = ctx.lang
    r = ev.report
    if r and r.fit_error:
        return False, tr(
            lang,
            f"training failed: {r.fit_error.message}",
            f"訓練に失敗しました：{r.fit_error.message}",
        )
    if r and r.fit:
        losses = r.fit.history.get("loss", [])
        if any(v is None or not math.isfinite(v) for v in losses):
            return False, tr(
                lang, "the loss became NaN during training", "訓練中に損失が NaN になりました"
            )
    value, why = held_out_metric(ev, ctx)
    if value is None:
        return False, why or tr(lang, "no predictions to judge", "判定できる予測がありません")
    ref = float(ctx.reference["metric"])
    if ctx.labels == "continuous":
        ok = value <= ref * (1 + ctx.tolerance) + 0.05
        return ok, tr(
            lang,
            f"held-out MAE {value:.3f} (reference {ref:.3f})",
            f"テストデータの MAE {value:.3f}（模範解答 {ref:.3f}）",
        )
    ok = value >= ref - ctx.tolerance
    return ok, tr(
        lang,
        f"held-out accuracy {value:.3f} (reference {ref:.3f})",
        f"テストデータの正解率 {value:.3f}（模範解答 {ref:.3f}）",
    )
