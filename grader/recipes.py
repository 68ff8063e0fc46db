"""One recipe per exercise task: which checks exist and how each is judged from the evidence."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from grader.checks import (
    Context,
    Evidence,
    Verdicts,
    call_problem,
    fail_all,
    judge_model,
    tr,
    training_check,
)
from grader.facts import ONLY_WATCH, FitRun


@dataclass(frozen=True)
class Recipe:
    checks: tuple[str, ...]
    judge: Callable[[Evidence, Context], Verdicts]


def _model(entry: str) -> Callable[[Evidence, Context], Verdicts]:
    def judge(ev: Evidence, ctx: Context) -> Verdicts:
        return judge_model(ev, ctx, entry, list(RECIPES[ctx.task].checks))

    return judge


# -- fit-validation -------------------------------------------------------------------------------
# Every fact judged here is one the inspector observed in its own run of the learner's fit calls
# (FitRun); every expectation is what the same inspector observed running the reference's.
# fit() options that change the training, besides the validation (judged on its own).
TRAINING_OPTIONS = (
    "batch_size",
    "epochs",
    "shuffle",
    "class_weight",
    "sample_weight",
    "initial_epoch",
    "steps_per_epoch",
)


def judge_fit(ev: Evidence, ctx: Context) -> Verdicts:
    lang = ctx.lang
    ids = list(RECIPES["fit-validation"].checks)
    problem = call_problem(ev, "train", lang)
    r = ev.report
    if problem or r is None:
        return fail_all(ids, problem or "", lang)
    runs = (ev.inspect.fit_runs if ev.inspect else None) or []
    refs = [FitRun.model_validate(x) for x in ctx.reference["fit_runs"]]
    out: Verdicts = {ids[0]: _returns_history(r.calls["train"], len(runs), lang)}
    if not runs:
        msg = tr(lang, "model.fit was never called", "model.fit が呼ばれていません")
        return out | fail_all(ids[1:], msg, lang)
    if len(runs) != len(refs):  # each call trains the same model further: not the task's
        msg = tr(
            lang,
            f"model.fit was called {len(runs)} times; the task trains with {len(refs)} call(s)",
            f"model.fit が {len(runs)} 回呼ばれています。課題では {len(refs)} 回の呼び出しで訓練します",
        )
        return out | fail_all(ids[1:], msg, lang)
    run, ref = runs[-1], refs[-1]
    out[ids[1]] = _fit_options(run, ref, lang)
    out[ids[2]] = _validation_verdict(run, ref, lang)
    out[ids[3]] = _callbacks_verdict(run, ref, lang)
    out[ids[4]] = _stops_and_restores(ev, ctx, run, ref)
    return out


def _returns_history(info: Any, n_runs: int, lang: str) -> tuple[bool, str]:
    if n_runs and info.history_of_call == n_runs - 1:
        return True, tr(lang, "returns the History", "History を返しています")
    if info.history_of_call is not None:
        return False, tr(
            lang,
            "train returned the History of an earlier fit call, not of the last one",
            "train が最後ではなく、それより前の fit 呼び出しの History を返しています",
        )
    return False, tr(
        lang,
        f"train must return the History object that model.fit returns, got {info.returned}",
        f"train は model.fit が返す History オブジェクトを返す必要があります({info.returned} が返りました)",
    )


def _show(value: Any) -> str:
    return repr(value) if isinstance(value, str) else str(value)


def _fit_options(run: FitRun, ref: FitRun, lang: str) -> tuple[bool, str]:
    got = {k: run.options.get(k) for k in TRAINING_OPTIONS}
    want = {k: ref.options.get(k) for k in TRAINING_OPTIONS}
    shown = f"batch_size {got['batch_size']}, epochs {got['epochs']}"
    wrong = [k for k in TRAINING_OPTIONS if got[k] != want[k]]
    notes = []
    if "batch_size" in wrong or "epochs" in wrong:
        notes.append(
            tr(
                lang,
                f"{shown} (wanted {want['batch_size']} and {want['epochs']})",
                f"{shown}(期待値は {want['batch_size']} と {want['epochs']})",
            )
        )
    for k in wrong:
        if k in ("batch_size", "epochs"):
            continue
        notes.append(
            tr(
                lang,
                f"fit(..., {k}=...) is {_show(got[k])}, the task uses {_show(want[k])}",
                f"fit(..., {k}=...) が {_show(got[k])} です。課題では {_show(want[k])} です",
            )
        )
    return (not notes, "; ".join(notes) if notes else shown)


def _validation_verdict(run: FitRun, ref: FitRun, lang: str) -> tuple[bool, str]:
    v, w = run.validation, ref.validation
    assert w is not None
    fix = tr(
        lang,
        f"hold out {w.share:.0%} with validation_split={w.share:g}",
        f"validation_split={w.share:g} で {w.share:.0%} を取り分けてください",
    )
    if v is None or v.kind == "none":
        return False, tr(lang, f"no validation data: {fix}", f"検証データがありません。{fix}")
    if v.overlap:
        return False, tr(
            lang,
            f"{v.overlap} validation rows are also training rows: the validation score "
            f"then measures memory, not generalisation; {fix}",
            f"検証データのうち {v.overlap} 行が訓練データにも含まれています。"
            f"これでは汎化ではなく暗記を測ることになります。{fix}",
        )
    if not v.tail:
        what = "validation_data" if v.kind == "data" else "x"
        return False, tr(
            lang,
            f"{what} is not the last {w.share:.0%} of the data: {fix}",
            f"{what} がデータの最後の {w.share:.0%} ではありません。{fix}",
        )
    ok = abs(v.share - w.share) < (1e-6 if v.kind == "split" else 0.01)
    return ok, tr(
        lang,
        f"validation share {v.share:.0%}" + ("" if ok else f"; {fix}"),
        f"検証データの割合 {v.share:.0%}" + ("" if ok else f"。{fix}"),
    )


def _callback_difference(key: str, got: Any, want: Any, lang: str) -> str:
    if key == "monitor":
        return tr(
            lang,
            f"it monitors {got!r}, not {want!r}",
            f"監視対象が {want!r} ではなく {got!r} です",
        )
    if key == "restore_best_weights" and want:
        return tr(
            lang,
            "restore_best_weights is not True: the model keeps the last, worse weights",
            "restore_best_weights が True ではありません。最後の(悪化した)重みが残ります",
        )
    return tr(
        lang,
        f"{key} is {_show(got)}, not {_show(want)}",
        f"{key} が {_show(want)} ではなく {_show(got)} です",
    )


def _callbacks_verdict(run: FitRun, ref: FitRun, lang: str) -> tuple[bool, str]:
    wanted = [c for c in ref.callbacks if c.run]
    used = [c for c in run.callbacks if c.run]
    own = [c.class_ for c in run.callbacks if not c.keras]
    problems, shown = [], []
    for want in wanted:
        same = [c for c in used if c.class_ == want.class_]
        if not same:
            msg = tr(
                lang,
                f"no {want.class_} callback was passed to fit(callbacks=[...])",
                f"fit(callbacks=[...]) に {want.class_} が渡されていません",
            )
            if own:
                msg += tr(
                    lang,
                    f" ({', '.join(own)}: a callback class of your own is not run by the grader; "
                    f"use keras.callbacks.{want.class_})",
                    f"({', '.join(own)} は独自のコールバッククラスなので採点では実行されません。"
                    f"keras.callbacks.{want.class_} を使ってください)",
                )
            problems.append(msg)
            continue
        got = same[0]
        diffs = [
            _callback_difference(k, (got.config or {}).get(k), v, lang)
            for k, v in (want.config or {}).items()
            if (got.config or {}).get(k) != v
        ]
        if diffs:
            problems.append(f"{want.class_}: " + "; ".join(diffs))
        else:
            keys = ", ".join(f"{k}={_show(v)}" for k, v in (want.config or {}).items())
            shown.append(f"{want.class_}({keys})")
    extra = [c.class_ for c in used if c.class_ not in {w.class_ for w in wanted}]
    extra = [name for name in extra if name not in ONLY_WATCH]
    for name in extra:
        problems.append(
            tr(
                lang,
                f"{name} changes the training, and the task does not use it",
                f"{name} は訓練を変えますが、課題では使いません",
            )
        )
    if problems:
        return False, "; ".join(problems)
    return True, "; ".join(shown)


def _best_val_loss(run: FitRun) -> float | None:
    """The lowest val_loss of a run's epochs (None: it had no validation)."""
    history = run.history.history if run.history else {}
    finite = [v for v in history.get("val_loss", []) if v is not None]
    return min(finite) if finite else None


def _at(value: float, best: float) -> bool:
    """Whether the final weights give the best epoch's val_loss (the weights were restored)."""
    return abs(value - best) <= 1e-3 * max(1.0, abs(best))


def _stops_and_restores(ev: Evidence, ctx: Context, run: FitRun, ref: FitRun) -> tuple[bool, str]:
    lang = ctx.lang
    if run.history is None:
        return False, tr(lang, "no training history to check", "確認できる訓練履歴がありません")
    best = _best_val_loss(run)
    if best is None:
        return False, tr(
            lang,
            "no val_loss was recorded: training used no validation data",
            "val_loss が記録されていません。検証データなしで訓練しています",
        )
    epochs, ran = run.options.get("epochs"), run.history.epochs_run
    stoppers = [c for c in ref.callbacks if c.run and c.stopped_epoch]
    if stoppers:  # the reference's training was stopped by this callback on this data
        name = stoppers[0].class_
        ours = [c for c in run.callbacks if c.run and c.class_ == name]
        if not any(c.stopped_epoch for c in ours):
            return False, tr(
                lang,
                f"{name} did not stop the training: it ran {ran} of {epochs} epochs although "
                "val_loss stopped improving",
                f"{name} が訓練を止めていません。val_loss が改善しなくなっても "
                f"{epochs} エポック中 {ran} エポック訓練しました",
            )
    now = ev.inspect.val_loss_now if ev.inspect else None
    if now is None:
        return False, tr(
            lang, "the trained model could not be checked", "訓練後のモデルを確認できませんでした"
        )
    ref_best = _best_val_loss(ref)
    restored = ref_best is not None and _at(float(ctx.reference["val_loss_now"]), ref_best)
    if restored and not _at(now, best):  # the reference ends on its best weights: so must this
        return False, tr(
            lang,
            f"stopped after {ran} epochs, but the final weights "
            f"give val_loss {now:.4f}, not the best {best:.4f}: weights not restored",
            f"{ran} エポックで停止しましたが、最終的な重みの val_loss は "
            f"{now:.4f} で、最良の {best:.4f} ではありません(重みが復元されていません)",
        )
    learned, why = training_check(ev, ctx)
    if not learned:
        return False, why
    return True, tr(
        lang,
        f"stopped after {ran} epochs with the best weights (val_loss {best:.4f}); {why}",
        f"{ran} エポックで停止し、最良の重み(val_loss {best:.4f})に戻しています。{why}",
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
        out["labels"] = _labels_verdict(ev, ref_labels, ctx.n_classes, lang)
    problem = call_problem(ev, "test_scores", lang)
    if problem:
        out["scores"] = (False, problem)
    else:
        out["scores"] = _scores_verdict(ev, ctx.reference["scores"], lang)
    return out


def _labels_verdict(ev: Evidence, ref: np.ndarray, n_classes: int, lang: str) -> tuple[bool, str]:
    labels = ev.labels
    if labels is None:
        why = ev.report.labels_error if ev.report else None
        return False, tr(
            lang,
            f"predict_labels did not return an array of numbers ({why})",
            f"predict_labels が数値の配列を返しませんでした({why})",
        )
    if labels.ndim == 2 and labels.shape == (len(ref), n_classes):
        return False, tr(
            lang,
            f"predict_labels returned the probabilities (one row of {n_classes} per "
            "sample) instead of labels: take np.argmax(probs, axis=-1)",
            f"predict_labels がラベルではなく確率(1 行 {n_classes} 個)を返しています。"
            "np.argmax(probs, axis=-1) を使ってください",
        )
    if labels.ndim == 1 and labels.shape[0] == n_classes and len(ref) != n_classes:
        return False, tr(
            lang,
            f"predict_labels returned {n_classes} values instead of one per row: argmax "
            "was taken over axis 0 (the samples); use axis=-1",
            f"predict_labels が各行に 1 つではなく {n_classes} 個の値を返しています。argmax を "
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
# Where the learning rate is compared: dense enough that a staircase at any half step or a
# piecewise look-alike that agrees at round numbers is told apart from a smooth decay.
STEPS = sorted(
    {0, 1, 2, 10, 99, 100, 250, 333, 499, 500, 501, 750, 999, 1000, 1001, 1250, 1500, 1750}
    | set(range(2000, 10001, 250))
    | {2222, 3333, 4444, 6789, 9999}
)


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
    want_class = str(ctx.reference.get("lr_class") or "")
    want_schedule = str(ctx.reference.get("schedule") or "")
    same_class = (lr.class_ or "").lower() == want_class.lower()
    out["returns-optimizer"] = (
        same_class,
        want_class
        if same_class
        else tr(
            lang,
            f"the optimizer is {lr.class_}; the task asks for {want_class}",
            f"オプティマイザが {lr.class_} です。課題では {want_class} を指定しています",
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
            f"the learning rate is a constant {got[0]:g}: pass a {want_schedule} "
            "schedule as learning_rate",
            f"学習率が定数 {got[0]:g} です。learning_rate に "
            f"{want_schedule} のスケジュールを渡してください",
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
            f"lr at step 2000 is {shown} x the initial rate (wanted {q2:.4g})",
            f"ステップ 2000 の学習率は初期値の {shown} 倍です(期待値 {q2:.4g})",
        ),
    )
    r15, q15 = ratio(1500)
    shown = "?" if r15 is None else f"{r15:.4g}"
    staircase = bool(lr.schedule_config.get("staircase"))
    msg = tr(
        lang,
        f"lr at step 1500 is {shown} x the initial rate (wanted {q15:.4g})",
        f"ステップ 1500 の学習率は初期値の {shown} 倍です(期待値 {q15:.4g})",
    )
    if staircase:
        msg += tr(
            lang,
            ": staircase=True makes it drop in steps; the task wants a smooth decay",
            "。staircase=True だと階段状に下がります。課題は滑らかな減衰です",
        )
    off = [s for s in STEPS if not same_ratio(s)]
    if off and same_ratio(1500) and same_ratio(500):  # agrees at round steps only
        r_off, q_off = ratio(off[0])
        shown = "?" if r_off is None else f"{r_off:.4g}"
        msg = tr(
            lang,
            f"lr at step {off[0]} is {shown} x the initial rate (wanted {q_off:.4g}): the "
            f"schedule only agrees at some steps; use a smooth {want_schedule}",
            f"ステップ {off[0]} の学習率は初期値の {shown} 倍です(期待値 {q_off:.4g})。"
            f"一部のステップでしか一致しません。滑らかな {want_schedule} を使ってください",
        )
    out["smooth"] = (not off, msg)
    return out


RECIPES: dict[str, Recipe] = {
    "compile-multiclass": Recipe(
        ("returns-model", "loss", "optimizer", "metric", "trains"),
        _model("compile_model"),
    ),
    "binary-classifier": Recipe(
        ("returns-model", "output", "loss", "optimizer-metric", "trains"),
        _model("build_model"),
    ),
    "regressor": Recipe(
        ("returns-model", "output", "loss", "optimizer-metric", "trains"),
        _model("build_model"),
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
    ),
    "evaluate-predict": Recipe(("labels", "scores"), judge_evaluate),
    "lr-schedule": Recipe(("returns-optimizer", "initial", "decay", "smooth"), judge_lr),
}
