"""Check kinds about a training: the fit calls the learner's code made, as the inspector ran them.

Every fact judged here is one the inspector observed in its own run of the learner's fit calls
(FitRun); every expectation is what the same inspector observed running the reference's.
"""

from __future__ import annotations

from typing import Any

from grader.checks import Context, Evidence, call_problem, tr, training_check
from grader.exercises import CheckParams
from grader.facts import ONLY_WATCH, FitRun

Verdict = tuple[bool, str]

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


def _entry(ctx: Context) -> str:
    entry = ctx.spec.entry("history")
    assert entry is not None  # the exercise's entry point that trains
    return entry.name


def _runs(ev: Evidence) -> list[FitRun]:
    return (ev.inspect.fit_runs if ev.inspect else None) or []


def _pair(ev: Evidence, ctx: Context) -> tuple[FitRun, FitRun]:
    """The learner's last run and the reference's (needs() held)."""
    refs = [FitRun.model_validate(x) for x in ctx.reference["fit_runs"]]
    return _runs(ev)[-1], refs[-1]


def called(ev: Evidence, ctx: Context, params: CheckParams) -> str | None:
    """The training entry point ran and returned something."""
    return call_problem(ev, _entry(ctx), ctx.lang)


def needs(ev: Evidence, ctx: Context, params: CheckParams) -> str | None:
    """As many fit calls as the reference made, each run by the inspector."""
    lang = ctx.lang
    problem = called(ev, ctx, params)
    if problem or ev.report is None:
        return problem or ""
    runs = _runs(ev)
    refs = ctx.reference.get("fit_runs") or []
    if not runs:
        return tr(lang, "model.fit was never called", "model.fit が呼ばれていません")
    if len(runs) != len(refs):  # each call trains the same model further: not the task's
        return tr(
            lang,
            f"model.fit was called {len(runs)} times; the task trains with {len(refs)} call(s)",
            f"model.fit が {len(runs)} 回呼ばれています。課題では {len(refs)} 回の呼び出しで訓練します",
        )
    return None


def returns_history(ev: Evidence, ctx: Context, params: CheckParams) -> Verdict:
    assert ev.report is not None
    return _returns_history(ev.report.calls[_entry(ctx)], len(_runs(ev)), ctx.lang)


def options(ev: Evidence, ctx: Context, params: CheckParams) -> Verdict:
    run, ref = _pair(ev, ctx)
    return _fit_options(run, ref, params.options or list(TRAINING_OPTIONS), ctx.lang)


def validation(ev: Evidence, ctx: Context, params: CheckParams) -> Verdict:
    run, ref = _pair(ev, ctx)
    return _validation_verdict(run, ref, ctx.lang)


def callbacks(ev: Evidence, ctx: Context, params: CheckParams) -> Verdict:
    run, ref = _pair(ev, ctx)
    return _callbacks_verdict(run, ref, ctx.lang)


def stops_and_restores(ev: Evidence, ctx: Context, params: CheckParams) -> Verdict:
    run, ref = _pair(ev, ctx)
    return _stops_and_restores(ev, ctx, run, ref)


def checkpoint(ev: Evidence, ctx: Context, params: CheckParams) -> Verdict:
    """What the checkpoint file holds at the end: the model of the run's best epoch, when the
    reference's file holds its best one."""
    lang = ctx.lang
    run, ref = _pair(ev, ctx)
    if not run.checkpoints:
        return False, tr(
            lang,
            "no checkpoint file was written: pass keras.callbacks.ModelCheckpoint(filepath=path, "
            "...) to fit(callbacks=[...])",
            "チェックポイントのファイルが書かれていません。"
            "keras.callbacks.ModelCheckpoint(filepath=path, ...) を fit(callbacks=[...]) に渡してください",
        )
    best, saved = _best_val_loss(run), run.checkpoint_val_loss
    ref_best, ref_saved = _best_val_loss(ref), ref.checkpoint_val_loss
    if best is None or saved is None:
        return False, tr(
            lang,
            "the checkpoint file could not be checked against val_loss (no validation data?)",
            "チェックポイントのファイルを val_loss と照らし合わせられません（検証データがありません）",
        )
    keeps_best = ref_best is not None and ref_saved is not None and _at(ref_saved, ref_best)
    if keeps_best and not _at(saved, best):
        return False, tr(
            lang,
            f"the checkpoint file holds a model with val_loss {saved:.4f}, not the best epoch's "
            f"{best:.4f}: with save_best_only=True (monitor val_loss) the file keeps the best",
            f"チェックポイントのファイルのモデルは val_loss {saved:.4f} で、最良のエポックの "
            f"{best:.4f} ではありません。save_best_only=True（val_loss を監視）なら最良のものが残ります",
        )
    return True, tr(
        lang,
        f"the checkpoint file holds the best epoch's model (val_loss {saved:.4f})",
        f"チェックポイントのファイルは最良のエポックのモデルです（val_loss {saved:.4f}）",
    )


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
        f"train は model.fit が返す History オブジェクトを返す必要があります（{info.returned} が返りました）",
    )


def _show(value: Any) -> str:
    return repr(value) if isinstance(value, str) else str(value)


def _fit_options(run: FitRun, ref: FitRun, keys: list[str], lang: str) -> tuple[bool, str]:
    got = {k: run.options.get(k) for k in keys}
    want = {k: ref.options.get(k) for k in keys}
    shown = f"batch_size {run.options.get('batch_size')}, epochs {run.options.get('epochs')}"
    wrong = [k for k in keys if got[k] != want[k]]
    notes = []
    if "batch_size" in wrong or "epochs" in wrong:
        notes.append(
            tr(
                lang,
                f"{shown} (wanted {want['batch_size']} and {want['epochs']})",
                f"{shown}（期待値は {want['batch_size']} と {want['epochs']}）",
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
    if w.kind == "data":
        fix = tr(
            lang,
            "validate on the validation rows you are given: validation_data=(x_val, y_val)",
            "渡された検証用データで検証してください：validation_data=(x_val, y_val)",
        )
    if v is None or v.kind == "none":
        return False, tr(lang, f"no validation data: {fix}", f"検証データがありません。{fix}")
    if w.kind == "data" and v.kind == "split":
        return False, tr(
            lang,
            f"validation_split holds out part of the training rows instead: {fix}",
            f"validation_split では訓練データの一部を取り分けることになります。{fix}",
        )
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
    if w.kind == "data":
        ok = v.kind == "data" and v.rows == w.rows
        return ok, tr(
            lang,
            f"validation_data: {v.rows} rows" + ("" if ok else f" (wanted {w.rows}); {fix}"),
            f"validation_data: {v.rows} 行" + ("" if ok else f"（期待値 {w.rows} 行）。{fix}"),
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
            "restore_best_weights が True ではありません。最後の（悪化した）重みが残ります",
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
            f"{now:.4f} で、最良の {best:.4f} ではありません（重みが復元されていません）",
        )
    learned, why = training_check(ev, ctx)
    if not learned:
        return False, why
    return True, tr(
        lang,
        f"stopped after {ran} epochs with the best weights (val_loss {best:.4f}); {why}",
        f"{ran} エポックで停止し、最良の重み（val_loss {best:.4f}）に戻しています。{why}",
    )
