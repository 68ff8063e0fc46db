"""Timers inside the sandbox's jobs, for bench/timeline.py (never loaded by the grader itself).

Preloaded by the bench's zygote after Keras and before grader.jobs.harness (whose snapshot of
Keras' classes then holds these wrappers, so the learner's job keeps them). Each wrapped call
prints one line to the job's output: `@@phase <depth> <name> <wall s> <cpu s>` (CPU of the
whole process, every thread: resource.getrusage(RUSAGE_SELF)). In the inspector's job, every
fit() also reports how long its first step took (tracing and graph building) against the rest.
"""

from __future__ import annotations

import functools
import os
import resource
import sys
import time
from typing import Any

import keras
from keras.src.backend.tensorflow.trainer import TensorFlowTrainer
from keras.src.models.model import Model
from keras.src.trainers.trainer import Trainer

_depth = [0]


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def _say(line: str) -> None:
    os.write(2, (line + "\n").encode())


def timed(name: str, fn: Any) -> Any:
    @functools.wraps(fn)
    def wrapper(*args: Any, **kw: Any) -> Any:
        w, c = time.perf_counter(), _cpu()
        _depth[0] += 1
        try:
            return fn(*args, **kw)
        finally:
            _depth[0] -= 1
            _say(f"@@phase {_depth[0]} {name} {time.perf_counter() - w:.4f} {_cpu() - c:.4f}")

    wrapper.__wrapped_by_phases__ = True  # type: ignore[attr-defined]
    return wrapper


class _Steps(keras.callbacks.Callback):
    """The first training step (traced and built) against the others."""

    def on_train_begin(self, logs: Any = None) -> None:
        self.t = [time.perf_counter(), _cpu()]
        self.first: list[float] | None = None
        self.batches = 0

    def on_train_batch_end(self, batch: int, logs: Any = None) -> None:
        self.batches += 1
        if self.first is None:
            self.first = [time.perf_counter() - self.t[0], _cpu() - self.t[1]]

    def on_train_end(self, logs: Any = None) -> None:
        total = [time.perf_counter() - self.t[0], _cpu() - self.t[1]]
        first = self.first or [0.0, 0.0]
        _say(f"@@phase {_depth[0]} fit.first_step {first[0]:.4f} {first[1]:.4f}")
        rest = [total[0] - first[0], total[1] - first[1]]
        _say(f"@@phase {_depth[0]} fit.other_{self.batches - 1}_steps {rest[0]:.4f} {rest[1]:.4f}")


_real_fit = TensorFlowTrainer.fit
IN_INSPECTOR = [False]


@functools.wraps(_real_fit)
def _fit(self: Any, *args: Any, **kw: Any) -> Any:
    if IN_INSPECTOR[0]:
        kw["callbacks"] = [*(kw.get("callbacks") or []), _Steps()]
    return _real_fit(self, *args, **kw)


TensorFlowTrainer.fit = timed("fit", _fit)  # type: ignore[method-assign]
for _name in ("predict", "evaluate"):
    setattr(TensorFlowTrainer, _name, timed(_name, vars(TensorFlowTrainer)[_name]))
Trainer.compute_metrics = timed("compute_metrics", Trainer.compute_metrics)  # type: ignore[method-assign]
Trainer.compile_from_config = timed("compile_from_config", Trainer.compile_from_config)  # type: ignore[method-assign]
Model.save = timed("save", Model.save)  # type: ignore[method-assign]
keras.models.load_model = timed("load_model", keras.models.load_model)
keras.saving.load_model = keras.models.load_model
keras.models.clone_model = timed("clone_model", keras.models.clone_model)

from grader.jobs import harness, inspector  # noqa: E402 (after the Keras wrappers)


def _job(name: str, fn: Any, inspecting: bool) -> Any:
    @functools.wraps(fn)
    def wrapper(payload: Any) -> Any:
        IN_INSPECTOR[0] = inspecting
        r = resource.getrusage(resource.RUSAGE_SELF)
        # From fork to here: the child's isolation (its private view, limits, seccomp).
        _say(f"@@start {name} {time.time():.4f} {r.ru_utime + r.ru_stime:.4f}")
        try:
            return timed(name, fn)(payload)
        finally:
            _say(f"@@end {name} {time.time():.4f} {_cpu():.4f}")
            sys.stderr.flush()

    return wrapper


harness.run_learner = _job("learner_job", harness.run_learner, False)
inspector.inspect = _job("inspector_job", inspector.inspect, True)
inspector.build_given = _job("build_given", inspector.build_given, True)
for _mod, _names in (
    (harness, ("_seed", "_save_model", "names_own_code", "model_facts", "_compile_mismatch")),
    (harness, ("_given_model",)),
    (
        inspector,
        (
            "_safe_load",
            "fresh_weights",
            "_train",
            "_metric_facts",
            "run_fit_calls",
            "_checkpoint_loss",
        ),
    ),
    (inspector, ("reseed", "_seed", "model_facts", "optimizer_facts", "_predict")),
):
    for _n in _names:
        setattr(_mod, _n, timed(f"{_mod.__name__.split('.')[-1]}.{_n}", getattr(_mod, _n)))
_real_call = harness._Learner.call
harness._Learner.call = timed("learner_code", _real_call)  # type: ignore[method-assign]
