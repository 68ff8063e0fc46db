"""Comparisons with the reference: each exercise's checks, judged from validated evidence.

A recipe returns {check id: (passed, message)}; messages name the actual mistake, in the learner's
language. Nothing here runs learner code or imports Keras.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from grader.facts import (
    InspectReport,
    LearnerReport,
    ModelFacts,
    loss_of,
    meanings,
    metrics_of,
    optimizer_of,
)
from grader.mistakes import activation_note, loss_note

Verdicts = dict[str, tuple[bool, str]]


def tr(lang: str, en: str, ja: str) -> str:
    return ja if lang == "ja" else en


@dataclass
class Evidence:
    """Everything the two sandboxed jobs handed back for one submission, already validated."""

    report: LearnerReport | None
    inspect: InspectReport | None
    pred: np.ndarray | None = None  # predictions on held-out inputs
    labels: np.ndarray | None = None
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
    task: str
    labels: str  # the kind of the exercise's labels (grader.mistakes.label_kind)
    entry_points: list[str]
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
        where = tr(lang, f" (line {e.line})", f" ({e.line} 行目)") if e.line else ""
        if "line" in e.message:
            where = ""  # SyntaxError messages already name the line
        return tr(
            lang,
            f"the file could not be run: {e.message}{where}",
            f"ファイルを実行できませんでした: {e.message}{where}",
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
                f"{name} という名前の関数を定義してください(見つかりません)",
            )
        where = tr(lang, f" at line {e.line}", f"({e.line} 行目)") if e.line else ""
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


def fail_all(ids: list[str], first: str, lang: str) -> Verdicts:
    later = tr(lang, "not checked (see above)", "未確認(上記参照)")
    return {cid: (False, first if n == 0 else later) for n, cid in enumerate(ids)}


def accuracy(pred: np.ndarray, y: np.ndarray) -> float:
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
            f"訓練に失敗しました: {r.fit_error.message}",
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
            f"テストデータの MAE {value:.3f}(模範解答 {ref:.3f})",
        )
    ok = value >= ref - ctx.tolerance
    return ok, tr(
        lang,
        f"held-out accuracy {value:.3f} (reference {ref:.3f})",
        f"テストデータの正解率 {value:.3f}(模範解答 {ref:.3f})",
    )


# -- model-building exercises ---------------------------------------------------------------------
def judge_model(ev: Evidence, ctx: Context, entry: str, ids: list[str]) -> Verdicts:
    lang = ctx.lang
    problem = call_problem(ev, entry, lang)
    facts = ev.facts
    if problem is None and facts is None:
        returned = ev.report.calls[entry].returned if ev.report else "?"
        problem = tr(
            lang,
            f"{entry} must return a keras.Model, got {returned}",
            f"{entry} は keras.Model を返す必要がありますが、{returned} が返りました",
        )
    if (
        problem is None
        and ev.inspect
        and ev.inspect.returned_error
        and ev.inspect.returned_error.kind == "unsafe"
    ):
        problem = tr(
            lang,
            "the model uses code that cannot be loaded safely (e.g. a Lambda "
            "layer); use built-in layers",
            "安全に読み込めないコード(Lambda 層など)を含むモデルです。組み込みの層を使ってください",
        )
    if problem:
        return fail_all(ids, problem, lang)
    assert facts is not None
    out: Verdicts = {}
    if facts.compile is None:
        msg = tr(
            lang,
            "the model is not compiled: call model.compile(...) before returning it",
            "モデルが compile されていません。return の前に model.compile(...) を呼んでください",
        )
        return fail_all(ids, msg, lang)
    out[ids[0]] = (True, tr(lang, "returns a compiled model", "compile 済みのモデルを返しています"))
    for cid in ids[1:]:
        out[cid] = JUDGES[cid](ev, ctx, facts)
    return out


def _loss_verdict(ctx: Context, facts: ModelFacts) -> tuple[bool, str]:
    lang = ctx.lang
    name, logits = loss_of(facts.compile)
    want = ctx.expected["loss"]
    if name in want and logits:
        return False, tr(
            lang,
            f"from_logits=True, but the output layer already applies "
            f"{facts.output_activation}: the loss would apply it twice; drop "
            "from_logits",
            f"from_logits=True ですが、出力層がすでに "
            f"{facts.output_activation} を適用しています。二重に適用されるので "
            "from_logits を外してください",
        )
    if name in want:
        return True, tr(lang, f"loss {name}", f"損失関数 {name}")
    hint = loss_note(ctx.labels, name or "", want, ctx.n_classes, lang)
    if hint:
        return False, hint
    shown = name or tr(lang, "none", "なし")
    return False, tr(
        lang,
        f"loss {shown} does not fit this task: use {' / '.join(want)}",
        f"損失関数 {shown} はこの課題に合いません。{' / '.join(want)} を使ってください",
    )


def _output_verdict(ctx: Context, facts: ModelFacts) -> tuple[bool, str]:
    lang = ctx.lang
    units, act = facts.output_units, facts.output_activation or "linear"
    want_units, want_acts = ctx.expected["units"], ctx.expected["activations"]
    if units != want_units:
        return False, tr(
            lang,
            f"the output layer has {units} units; this task needs {want_units}",
            f"出力層のユニット数が {units} です。この課題では {want_units} が必要です",
        )
    if act not in want_acts:
        note = activation_note(ctx.labels, act, lang)
        if note is not None and want_acts == ["linear"]:
            return False, tr(
                lang,
                f"{note[0]}: use no activation (linear) on the output",
                f"{note[1]}。出力層には活性化関数を付けないで(linear)ください",
            )
        if note is not None:
            return False, tr(
                lang,
                f"{note[0]}: this task needs {' or '.join(want_acts)}",
                f"{note[1]}。この課題では {' か '.join(want_acts)} が必要です",
            )
        return False, tr(
            lang,
            f"the output activation is {act}; this task needs {' or '.join(want_acts)}",
            f"出力層の活性化関数が {act} です。この課題では {' か '.join(want_acts)} が必要です",
        )
    return True, tr(lang, f"output: {units} unit(s), {act}", f"出力層: {units} ユニット, {act}")


def _optimizer_verdict(ctx: Context, facts: ModelFacts) -> tuple[bool, str]:
    name, _ = optimizer_of(facts.compile)
    want = ctx.expected["optimizer"]
    if name == want.lower():
        return True, want
    return False, tr(
        ctx.lang,
        f"the optimizer is {name}; the task asks for {want}",
        f"オプティマイザが {name} です。課題では {want} を指定しています",
    )


def _metric_verdict(ev: Evidence, ctx: Context, facts: ModelFacts) -> tuple[bool, str]:
    want = ctx.expected["metric"]
    names = metrics_of(facts.compile)
    insp = ev.inspect
    wanted = set(ctx.reference.get("metric_meanings") or [want])
    if insp is not None and insp.metric_truth:
        have = meanings(insp.metric_values, insp.metric_truth)
        if wanted <= have:
            return True, tr(ctx.lang, f"metric {want}", f"評価指標 {want}")
        if want in names:  # called so, but it computes something else on this data
            return False, tr(
                ctx.lang,
                f"the metric named {want} does not compute the {want} of this model's "
                f"predictions (e.g. keras.metrics.Accuracy() counts exact matches of "
                f"probabilities with labels, binary accuracy thresholds every output at 0.5): "
                f"use metrics=[{want!r}], which Keras matches to the loss",
                f"{want} という名前の評価指標が、このモデルの予測の {want} を計算していません"
                f"(たとえば keras.metrics.Accuracy() は確率とラベルの完全一致を数え、"
                f"binary accuracy は各出力を 0.5 で区切ります)。"
                f"metrics=[{want!r}] を使えば、Keras が損失に合った指標を選びます",
            )
    elif want in names:
        return True, tr(ctx.lang, f"metric {want}", f"評価指標 {want}")
    if "categorical_accuracy" in names:
        return False, tr(
            ctx.lang,
            "categorical_accuracy compares one-hot labels; with integer labels use 'accuracy'",
            "categorical_accuracy は one-hot ラベル用です。整数ラベルには 'accuracy' を使います",
        )
    return False, tr(
        ctx.lang,
        f"add the {want} metric: metrics=[{want!r}]",
        f"評価指標 {want} を追加してください: metrics=[{want!r}]",
    )


def _both(
    first: Callable[[Context, ModelFacts], tuple[bool, str]],
    second: Callable[[Evidence, Context, ModelFacts], tuple[bool, str]],
) -> Callable[[Evidence, Context, ModelFacts], tuple[bool, str]]:
    def judge(ev: Evidence, ctx: Context, facts: ModelFacts) -> tuple[bool, str]:
        results = [first(ctx, facts), second(ev, ctx, facts)]
        return all(ok for ok, _ in results), "; ".join(m for _, m in results)

    return judge


JUDGES: dict[str, Callable[[Evidence, Context, ModelFacts], tuple[bool, str]]] = {
    "loss": lambda ev, ctx, f: _loss_verdict(ctx, f),
    "output": lambda ev, ctx, f: _output_verdict(ctx, f),
    "optimizer": lambda ev, ctx, f: _optimizer_verdict(ctx, f),
    "metric": _metric_verdict,
    "optimizer-metric": _both(_optimizer_verdict, _metric_verdict),
    "trains": lambda ev, ctx, f: training_check(ev, ctx),
}
