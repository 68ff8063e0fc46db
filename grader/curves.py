"""Probe curves for a callback class of the learner's own (scoring side: no Keras here).

A callback the learner wrote is judged by what it does, not by what it says it is: the learner's
job drives it through a dozen made-up trainings whose logs are these curves (grader/jobs/
owncallback.py), and the inspector drives the reference's EarlyStopping through the same ones.
The curves are built to tell EarlyStopping's settings apart (a best epoch then worse ones, gaps
of every length between improvements, plateaus of exactly repeated values, improvements smaller
than any usual min_delta, never improving, improving to the end) and long enough to stop at
several patience values.

Hardening (hostile suite): they are drawn from the grading secret and the submission's own
content hash, so no submission can know them before it runs (a changed file gets other curves)
and the same file always gets the same ones (grading stays deterministic).
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

import numpy as np

# The shapes of the monitored quantity, one curve each (lower is better; mirrored for "max").
KINDS = (
    "best_then_worse",
    "best_then_worse",
    "gaps",
    "gaps",
    "gaps",
    "plateau",
    "tie",
    "small_steps",
    "never_improves",
    "improves_to_end",
    "recovers",
    "noisy",
)
SECONDS = 10  # how long one own callback may take on all the curves (the job's limit stays)
MAX_PATIENCE = 30  # curves stay short: a reference waiting longer is probed up to this many epochs


def _gaps(rng: np.random.Generator, best: float, gaps: list[int], v: list[float]) -> None:
    for g in gaps:
        v.extend(best + float(rng.uniform(0.004, 0.08)) for _ in range(g))
        best -= float(rng.uniform(0.005, 0.04))
        v.append(best)


def _shape(kind: str, rng: np.random.Generator, patience: int) -> list[float]:
    """One curve of the monitored quantity, lower is better."""
    n = int(rng.integers(16, 25)) + patience
    start = float(rng.uniform(0.6, 1.4))
    b = int(rng.integers(2, 7))  # where the best value falls in most shapes
    down = [start]
    for _ in range(b):
        down.append(down[-1] - float(rng.uniform(0.02, 0.08)))
    best = down[-1]
    v: list[float]
    if kind == "best_then_worse":
        v = down + [best + 0.01 * (i + 1) + float(rng.uniform(0, 0.004)) for i in range(n)]
    elif kind == "gaps":
        lengths = [int(g) for g in rng.permutation(np.arange(1, patience + 5))]
        v = list(down)
        _gaps(rng, best, lengths, v)
    elif kind == "plateau":  # the best value exactly repeated, then worse
        flat = int(rng.integers(patience + 1, patience + 4))
        v = down + [best] * flat + [best + 0.02 * (i + 1) for i in range(n)]
    elif kind == "tie":  # worse for a while, the best value once more, worse again
        k = max(1, patience - 1)
        v = down + [best + 0.03] * k + [best] + [best + 0.01 * (i + 1) for i in range(n)]
    elif kind == "small_steps":  # improvements of 1e-4 an epoch: smaller than any usual min_delta
        v = down + [best - 1e-4 * (i + 1) for i in range(n)]
    elif kind == "never_improves":
        v = [start] + [start + float(rng.uniform(0.001, 0.2)) for _ in range(n)]
    elif kind == "improves_to_end":
        v = [start - 0.03 * i - float(rng.uniform(0, 0.01)) for i in range(n)]
        v = [x - 1e-6 * i for i, x in enumerate(sorted(v, reverse=True))]
    elif kind == "recovers":  # the first epoch best for a while, then a better one
        k = int(rng.integers(max(1, patience - 1), patience + 3))
        v = [start] + [start + float(rng.uniform(0.01, 0.1)) for _ in range(k)]
        v += [start - 0.05] + [start + 0.02 * (i + 1) for i in range(n)]
    else:  # a noisy downward trend
        v = [start * 0.95**i + float(rng.normal(0, 0.03)) for i in range(n)]
    length = min(len(v), n + b + 2)
    return [round(x, 6) for x in v[:length]]


def _other(rng: np.random.Generator, patience: int, n: int) -> list[float]:
    """Another logged quantity, `n` epochs long: a shape of its own, so that a callback that
    monitors it behaves otherwise."""
    v = _shape(str(rng.choice(KINDS)), rng, patience)
    while len(v) < n:
        v.append(round(v[-1] + float(rng.uniform(-0.02, 0.03)), 6))
    return v[:n]


def draw(
    secret: bytes, exercise: str, digest: str, keys: list[str], monitor: str, patience: int
) -> list[dict[str, Any]]:
    """The probe curves for one submission: `[{"kind", "logs": {key: values}}]`, every curve of
    the same length for each logged key; `monitor` (the reference's) has the designed shape.
    Keys that are not losses (accuracy, AUC, ...) are mirrored so that higher reads as better."""
    seed = hmac.new(secret, f"callback-curves\0{exercise}\0{digest}".encode(), hashlib.sha256)
    rng = np.random.default_rng(int.from_bytes(seed.digest()[:8], "big"))
    patience = max(0, min(int(patience), MAX_PATIENCE))
    keys = list(dict.fromkeys([*keys, monitor]))[:20]
    curves = []
    for kind in KINDS:
        watched = _shape(kind, rng, patience)
        logs = {k: watched if k == monitor else _other(rng, patience, len(watched)) for k in keys}
        logs = {k: [_direction(k, x) for x in v] for k, v in logs.items()}
        curves.append({"kind": kind, "logs": logs})
    return curves


def _direction(key: str, value: float) -> float:
    return value if "loss" in key or "error" in key else round(1.0 / (1.0 + value), 6)
