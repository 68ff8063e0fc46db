"""What the check kinds share: the evidence, the context, and the held-out comparison.

Each check kind (grader/kinds/) returns (passed, message); messages name the actual mistake, in
the learner's language. Nothing here runs learner code or imports Keras.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from grader.exercises import ExerciseSpec
from grader.facts import (
    ErrorInfo,
    InspectReport,
    LearnerReport,
    LoadError,
    ModelFacts,
)
from grader.messages import catalogue, text

Verdicts = dict[str, tuple[bool, str]]


@dataclass
class Evidence:
    """Everything the two sandboxed jobs handed back for one submission, already validated."""

    report: LearnerReport | None
    inspect: InspectReport | None
    pred: np.ndarray | None = None  # predictions on held-out inputs
    # What each function entry point returned, one entry per call (None: not numbers).
    values: dict[str, list[np.ndarray | None]] = field(default_factory=dict)
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
    spec: ExerciseSpec
    labels: str  # the kind of the exercise's labels (grader.mistakes.label_kind)
    y_test: np.ndarray
    y_train: np.ndarray
    reference: dict[str, Any]  # the reference solution's cached summary (see grading.summarize)
    tolerance: float
    n_classes: int
    expected: dict[str, Any] = field(default_factory=dict)


# -- shared pieces --------------------------------------------------------------------------------
def said(key: str | None, fields: dict[str, str], lang: str, prefix: str = "job_") -> str | None:
    """A job's own words (a catalogue key of that job's, `job_*` for the learner's job and
    `inspect_*` for the inspector's, and its fields) in the learner's language; None for no key,
    another key or fields that do not fit it (the learner's code runs in a job and may hand back
    anything)."""
    if not key or not key.startswith(prefix) or key not in catalogue(lang):
        return None
    try:
        return text(lang, key, **fields)
    except (KeyError, IndexError, ValueError, AttributeError):
        return None


def load_reason(err: LoadError, lang: str) -> str:
    """Why the inspector could not use what was handed back: its catalogue key in the learner's
    language (an unknown key or fields that do not fit it: the plain message)."""
    return said(err.key, err.fields, lang, prefix="inspect_") or err.message


def error_message(e: ErrorInfo, lang: str) -> str:
    """An exception's `Type: message`, the grader's own message in the learner's language."""
    own = said(e.key, e.fields, lang)
    return e.message if own is None else f"{e.type}: {own}"


def call_problem(ev: Evidence, name: str, lang: str) -> str | None:
    """Why calling an entry point gave nothing to judge, or None if it returned a value."""
    if ev.failure:
        return ev.failure
    r = ev.report
    if r is None:
        return text(lang, "check_submission_process_handed_back_no")
    if r.import_error:
        e = r.import_error
        if e.line and "line" not in e.message:  # SyntaxError messages already name the line
            return text(lang, "check_file_could_not_run_line", message=e.message, line=e.line)
        return text(lang, "check_file_could_not_run", message=e.message)
    info = r.calls.get(name)
    if info is None:
        return text(lang, "check_was_not_called", name=name)
    if info.error:
        e = info.error
        if e.type == "MissingFunction":
            return text(lang, "check_define_function_named_missing", name=name)
        message = error_message(e, lang)
        if e.line:
            return text(lang, "check_raised_at_line", name=name, message=message, line=e.line)
        return text(lang, "check_raised", name=name, message=message)
    if info.returned == "NoneType":
        return text(lang, "check_returned_none_add_return_statement", name=name)
    return None


def not_checked(lang: str) -> str:
    """The message of a check not judged because what it needs failed (said by an earlier one)."""
    return text(lang, "check_not_checked_see_above")


def fail_all(ids: list[str], first: str, lang: str) -> Verdicts:
    later = not_checked(lang)
    return {cid: (False, first if n == 0 else later) for n, cid in enumerate(ids)}


def accuracy(pred: np.ndarray, y: np.ndarray) -> float:
    if y.ndim == 2 and y.shape[1] > 1:  # one-hot rows
        y = y.argmax(axis=-1)
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
        return None, text(ctx.lang, "check_model_predicts_nan_infinity")
    fn = mae if ctx.labels == "continuous" else accuracy
    return fn(ev.pred, ctx.y_test), ""


def training_check(ev: Evidence, ctx: Context) -> tuple[bool, str]:
    lang = ctx.lang
    r = ev.report
    if r and r.fit_error:
        return False, text(lang, "check_training_failed", message=r.fit_error.message)
    if r and r.fit:
        losses = r.fit.history.get("loss", [])
        if any(v is None or not math.isfinite(v) for v in losses):
            return False, text(lang, "check_loss_became_nan_during_training")
    value, why = held_out_metric(ev, ctx)
    if value is None:
        return False, why or text(lang, "check_no_predictions_judge")
    ref = float(ctx.reference["metric"])
    if ctx.labels == "continuous":
        ok = value <= ref * (1 + ctx.tolerance) + 0.05
        return ok, text(lang, "check_held_out_mae_reference", value=value, ref=ref)
    ok = value >= ref - ctx.tolerance
    return ok, text(lang, "check_held_out_accuracy_reference", value=value, ref=ref)
