"""Check kinds about an optimizer: its class, the hyperparameters the reference sets, and the
learning rate as a function of the step (a schedule judged by the values it computes)."""

from __future__ import annotations

import hashlib
import math

from grader.checks import Context, Evidence, call_problem, tr
from grader.exercises import CheckParams, ExerciseSpec
from grader.facts import LrFacts, OptimizerFacts

Verdict = tuple[bool, str]

# Where a schedule is compared besides the steps an exercise names: dense enough that a staircase
# at any half step, or a look-alike that agrees at round numbers only, is told apart from the
# reference; a few more steps are drawn from the grading secret, unknown to a submission.
DENSE = sorted(
    {0, 1, 2, 10, 99, 100, 250, 333, 499, 500, 501, 750, 999, 1001, 1250, 1500, 1750}
    | set(range(1000, 10001, 250))
    | {2222, 3333, 4444, 6789, 9999}
)


def steps(spec: ExerciseSpec, secret: bytes) -> list[int]:
    """The steps at which the inspector reads the learning rate, for the reference and for every
    submission alike."""
    named = {s for c in spec.checks for s in c.params.steps}
    digest = hashlib.sha256(b"steps\0" + secret).digest()
    drawn = {int.from_bytes(digest[i : i + 2], "big") % 10_000 for i in range(0, 16, 2)}
    return sorted(set(DENSE) | named | drawn | {0})


def needs(ev: Evidence, ctx: Context, params: CheckParams) -> str | None:
    """A Keras optimizer returned by the entry point that returns one, whose learning rate the
    inspector could compute."""
    lang = ctx.lang
    entry = ctx.spec.entry("optimizer")
    if entry is None:
        return tr(lang, "the exercise returns no optimizer", "この課題はオプティマイザを返しません")
    problem = call_problem(ev, entry.name, lang)
    if problem:
        return problem
    r = ev.report
    assert r is not None
    lr = ev.inspect.lr if ev.inspect else None
    if r.object_kind == "schedule":
        return tr(
            lang,
            f"{entry.name} returned the schedule itself; pass it to the optimizer "
            "(learning_rate=schedule) and return the optimizer",
            f"{entry.name} がスケジュールそのものを返しています。"
            "オプティマイザに learning_rate=schedule として渡し、オプティマイザを返してください",
        )
    if r.own_schedule and "schedule_sm" in r.save_errors:
        return tr(
            lang,
            f"the learning-rate schedule of your own class {r.own_schedule} could not be "
            f"checked: {r.save_errors['schedule_sm']}",
            f"独自クラスの学習率スケジュール {r.own_schedule} を確認できませんでした："
            f"{r.save_errors['schedule_sm']}",
        )
    returned = r.calls[entry.name].returned
    if r.object_kind != "optimizer" and returned is not None:
        return tr(
            lang,
            f"{entry.name} must return an optimizer of Keras' own classes, got {returned} "
            "(an optimizer class of your own could report any settings, so it cannot be "
            "checked safely)",
            f"{entry.name} は Keras 組み込みのクラスのオプティマイザを返す必要があります"
            f"({returned} が返りました。独自クラスのオプティマイザは設定を偽れるため、"
            "安全に確認できません)",
        )
    if lr is None or lr.error:
        why = lr.error if lr is not None else "?"
        return tr(
            lang,
            f"the optimizer's learning rate could not be computed: {why}",
            f"オプティマイザの学習率を計算できませんでした：{why}",
        )
    return None


def _lr(ev: Evidence) -> LrFacts:
    lr = ev.inspect.lr if ev.inspect else None
    assert lr is not None  # needs() held
    return lr


def returns_optimizer(ev: Evidence, ctx: Context, params: CheckParams) -> Verdict:
    got = _lr(ev).class_ or ""
    want = str(ctx.reference["lr"]["class"])
    if got.lower() == want.lower():
        return True, want
    return False, tr(
        ctx.lang,
        f"the optimizer is {got}; the task asks for {want}",
        f"オプティマイザが {got} です。課題では {want} を指定しています",
    )


def _show(value: object) -> str:
    return f"{value:g}" if isinstance(value, float) else repr(value)


def _close(a: object, b: object) -> bool:
    if isinstance(a, int | float) and isinstance(b, int | float) and not isinstance(a, bool):
        return math.isclose(float(a), float(b), rel_tol=1e-5, abs_tol=1e-9)
    return a == b


def hyperparameters(ev: Evidence, ctx: Context, params: CheckParams) -> Verdict:
    """The optimizer's class, and the hyperparameters set away from Keras' defaults (learning
    rate, momentum, ...), compared with the reference's."""
    lang = ctx.lang
    got = ev.inspect.optimizer if ev.inspect else None
    want = OptimizerFacts.model_validate(ctx.reference["optimizer"])
    if got is None:
        return False, tr(
            lang, "the optimizer could not be read", "オプティマイザを読み取れませんでした"
        )
    if got.class_.lower() != want.class_.lower():
        return False, tr(
            lang,
            f"the optimizer is {got.class_}; the task asks for {want.class_}",
            f"オプティマイザが {got.class_} です。課題では {want.class_} を指定しています",
        )
    wrong = []
    # When the reference sets hyperparameters, the exercise is about them: every one either side
    # sets must agree (nesterov=True is another optimizer). When it sets none, they are the
    # learner's choice (Adam at 0.002 is still Adam).
    keys = set(want.explicit) | (set(got.explicit) if want.explicit else set())
    for key in sorted(keys):
        g, w = got.explicit.get(key), want.explicit.get(key)
        if _close(g, w):
            continue
        if w is None:
            wrong.append(
                tr(
                    lang,
                    f"{key}={_show(g)} is set, but the task leaves it at Keras' default",
                    f"{key}={_show(g)} が指定されていますが、課題では Keras の既定値のままです",
                )
            )
        elif g is None:
            wrong.append(
                tr(
                    lang,
                    f"{key} is left at Keras' default; the task sets {key}={_show(w)}",
                    f"{key} が Keras の既定値のままです。課題では {key}={_show(w)} です",
                )
            )
        else:
            wrong.append(
                tr(
                    lang,
                    f"{key} is {_show(g)}, not {_show(w)}",
                    f"{key} が {_show(w)} ではなく {_show(g)} です",
                )
            )
    if wrong:
        return False, f"{got.class_}: " + "; ".join(wrong)
    shown = ", ".join(f"{k}={_show(v)}" for k, v in sorted(want.explicit.items()))
    return True, f"{want.class_}({shown})" if shown else want.class_


def learning_rate(ev: Evidence, ctx: Context, params: CheckParams) -> Verdict:
    """The learning rate at the steps the check names (`params.steps`; with `params.dense`, at
    every step the inspector read), absolute or relative to step 0 (`params.relative`)."""
    lang = ctx.lang
    lr = _lr(ev)
    ref = ctx.reference["lr"]
    at = list(ctx.reference["lr_steps"])
    got, want = lr.values, list(ref["values"])
    if len(got) != len(want):
        return False, tr(lang, "the learning rate was not read", "学習率を読み取れませんでした")

    def value(i: int) -> tuple[float | None, float]:
        g, w = got[i], want[i]
        if params.relative:
            g0, w0 = got[0], want[0]
            return (g / g0 if g is not None and g0 else None), (w / w0 if w0 else w)
        return g, w

    def same(i: int) -> bool:
        g, w = value(i)
        return g is not None and abs(g - w) <= (0 if params.relative else 1e-6) + 1e-4 * abs(w)

    named = [at.index(s) for s in params.steps if s in at]
    checked = list(range(len(at))) if params.dense else named
    off = [i for i in checked if not same(i)]
    show = off[0] if off else (checked[len(checked) // 2] if checked else 0)
    g, w = value(show)
    shown = "?" if g is None else f"{g:.4g}"
    if params.relative:
        msg = tr(
            lang,
            f"lr at step {at[show]} is {shown} x the initial rate (wanted {w:.4g})",
            f"ステップ {at[show]} の学習率は初期値の {shown} 倍です（期待値 {w:.4g}）",
        )
    else:
        msg = tr(
            lang,
            f"lr at step {at[show]}: {shown} (wanted {w:g})",
            f"ステップ {at[show]} の学習率：{shown}（期待値 {w:g}）",
        )
    if not off:
        return True, msg
    if params.relative and lr.schedule is None and ref.get("schedule"):
        return False, tr(
            lang,
            f"the learning rate is a constant {got[0]:g}: pass a {ref['schedule']} schedule as "
            "learning_rate",
            f"学習率が定数 {got[0]:g} です。learning_rate に {ref['schedule']} の"
            "スケジュールを渡してください",
        )
    ref_staircase = (ref.get("schedule_config") or {}).get("staircase")
    if params.dense and all(same(i) for i in named):
        msg += tr(
            lang,
            f": the schedule only agrees at some steps; use a smooth {ref.get('schedule')}",
            f"。一部のステップでしか一致しません。滑らかな {ref.get('schedule')} を使ってください",
        )
    elif lr.schedule_config.get("staircase") and not ref_staircase:
        msg += tr(
            lang,
            ": staircase=True makes it drop in steps; the task wants a smooth decay",
            "。staircase=True だと階段状に下がります。課題は滑らかな減衰です",
        )
    elif params.dense and _plateaus(got) > _plateaus(want):
        msg += tr(
            lang,
            ": the learning rate stays flat and then drops, in steps (a staircase); the task "
            "wants a smooth decay",
            "。学習率が一定のまま続いてから下がる、階段状の変化です。課題は滑らかな減衰です",
        )
    return False, msg


def _plateaus(values: list[float | None] | list[float]) -> int:
    """How many neighbouring steps share the same learning rate (a staircase has many)."""
    return sum(1 for a, b in zip(values, values[1:], strict=False) if a is not None and a == b)
