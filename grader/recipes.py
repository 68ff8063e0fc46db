"""One recipe per exercise task: which checks exist and how each is judged from the evidence."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from grader.checks import Context, Evidence, Verdicts, call_problem, fail_all, judge_model, tr


@dataclass(frozen=True)
class Recipe:
    checks: tuple[str, ...]
    judge: Callable[[Evidence, Context], Verdicts]
    expected: dict[str, Any]


def _model(entry: str) -> Callable[[Evidence, Context], Verdicts]:
    def judge(ev: Evidence, ctx: Context) -> Verdicts:
        return judge_model(ev, ctx, entry, list(RECIPES[ctx.task].checks))

    return judge


# -- fit-validation -------------------------------------------------------------------------------
def judge_fit(ev: Evidence, ctx: Context) -> Verdicts:
    lang = ctx.lang
    ids = list(RECIPES["fit-validation"].checks)
    problem = call_problem(ev, "train", lang)
    r = ev.report
    if problem or r is None:
        return fail_all(ids, problem or "", lang)
    out: Verdicts = {}
    returned = r.calls["train"].returned
    if r.fit is None or returned != "History":
        out["returns-history"] = (
            False,
            tr(
                lang,
                f"train must return the History object that model.fit returns, got {returned}",
                f"train は model.fit が返す History オブジェクトを返す必要があります({returned} が返りました)",
            ),
        )
    else:
        out["returns-history"] = (True, tr(lang, "returns the History", "History を返しています"))
    if not r.fit_calls:
        msg = tr(lang, "model.fit was never called", "model.fit が呼ばれていません")
        return out | fail_all(ids[1:], msg, lang)
    call = r.fit_calls[-1]
    batch = call.batch_size or 32
    ok = batch == 32 and call.epochs == 50
    out["batch-epochs"] = (
        ok,
        tr(
            lang,
            f"batch_size {batch}, epochs {call.epochs} (wanted 32 and 50)"
            if not ok
            else "batch_size 32, epochs 50",
            f"batch_size {batch}, epochs {call.epochs}(期待値は 32 と 50)"
            if not ok
            else "batch_size 32, epochs 50",
        ),
    )
    n = call.x_len or len(ctx.y_train)
    share = call.validation_split
    if call.validation_data_len:
        share = call.validation_data_len / (n + call.validation_data_len)
    ok = abs(share - 0.2) < 1e-6 or (
        call.validation_data_len is not None and abs(share - 0.2) < 0.01
    )
    if call.validation_data_len and not call.validation_data_is_tail:
        out["validation-split"] = (
            False,
            tr(
                lang,
                "validation_data is not the last 20% of the data: hold it out with "
                "validation_split=0.2",
                "validation_data がデータの最後の 20% ではありません。validation_split=0.2 で"
                "取り分けてください",
            ),
        )
        out["early-stopping"] = _early_stopping(call.callbacks, lang)
        out["stops-and-restores"] = _stops_and_restores(ev, ctx)
        return out
    out["validation-split"] = (
        ok,
        tr(
            lang,
            f"validation share {share:.0%}"
            + ("" if ok else "; hold out 20% with validation_split=0.2"),
            f"検証データの割合 {share:.0%}"
            + ("" if ok else "。validation_split=0.2 で 20% を取り分けてください"),
        ),
    )
    out["early-stopping"] = _early_stopping(call.callbacks, lang)
    out["stops-and-restores"] = _stops_and_restores(ev, ctx)
    return out


def _early_stopping(callbacks: list[Any], lang: str) -> tuple[bool, str]:
    stops = [c for c in callbacks if c.class_ == "EarlyStopping"]
    if not stops:
        return False, tr(
            lang,
            "no EarlyStopping callback was passed to fit(callbacks=[...])",
            "fit(callbacks=[...]) に EarlyStopping が渡されていません",
        )
    cb = stops[0]
    wrong = []
    if cb.monitor != "val_loss":
        wrong.append(
            tr(
                lang,
                f"it monitors {cb.monitor!r}, not 'val_loss'",
                f"監視対象が 'val_loss' ではなく {cb.monitor!r} です",
            )
        )
    if cb.patience != 3:
        wrong.append(
            tr(
                lang,
                f"patience is {cb.patience}, not 3",
                f"patience が 3 ではなく {cb.patience} です",
            )
        )
    if not cb.restore_best_weights:
        wrong.append(
            tr(
                lang,
                "restore_best_weights is not True: the model keeps the last, worse weights",
                "restore_best_weights が True ではありません。最後の(悪化した)重みが残ります",
            )
        )
    if wrong:
        return False, "EarlyStopping: " + "; ".join(wrong)
    return True, "EarlyStopping(monitor='val_loss', patience=3, restore_best_weights=True)"


def _stops_and_restores(ev: Evidence, ctx: Context) -> tuple[bool, str]:
    lang = ctx.lang
    r = ev.report
    if r is None or r.fit is None:
        return False, tr(lang, "no training history to check", "確認できる訓練履歴がありません")
    val = [v for v in r.fit.history.get("val_loss", []) if v is not None]
    if not val:
        return False, tr(
            lang,
            "no val_loss was recorded: training used no validation data",
            "val_loss が記録されていません。検証データなしで訓練しています",
        )
    if r.fit.epochs_run >= 50:
        return False, tr(
            lang,
            "training ran all 50 epochs although val_loss stopped improving",
            "val_loss が改善しなくなっても 50 エポックすべて訓練しました",
        )
    now = ev.inspect.val_loss_now if ev.inspect else None
    best = min(val)
    if now is None:
        return False, tr(
            lang, "the trained model could not be checked", "訓練後のモデルを確認できませんでした"
        )
    if abs(now - best) > 1e-3 * max(1.0, abs(best)):
        return False, tr(
            lang,
            f"stopped after {r.fit.epochs_run} epochs, but the final weights "
            f"give val_loss {now:.4f}, not the best {best:.4f}: weights not restored",
            f"{r.fit.epochs_run} エポックで停止しましたが、最終的な重みの val_loss は "
            f"{now:.4f} で、最良の {best:.4f} ではありません(重みが復元されていません)",
        )
    return True, tr(
        lang,
        f"stopped after {r.fit.epochs_run} epochs with the best weights (val_loss {best:.4f})",
        f"{r.fit.epochs_run} エポックで停止し、最良の重み(val_loss {best:.4f})に戻しています",
    )


# -- evaluate-predict -----------------------------------------------------------------------------
def judge_evaluate(ev: Evidence, ctx: Context) -> Verdicts:
    lang = ctx.lang
    out: Verdicts = {}
    problem = call_problem(ev, "predict_labels", lang)
    ref_labels = np.asarray(ctx.reference["labels"])
    if problem:
        out["labels"] = (False, problem)
    else:
        out["labels"] = _labels_verdict(ev, ref_labels, lang)
    problem = call_problem(ev, "test_scores", lang)
    if problem:
        out["scores"] = (False, problem)
    else:
        out["scores"] = _scores_verdict(ev, ctx.reference["scores"], lang)
    return out


def _labels_verdict(ev: Evidence, ref: np.ndarray, lang: str) -> tuple[bool, str]:
    labels = ev.labels
    if labels is None:
        why = ev.report.labels_error if ev.report else None
        return False, tr(
            lang,
            f"predict_labels did not return an array of numbers ({why})",
            f"predict_labels が数値の配列を返しませんでした({why})",
        )
    if labels.ndim == 2 and labels.shape == (len(ref), 10):
        return False, tr(
            lang,
            "predict_labels returned the probabilities (one row of 10 per "
            "sample) instead of labels: take np.argmax(probs, axis=-1)",
            "predict_labels がラベルではなく確率(1 行 10 個)を返しています。"
            "np.argmax(probs, axis=-1) を使ってください",
        )
    if labels.ndim == 1 and labels.shape[0] == 10 and len(ref) != 10:
        return False, tr(
            lang,
            "predict_labels returned 10 values instead of one per row: argmax "
            "was taken over axis 0 (the samples); use axis=-1",
            "predict_labels が各行に 1 つではなく 10 個の値を返しています。argmax を "
            "axis=0(サンプル方向)で取っています。axis=-1 を使ってください",
        )
    flat = labels.reshape(-1)
    if flat.shape[0] != len(ref):
        return False, tr(
            lang,
            f"predict_labels returned shape {labels.shape}; expected ({len(ref)},)",
            f"predict_labels の形が {labels.shape} です。({len(ref)},) が期待されます",
        )
    if flat.dtype.kind == "f" and not np.all(np.equal(np.mod(flat, 1), 0)):
        return False, tr(
            lang,
            "predict_labels returned fractions, not class numbers",
            "predict_labels がクラス番号ではなく小数を返しています",
        )
    agree = float(np.mean(flat.astype("int64") == ref))
    if agree < 1.0:
        return False, tr(
            lang,
            f"{agree:.0%} of the labels match the model's predicted classes",
            f"ラベルのうちモデルの予測クラスと一致するのは {agree:.0%} です",
        )
    return True, tr(
        lang,
        "one integer class per row, matching the model",
        "各行に整数クラス 1 つ(モデルの予測と一致)",
    )


def _scores_verdict(ev: Evidence, ref: list[float], lang: str) -> tuple[bool, str]:
    r = ev.report
    assert r is not None
    if r.scores_dict_keys is not None:
        return False, tr(
            lang,
            "test_scores returned a dict; return the tuple (loss, accuracy)",
            "test_scores が dict を返しています。(loss, accuracy) のタプルを返してください",
        )
    got = r.scores
    if got is None or len(got) != 2:
        return False, tr(
            lang,
            "test_scores must return two numbers: (loss, accuracy)",
            "test_scores は 2 つの数値 (loss, accuracy) を返す必要があります",
        )
    loss, acc = ref

    def close(a: float, b: float) -> bool:
        return math.isfinite(a) and abs(a - b) <= 1e-4 * max(1.0, abs(b))

    if close(got[0], loss) and close(got[1], acc):
        return True, tr(
            lang, f"(loss {loss:.4f}, accuracy {acc:.4f})", f"(loss {loss:.4f}, accuracy {acc:.4f})"
        )
    if close(got[0], acc) and close(got[1], loss):
        return False, tr(
            lang,
            "the values are swapped: return (loss, accuracy), loss first",
            "値が逆です。(loss, accuracy) の順で、損失を先に返してください",
        )
    return False, tr(
        lang,
        f"got ({got[0]:.4f}, {got[1]:.4f}); model.evaluate gives ({loss:.4f}, {acc:.4f})",
        f"({got[0]:.4f}, {got[1]:.4f}) が返りました。"
        f"model.evaluate の値は ({loss:.4f}, {acc:.4f}) です",
    )


# -- lr-schedule ----------------------------------------------------------------------------------
STEPS = [0, 500, 1000, 1500, 2000, 5000]


def judge_lr(ev: Evidence, ctx: Context) -> Verdicts:
    lang = ctx.lang
    ids = list(RECIPES["lr-schedule"].checks)
    problem = call_problem(ev, "make_optimizer", lang)
    if problem:
        return fail_all(ids, problem, lang)
    r = ev.report
    assert r is not None
    lr = ev.inspect.lr if ev.inspect else None
    if r.object_kind == "schedule":
        return fail_all(
            ids,
            tr(
                lang,
                "make_optimizer returned the schedule itself; pass it to "
                "keras.optimizers.Adam(learning_rate=schedule) and return the "
                "optimizer",
                "make_optimizer がスケジュールそのものを返しています。"
                "keras.optimizers.Adam(learning_rate=schedule) に渡して"
                "オプティマイザを返してください",
            ),
            lang,
        )
    if lr is None or r.object_kind != "optimizer" or lr.error:
        returned = r.calls["make_optimizer"].returned
        return fail_all(
            ids,
            tr(
                lang,
                f"make_optimizer must return a Keras optimizer, got {returned}",
                f"make_optimizer は Keras のオプティマイザを返す必要が"
                f"あります({returned} が返りました)",
            ),
            lang,
        )
    out: Verdicts = {}
    is_adam = (lr.class_ or "").lower() == "adam"
    out["returns-optimizer"] = (
        is_adam,
        "Adam"
        if is_adam
        else tr(
            lang,
            f"the optimizer is {lr.class_}; the task asks for Adam",
            f"オプティマイザが {lr.class_} です。課題では Adam を指定しています",
        ),
    )
    want = ctx.reference["lr"]
    got = lr.values

    def at(step: int) -> tuple[float | None, float]:
        i = STEPS.index(step)
        return got[i], want[i]

    def same(step: int) -> bool:
        g, w = at(step)
        return g is not None and abs(g - w) <= 1e-6 + 1e-4 * abs(w)

    def ratio(step: int) -> tuple[float | None, float]:
        """The rate relative to step 0: decay is judged apart from the initial rate."""
        g, w = at(step)
        g0, w0 = at(0)
        return (g / g0 if g is not None and g0 else None), w / w0

    def same_ratio(step: int) -> bool:
        g, w = ratio(step)
        return g is not None and abs(g - w) <= 1e-4 * abs(w)

    if lr.schedule is None:
        msg = tr(
            lang,
            f"the learning rate is a constant {got[0]:g}: pass an ExponentialDecay "
            "schedule as learning_rate",
            f"学習率が定数 {got[0]:g} です。learning_rate に "
            "ExponentialDecay のスケジュールを渡してください",
        )
        g0, w0 = at(0)
        first = tr(
            lang,
            f"lr at step 0: {g0:g} (wanted {w0:g})",
            f"ステップ 0 の学習率: {g0:g}(期待値 {w0:g})",
        )
        return out | {"initial": (same(0), first), "decay": (False, msg), "smooth": (False, msg)}
    g0, w0 = at(0)
    out["initial"] = (
        same(0),
        tr(
            lang,
            f"lr at step 0: {g0:g} (wanted {w0:g})",
            f"ステップ 0 の学習率: {g0:g}(期待値 {w0:g})",
        ),
    )
    decay_ok = all(same_ratio(s) for s in (1000, 2000, 5000))
    r2, q2 = ratio(2000)
    shown = "?" if r2 is None else f"{r2:.4g}"
    out["decay"] = (
        decay_ok,
        tr(
            lang,
            f"lr at step 2000 is {shown} x the initial rate (wanted {q2:.4g}: x0.9 per 1000 steps)",
            f"ステップ 2000 の学習率は初期値の {shown} 倍です(期待値 {q2:.4g}: 1000 ステップごとに 0.9 倍)",
        ),
    )
    r15, q15 = ratio(1500)
    shown = "?" if r15 is None else f"{r15:.4g}"
    staircase = bool(lr.schedule_config.get("staircase"))
    msg = tr(
        lang,
        f"lr at step 1500 is {shown} x the initial rate (wanted {q15:.4g}, i.e. 0.9^1.5)",
        f"ステップ 1500 の学習率は初期値の {shown} 倍です(期待値 {q15:.4g} = 0.9^1.5)",
    )
    if staircase:
        msg += tr(
            lang,
            ": staircase=True makes it drop in steps; the task wants a smooth decay",
            "。staircase=True だと階段状に下がります。課題は滑らかな減衰です",
        )
    out["smooth"] = (same_ratio(1500) and same_ratio(500), msg)
    return out


RECIPES: dict[str, Recipe] = {
    "compile-multiclass": Recipe(
        ("returns-model", "loss", "optimizer", "metric", "trains"),
        _model("compile_model"),
        {
            "loss": ["sparse_categorical_crossentropy"],
            "metric": "accuracy",
            "units": 10,
            "activations": ["softmax"],
        },
    ),
    "binary-classifier": Recipe(
        ("returns-model", "output", "loss", "optimizer-metric", "trains"),
        _model("build_model"),
        {
            "loss": ["binary_crossentropy"],
            "metric": "accuracy",
            "units": 1,
            "activations": ["sigmoid"],
        },
    ),
    "regressor": Recipe(
        ("returns-model", "output", "loss", "optimizer-metric", "trains"),
        _model("build_model"),
        {"loss": ["mse", "mae", "huber"], "metric": "mae", "units": 1, "activations": ["linear"]},
    ),
    "fit-validation": Recipe(
        (
            "returns-history",
            "batch-epochs",
            "validation-split",
            "early-stopping",
            "stops-and-restores",
        ),
        judge_fit,
        {},
    ),
    "evaluate-predict": Recipe(("labels", "scores"), judge_evaluate, {}),
    "lr-schedule": Recipe(("returns-optimizer", "initial", "decay", "smooth"), judge_lr, {}),
}
