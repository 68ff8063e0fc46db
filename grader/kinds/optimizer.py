"""Check kinds about an optimizer: its class, the hyperparameters the reference sets, and the
learning rate as a function of the step (a schedule judged by the values it computes)."""

from __future__ import annotations

import hashlib
import math

from grader.checks import Context, Evidence, call_problem
from grader.exercises import CheckParams, ExerciseSpec
from grader.facts import LrFacts, OptimizerFacts
from grader.messages import one_of, text

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
        return text(lang, "optimizer_exercise_has_no_optimizer")
    problem = call_problem(ev, entry.name, lang)
    if problem:
        return problem
    r = ev.report
    assert r is not None
    lr = ev.inspect.lr if ev.inspect else None
    if r.object_kind == "schedule":
        return text(lang, "optimizer_returned_schedule", name=entry.name)
    if r.own_schedule and "schedule_sm" in r.save_errors:
        return text(
            lang,
            "optimizer_own_schedule_not_checkable",
            own_schedule=r.own_schedule,
            why=text(lang, "not_exported", error=r.save_errors["schedule_sm"]),
        )
    returned = r.calls[entry.name].returned
    if r.object_kind != "optimizer" and returned is not None:
        return text(lang, "optimizer_own_class", name=entry.name, returned=returned)
    if lr is None or lr.error:
        why = lr.error if lr is not None else "?"
        return text(lang, "optimizer_lr_not_computable", why=why)
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
    return False, text(ctx.lang, "optimizer_class_wrong", got=got, want=want)


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
        return False, text(lang, "optimizer_not_readable")
    if got.class_.lower() != want.class_.lower():
        return False, text(lang, "optimizer_class_wrong_read", got=got.class_, want=want.class_)
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
            wrong.append(text(lang, "optimizer_setting_not_default", key=key, got=_show(g)))
        elif g is None:
            wrong.append(text(lang, "optimizer_setting_left_default", key=key, want=_show(w)))
        else:
            wrong.append(
                text(lang, "optimizer_setting_wrong", key=key, got=_show(g), want=_show(w))
            )
    if wrong:
        wrongs = one_of(lang, wrong, sep="list_semicolon", last="list_semicolon")
        return False, text(lang, "optimizer_settings_wrong", optimizer=got.class_, wrongs=wrongs)
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
        return False, text(lang, "optimizer_lr_not_read")

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
        msg = text(lang, "optimizer_lr_relative", step=at[show], shown=shown, want=w)
    else:
        msg = text(lang, "optimizer_lr_absolute", step=at[show], shown=shown, want=w)
    if not off:
        return True, msg
    if params.relative and lr.schedule is None and ref.get("schedule"):
        return False, text(
            lang,
            "optimizer_lr_constant",
            rate=got[0],
            schedule=ref["schedule"],
        )
    ref_staircase = (ref.get("schedule_config") or {}).get("staircase")
    why = ""
    if params.dense and all(same(i) for i in named):
        why = text(lang, "optimizer_schedule_agrees_only_at_some", schedule=ref.get("schedule"))
    elif lr.schedule_config.get("staircase") and not ref_staircase:
        why = text(lang, "optimizer_staircase_not_smooth")
    elif params.dense and _plateaus(got) > _plateaus(want):
        why = text(lang, "optimizer_plateaus_not_smooth")
    if why:
        return False, text(lang, "optimizer_lr_wrong_why", lr=msg, why=why)
    return False, msg


def _plateaus(values: list[float | None] | list[float]) -> int:
    """How many neighbouring steps share the same learning rate (a staircase has many)."""
    return sum(1 for a, b in zip(values, values[1:], strict=False) if a is not None and a == b)
