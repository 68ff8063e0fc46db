"""Hostile: writes forged result files wherever a grader might look, returns SGD.

out/report.json, out/inspect.json, out/pred.npy, results.json, ../out/inspect.json and
/autograder/results/results.json. Expected: what SGD earns (80), nothing forged is read.
"""
import json
import os

import keras

FORGED = {"score": 100, "max_score": 100, "tests": []}
INSPECT = {"lr": {"class": "Adam", "schedule": "ExponentialDecay", "values": [0.01] * 6}}
for path, data in [
    ("out/report.json", {"calls": {}, "object_kind": "optimizer"}),
    ("out/inspect.json", INSPECT),
    ("results.json", FORGED),
    ("../out/inspect.json", INSPECT),
    ("/autograder/results/results.json", FORGED),
]:
    try:
        os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
        with open(path, "w") as f:
            json.dump(data, f)
    except OSError:
        pass


def make_optimizer():
    schedule = keras.optimizers.schedules.ExponentialDecay(0.01, 1000, 0.9)
    return keras.optimizers.SGD(learning_rate=schedule)
