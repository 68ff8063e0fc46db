"""Check kinds about a training: the fit calls the learner's code made, as the inspector ran them.

Every fact judged here is one the inspector observed in its own run of the learner's fit calls
(FitRun); every expectation is what the same inspector observed running the reference's.
"""

from __future__ import annotations

from typing import Any

from grader.checks import Context, Evidence, call_problem, training_check
from grader.curves import SECONDS
from grader.exercises import CheckParams
from grader.facts import ONLY_WATCH, FitRun, RunCallback
from grader.messages import one_of, text

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
        return text(lang, "fit_never_called")
    if len(runs) != len(refs):  # each call trains the same model further: not the task's
        return text(lang, "fit_call_count_wrong", runs=len(runs), calls=len(refs))
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
        return False, text(lang, "fit_no_checkpoint")
    best, saved = _best_val_loss(run), run.checkpoint_val_loss
    ref_best, ref_saved = _best_val_loss(ref), ref.checkpoint_val_loss
    if best is None or saved is None:
        return False, text(lang, "fit_checkpoint_not_checkable")
    keeps_best = ref_best is not None and ref_saved is not None and _at(ref_saved, ref_best)
    if keeps_best and not _at(saved, best):
        return False, text(lang, "fit_checkpoint_not_best", saved=saved, best=best)
    return True, text(lang, "fit_checkpoint_best", saved=saved)


def _returns_history(info: Any, n_runs: int, lang: str) -> tuple[bool, str]:
    if n_runs and info.history_of_call == n_runs - 1:
        return True, text(lang, "fit_returns_history")
    if info.history_of_call is not None:
        return False, text(lang, "fit_history_of_earlier_call")
    return False, text(lang, "fit_history_not_returned", returned=info.returned)


def _joined(sentences: list[str], lang: str) -> str:
    return one_of(lang, sentences, sep="list_semicolon", last="list_semicolon")


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
            text(
                lang,
                "fit_batch_size_epochs_wrong",
                shown=shown,
                batch_size=want["batch_size"],
                epochs=want["epochs"],
            )
        )
    for k in wrong:
        if k in ("batch_size", "epochs"):
            continue
        notes.append(
            text(lang, "fit_option_wrong", option=k, got=_show(got[k]), want=_show(want[k]))
        )
    return (not notes, _joined(notes, lang) if notes else shown)


def _validation_verdict(run: FitRun, ref: FitRun, lang: str) -> tuple[bool, str]:
    v, w = run.validation, ref.validation
    assert w is not None
    fix = text(lang, "fit_fix_validation_split", share=w.share)
    if w.kind == "data":
        fix = text(lang, "fit_fix_validation_data")
    if v is None or v.kind == "none":
        return False, text(lang, "fit_no_validation_data", fix=fix)
    if w.kind == "data" and v.kind == "split":
        return False, text(lang, "fit_split_instead_of_data", fix=fix)
    if v.overlap:
        return False, text(lang, "fit_validation_overlaps_training", overlap=v.overlap, fix=fix)
    if not v.tail:
        what = "validation_data" if v.kind == "data" else "x"
        return False, text(lang, "fit_validation_not_last_rows", what=what, share=w.share, fix=fix)
    if w.kind == "data":
        if v.kind == "data" and v.rows == w.rows:
            return True, text(lang, "fit_validation_data_rows_ok", rows=v.rows)
        return False, text(
            lang, "fit_validation_data_rows_wrong", rows=v.rows, want=w.rows, fix=fix
        )
    if abs(v.share - w.share) < (1e-6 if v.kind == "split" else 0.01):
        return True, text(lang, "fit_validation_share_ok", share=v.share)
    return False, text(lang, "fit_validation_share_wrong", share=v.share, fix=fix)


def _callback_difference(key: str, got: Any, want: Any, lang: str) -> str:
    if key == "monitor":
        return text(lang, "fit_callback_monitor_wrong", got=got, want=want)
    if key == "restore_best_weights" and want:
        return text(lang, "fit_callback_not_restoring")
    return text(lang, "fit_callback_setting_wrong", key=key, got=_show(got), want=_show(want))


def _callbacks_verdict(run: FitRun, ref: FitRun, lang: str) -> tuple[bool, str]:
    wanted = [c for c in ref.callbacks if c.run]
    used = [c for c in run.callbacks if c.run]
    own = [c.class_ for c in run.callbacks if not c.keras]
    problems, shown = [], []
    for want in wanted:
        same = [c for c in used if c.class_ == want.class_]
        differs = [c for c in run.callbacks if c.behaviour and c.behaviour.as_ == want.class_]
        if not same and differs:
            problems.append(_own_differs(differs[0], lang))
            continue
        if not same:
            owns = ", ".join(own)
            if own:
                msg = text(lang, "fit_callback_missing_own_class", callback=want.class_, owns=owns)
            else:
                msg = text(lang, "fit_callback_missing", callback=want.class_)
            problems.append(msg)
            continue
        got = same[0]
        diffs = [
            _callback_difference(k, (got.config or {}).get(k), v, lang)
            for k, v in (want.config or {}).items()
            if (got.config or {}).get(k) != v
        ]
        if diffs:
            differ = _joined(diffs, lang)
            problems.append(
                text(lang, "fit_callback_settings_wrong", callback=want.class_, differ=differ)
            )
        else:
            keys = ", ".join(f"{k}={_show(v)}" for k, v in (want.config or {}).items())
            if got.own_class:
                own_as = _settings(want.class_, want.config or {})
                shown.append(
                    text(
                        lang,
                        "fit_own_callback_behaves_as",
                        own=got.own_class,
                        callback=own_as,
                        name=want.class_,
                    )
                )
            else:
                shown.append(f"{want.class_}({keys})")
    extra = [c.class_ for c in used if c.class_ not in {w.class_ for w in wanted}]
    extra = [name for name in extra if name not in ONLY_WATCH]
    for name in extra:
        problems.append(text(lang, "fit_callback_extra", name=name))
    if problems:
        return False, _joined(problems, lang)
    return True, _joined(shown, lang)


# Settings shown when an own callback is compared with Keras' (the others only when set).
_SHOWN = ("monitor", "patience", "restore_best_weights", "save_best_only")
_UNLESS = {
    "min_delta": (0, -0.0, None),
    "baseline": (None,),
    "start_from_epoch": (0, None),
    "save_weights_only": (False, None),
}


def _settings(name: str, config: dict[str, Any]) -> str:
    keys = [k for k in config if k in _SHOWN or k in _UNLESS and config[k] not in _UNLESS[k]]
    if "min_delta" in keys:
        config = config | {"min_delta": abs(config["min_delta"] or 0)}
    return f"{name}({', '.join(f'{k}={_show(config[k])}' for k in keys)})"


def _own_differs(cb: RunCallback, lang: str) -> str:
    """Where a callback of the learner's own class first behaved otherwise than the reference's
    on the probe curves, concretely (epochs counted from 1, as Keras prints them)."""
    b = cb.behaviour
    assert b is not None
    callback = _settings(b.as_, b.config)
    curve = text(lang, f"fit_curve_{b.kind}", monitor=b.monitor, best=b.best, epochs=b.epochs)
    epochs = {"curve": curve, "got": b.got, "want": b.want, "callback": b.as_}
    if b.error == "overtime":
        detail = text(lang, "fit_own_overtime", seconds=SECONDS)
    elif b.what == "missing":
        detail = text(lang, "fit_own_not_driven")
    elif b.what == "error":
        detail = text(lang, "fit_own_raised", curve=curve, error=b.error)
    elif b.what == "stop" and b.want is None:
        detail = text(lang, "fit_own_stops_keras_not", **epochs)
    elif b.what == "stop" and b.got is None:
        detail = text(lang, "fit_own_never_stops", **epochs)
    elif b.what == "stop":
        detail = text(lang, "fit_own_stops", **epochs)
    elif b.what == "saved" and b.want is None:
        detail = text(lang, "fit_own_saved_keras_nothing", **epochs)
    elif b.what == "saved" and b.got is None:
        detail = text(lang, "fit_own_saved_nothing", **epochs)
    elif b.what == "saved" and b.got == 0:
        detail = text(lang, "fit_own_saved_initial", **epochs)
    elif b.what == "saved":
        detail = text(lang, "fit_own_saved", **epochs)
    elif b.got is None:
        detail = text(lang, "fit_own_weights_of_no_epoch", **epochs)
    elif b.got == 0:
        detail = text(lang, "fit_own_weights_initial", **epochs)
    else:
        detail = text(lang, "fit_own_weights", **epochs)
    if b.as_ in cb.bases:  # a subclass of Keras' own: its settings, or what it overrides
        return text(
            lang,
            "fit_own_subclass_differs",
            own=cb.class_,
            base=b.as_,
            callback=callback,
            detail=detail,
        )
    return text(lang, "fit_own_callback_differs", own=cb.class_, callback=callback, detail=detail)


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
        return False, text(lang, "fit_no_history")
    best = _best_val_loss(run)
    if best is None:
        return False, text(lang, "fit_no_val_loss")
    epochs, ran = run.options.get("epochs"), run.history.epochs_run
    stoppers = [c for c in ref.callbacks if c.run and c.stopped_epoch]
    if stoppers:  # the reference's training was stopped by this callback on this data
        name = stoppers[0].class_
        ours = [c for c in run.callbacks if c.run and c.class_ == name]
        if not any(c.stopped_epoch for c in ours):
            return False, text(lang, "fit_did_not_stop", name=name, ran=ran, epochs=epochs)
    now = ev.inspect.val_loss_now if ev.inspect else None
    if now is None:
        return False, text(lang, "fit_trained_model_not_checkable")
    ref_best = _best_val_loss(ref)
    restored = ref_best is not None and _at(float(ctx.reference["val_loss_now"]), ref_best)
    if restored and not _at(now, best):  # the reference ends on its best weights: so must this
        return False, text(lang, "fit_weights_not_restored", ran=ran, now=now, best=best)
    learned, why = training_check(ev, ctx)
    if not learned:
        return False, why
    return True, text(lang, "fit_stopped_and_restored", ran=ran, best=best, why=why)
