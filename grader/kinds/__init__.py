"""The check kinds an `exercise.yaml` composes, and the order they are judged in.

Each check of an exercise names one kind or several (`kind: [optimizer, metrics]`) and may give
parameters (`params:`). A kind compares one facet of what the learner's code produced with what
the reference produced on the same seeded data (`ctx.reference`, see grading.summarize); nothing
here knows an exercise. A kind first states what it needs (`needs`: the model was returned and
compiled, model.fit was called, ...); when that is missing, the first check that needed it says
why and the later ones say "not checked (see above)".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from grader.checks import Context, Evidence, Verdicts, not_checked
from grader.exercises import CheckParams, CheckSpec
from grader.kinds import fit, functions, model, optimizer

Verdict = tuple[bool, str]


@dataclass(frozen=True)
class Kind:
    needs: Callable[[Evidence, Context, CheckParams], str | None]
    judge: Callable[[Evidence, Context, CheckParams], Verdict]


def _trains_needs(ev: Evidence, ctx: Context, params: CheckParams) -> str | None:
    if ctx.spec.entry("history") is not None:
        return fit.needs(ev, ctx, params)
    return model.needs(ev, ctx, params)


def _optimizer_needs(ev: Evidence, ctx: Context, params: CheckParams) -> str | None:
    if ctx.spec.entry("optimizer") is not None:
        return optimizer.needs(ev, ctx, params)
    return model.needs(ev, ctx, params)


KINDS: dict[str, Kind] = {
    "returns-model": Kind(model.needs, model.returns_model),
    "output": Kind(model.needs, model.output),
    "loss": Kind(model.needs, model.loss),
    "optimizer": Kind(_optimizer_needs, optimizer.hyperparameters),
    "metrics": Kind(model.needs, model.metrics),
    "layers": Kind(model.needs, model.layers),
    "trains": Kind(_trains_needs, model.trains),
    "returns-history": Kind(fit.called, fit.returns_history),
    "fit-options": Kind(fit.needs, fit.options),
    "validation": Kind(fit.needs, fit.validation),
    "callbacks": Kind(fit.needs, fit.callbacks),
    "stops-and-restores": Kind(fit.needs, fit.stops_and_restores),
    "checkpoint": Kind(fit.needs, fit.checkpoint),
    "returns-optimizer": Kind(optimizer.needs, optimizer.returns_optimizer),
    "learning-rate": Kind(optimizer.needs, optimizer.learning_rate),
    "function-result": Kind(functions.needs, functions.result),
}


def judge(checks: list[CheckSpec], ev: Evidence, ctx: Context) -> Verdicts:
    """{check id: (passed, message)} for every check, in the exercise's order."""
    shown: set[str] = set()
    later = not_checked(ctx.lang)
    out: Verdicts = {}
    for check in checks:
        results: list[Verdict] = []
        for name in check.kinds:
            kind = KINDS[name]
            problem = kind.needs(ev, ctx, check.params)
            if problem is not None:
                results.append((False, later if problem in shown else problem))
                shown.add(problem)
                continue
            results.append(kind.judge(ev, ctx, check.params))
        messages = list(dict.fromkeys(m for _, m in results))  # "not checked" once
        out[check.id] = (all(ok for ok, _ in results), "; ".join(messages))
    return out
