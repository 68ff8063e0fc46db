"""Check kinds about a returned model: output, loss, metrics, layers, and how it trains."""

from __future__ import annotations

import json

from grader.checks import Context, Evidence, call_problem, tr, training_check
from grader.exercises import CheckParams
from grader.facts import ModelFacts, loss_of, meanings, metrics_of
from grader.mistakes import activation_note, loss_note, metric_note

Verdict = tuple[bool, str]


def needs(ev: Evidence, ctx: Context, params: CheckParams) -> str | None:
    """A compiled model returned by the entry point that returns one, checkable as a file."""
    entry = ctx.spec.entry("model")
    if entry is None:
        return tr(ctx.lang, "the exercise returns no model", "この課題はモデルを返しません")
    return _model_problem(ev, entry.name, ctx.lang)


def _model_problem(ev: Evidence, entry: str, lang: str) -> str | None:
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
            "安全に読み込めないコード（Lambda 層など）を含むモデルです。組み込みの層を使ってください",
        )
    if problem:
        return problem
    assert facts is not None
    if facts.compile is None:
        return tr(
            lang,
            "the model is not compiled: call model.compile(...) before returning it",
            "モデルが compile されていません。return の前に model.compile(...) を呼んでください",
        )
    return None


def _facts(ev: Evidence) -> ModelFacts:
    assert ev.facts is not None  # needs() held
    return ev.facts


def returns_model(ev: Evidence, ctx: Context, params: CheckParams) -> Verdict:
    return True, tr(ctx.lang, "returns a compiled model", "compile 済みのモデルを返しています")


def loss(ev: Evidence, ctx: Context, params: CheckParams) -> Verdict:
    lang, facts = ctx.lang, _facts(ev)
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


def output(ev: Evidence, ctx: Context, params: CheckParams) -> Verdict:
    lang, facts = ctx.lang, _facts(ev)
    units, act = facts.output_units, facts.output_activation or "linear"
    want_units, want_acts = ctx.expected["units"], ctx.expected["activations"]
    if units != want_units:
        return False, tr(
            lang,
            f"the output layer has {units} units; this task needs {want_units}",
            f"出力層のユニット数が {units} です。この課題では {want_units} が必要です",
        )
    if act not in want_acts:
        note = activation_note(ctx.labels, act, want_acts, lang)
        if note is not None:
            return False, note
        return False, tr(
            lang,
            f"the output activation is {act}; this task needs {' or '.join(want_acts)}",
            f"出力層の活性化関数が {act} です。この課題では {' か '.join(want_acts)} が必要です",
        )
    return True, tr(lang, f"output: {units} unit(s), {act}", f"出力層：{units} ユニット, {act}")


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
            return True, tr(ctx.lang, f"metric {want}", f"評価指標 {want}")
        if want in names:  # called so, but it computes something else on this data
            return False, _computes_other(want, ctx.lang)
    elif want in names and exact and failed:  # Accuracy() could not even compare the shapes
        return False, _computes_other(want, ctx.lang)
    elif want in names:
        return True, tr(ctx.lang, f"metric {want}", f"評価指標 {want}")
    return False, tr(
        ctx.lang,
        f"add the {want} metric: metrics=[{want!r}]",
        f"評価指標 {want} を追加してください：metrics=[{want!r}]",
    )


def _computes_other(want: str, lang: str) -> str:
    return tr(
        lang,
        f"the metric named {want} does not compute the {want} of this model's "
        f"predictions (e.g. keras.metrics.Accuracy() counts exact matches of "
        f"probabilities with labels, binary accuracy thresholds every output at 0.5): "
        f"use metrics=[{want!r}], which Keras matches to the loss",
        f"{want} という名前の評価指標が、このモデルの予測の {want} を計算していません"
        f"(たとえば keras.metrics.Accuracy() は確率とラベルの完全一致を数え、"
        f"binary accuracy は各出力を 0.5 で区切ります)。"
        f"metrics=[{want!r}] を使えば、Keras が損失に合った指標を選びます",
    )


def layers(ev: Evidence, ctx: Context, params: CheckParams) -> Verdict:
    """The model uses a layer of one of the classes the exercise names (`params.any_of`)."""
    facts = _facts(ev)
    found = [c for c in params.any_of if c in facts.layer_classes]
    wanted = " / ".join(params.any_of)
    if found:
        return True, tr(ctx.lang, f"uses {found[0]}", f"{found[0]} を使っています")
    return False, tr(
        ctx.lang,
        f"the model has no {wanted} layer: this task needs one of them",
        f"モデルに {wanted} の層がありません。この課題ではそのどれかが必要です",
    )


def trains(ev: Evidence, ctx: Context, params: CheckParams) -> Verdict:
    return training_check(ev, ctx)
