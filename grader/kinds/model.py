"""Check kinds about a returned model: output, loss, metrics, layers, and how it trains."""

from __future__ import annotations

import json

from grader.checks import Context, Evidence, call_problem, load_reason, training_check
from grader.exercises import CheckParams
from grader.facts import ModelFacts, OwnLossFacts, loss_of, meanings, metrics_of
from grader.messages import one_of, text
from grader.mistakes import activation_note, loss_note, metric_note

Verdict = tuple[bool, str]


def needs(ev: Evidence, ctx: Context, params: CheckParams) -> str | None:
    """A compiled model returned by the entry point that returns one, checkable as a file."""
    entry = ctx.spec.entry("model")
    if entry is None:
        return text(ctx.lang, "model_exercise_has_no_model")
    return _model_problem(ev, entry.name, ctx.lang)


def _model_problem(ev: Evidence, entry: str, lang: str) -> str | None:
    problem = call_problem(ev, entry, lang)
    facts = ev.facts
    if problem is None and facts is None:
        returned = ev.report.calls[entry].returned if ev.report else "?"
        problem = text(lang, "model_not_a_model", entry=entry, returned=returned)
    if (
        problem is None
        and ev.inspect
        and ev.inspect.returned_error
        and ev.inspect.returned_error.kind == "unsafe"
    ):
        problem = text(lang, "model_unsafe_code")
    if problem:
        return problem
    assert facts is not None
    if facts.compile is None:
        return text(lang, "model_not_compiled")
    return None


def _facts(ev: Evidence) -> ModelFacts:
    assert ev.facts is not None  # needs() held
    return ev.facts


def returns_model(ev: Evidence, ctx: Context, params: CheckParams) -> Verdict:
    return True, text(ctx.lang, "model_returns_compiled_model")


def loss(ev: Evidence, ctx: Context, params: CheckParams) -> Verdict:
    own = ev.inspect.own_loss if ev.inspect else None
    if own is not None:
        return _own_loss(ev, ctx, own)
    return _keras_loss(ev, ctx)


def _own_loss(ev: Evidence, ctx: Context, own: OwnLossFacts) -> Verdict:
    """A loss of the learner's own, judged by what its graph computes on the inspector's probes
    (grader/jobs/lossprobe.py): as the Keras loss it matches, else by its values."""
    lang, r = ctx.lang, ev.report
    called = (r.own_loss if r else None) or "?"
    if own.error is not None:
        export = r.save_errors.get("loss_sm") if r else None
        why = text(lang, "not_exported", error=export) if export else load_reason(own.error, lang)
        return False, text(lang, "model_own_loss_not_checkable", own=called, why=why)
    if own.matched is None:
        use = ctx.expected["loss"][0]
        want = own.keras.get(
            use + (":from_logits" if ctx.reference["model"].get("from_logits") else "")
        )
        return False, text(
            lang,
            "model_own_loss_other",
            own=called,
            rows=own.rows,
            got=_number(own.own),
            use=use,
            want=_number(want),
        )
    name, _, logits = own.matched.partition(":")
    ok, message = _keras_loss(ev, ctx)
    if ok:
        return True, text(lang, "model_own_loss_ok", own=called, name=name)
    shown = name + (" (from_logits=True)" if logits else "")
    return False, text(lang, "model_own_loss_computes", own=called, name=shown, note=message)


def _number(value: float | None) -> str:
    return "?" if value is None else f"{value:.6g}"


def _keras_loss(ev: Evidence, ctx: Context) -> Verdict:
    lang, facts = ctx.lang, _facts(ev)
    name, logits = loss_of(facts.compile)
    want = ctx.expected["loss"]
    if name in want and logits:
        return False, text(
            lang, "model_from_logits_twice", output_activation=facts.output_activation
        )
    if name in want:
        return True, text(lang, "model_loss_ok", name=name)
    hint = loss_note(ctx.labels, name or "", want, ctx.n_classes, lang)
    if hint:
        return False, hint
    use = " / ".join(want)
    if not name:
        return False, text(lang, "model_no_loss", use=use)
    return False, text(lang, "model_loss_wrong", name=name, use=use)


def output(ev: Evidence, ctx: Context, params: CheckParams) -> Verdict:
    lang, facts = ctx.lang, _facts(ev)
    units, act = facts.output_units, facts.output_activation or "linear"
    want_units, want_acts = ctx.expected["units"], ctx.expected["activations"]
    if units != want_units:
        return False, text(lang, "model_output_units_wrong", units=units, want_units=want_units)
    if act not in want_acts:
        note = activation_note(ctx.labels, act, want_acts, lang)
        if note is not None:
            return False, note
        acts = one_of(lang, want_acts)
        return False, text(lang, "model_output_activation_wrong", act=act, acts=acts)
    return True, text(lang, "model_output_ok", units=units, act=act)


def metrics(ev: Evidence, ctx: Context, params: CheckParams) -> Verdict:
    facts = _facts(ev)
    want = ctx.expected["metric"]
    names = metrics_of(facts.compile)
    insp = ev.inspect
    wanted = set(ctx.reference.get("metric_meanings") or [want])
    named = json.dumps((facts.compile or {}).get("metrics"))
    exact = '"class_name": "Accuracy"' in named
    note = metric_note(ctx.labels, named, ctx.lang)
    if note is not None:
        return False, note
    failed = ev.report is not None and ev.report.fit_error is not None
    if insp is not None and insp.metric_truth:
        have = meanings(insp.metric_values, insp.metric_truth)
        if wanted <= have:
            return True, text(ctx.lang, "model_metric_ok", want=want)
        if want in names:  # called so, but it computes something else on this data
            return False, _computes_other(want, ctx.lang)
    elif want in names and exact and failed:  # Accuracy() could not even compare the shapes
        return False, _computes_other(want, ctx.lang)
    elif want in names:
        return True, text(ctx.lang, "model_metric_ok", want=want)
    return False, text(ctx.lang, "model_metric_missing", want=want)


def _computes_other(want: str, lang: str) -> str:
    return text(lang, "model_metric_computes_other", want=want)


def layers(ev: Evidence, ctx: Context, params: CheckParams) -> Verdict:
    """The model uses a layer of one of the classes the exercise names (`params.any_of`). A model
    of the learner's own classes is judged from its exported graph's structure: a loop over the
    time steps carrying a state through a recurrent kernel, of the shape of one of Keras' cells
    (grader/jobs/exported.py `recurrent_layers`), whatever its layers are called."""
    facts = _facts(ev)
    found = [c for c in params.any_of if c in facts.layer_classes]
    wanted = " / ".join(params.any_of)
    if ev.inspect is not None and ev.inspect.exported:
        if found:
            return True, text(ctx.lang, "model_graph_recurrent_loop", found=found[0])
        if facts.layer_classes:  # a recurrent loop, but of another shape
            return False, text(ctx.lang, "model_layer_loop_other_shape", wanted=wanted)
        return False, text(ctx.lang, "model_layer_no_recurrent_loop", wanted=wanted)
    if found:
        return True, text(ctx.lang, "model_uses_layer", found=found[0])
    return False, text(ctx.lang, "model_layer_missing", wanted=wanted)


def trains(ev: Evidence, ctx: Context, params: CheckParams) -> Verdict:
    own = ev.inspect.own_loss if ev.inspect else None
    if own is not None and own.error is not None:  # nothing to train with (the loss check says why)
        called = (ev.report.own_loss if ev.report else None) or "?"
        return False, text(ctx.lang, "model_own_loss_not_trained", own=called)
    return training_check(ev, ctx)
