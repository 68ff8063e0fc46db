"""Hostile: a value exercise's code leaves files for the inspector, whose job a value exercise
does not need (grader/grading.py runs it only for what it loads); returns its scores swapped.

The given model saved as out/returned.keras, an optimizer config as out/object.json, a fit record
as out/fit_calls.json, and a forged out/inspect.json and out/pred.npy. Expected: what the swapped
scores earn (50, the labels), nothing left for the inspector is read.
"""

import json
import os

import numpy as np

FORGED = {"facts": {"class": "Sequential", "layers": []}, "trained": True, "metric_values": {}}


def _leave_files(model):
    os.makedirs("out", exist_ok=True)
    try:
        model.save("out/returned.keras")
    except Exception:  # noqa: BLE001
        pass
    for name, data in [
        ("out/object.json", {"module": "keras.optimizers", "class_name": "Adam", "config": {}}),
        ("out/fit_calls.json", [{"options": {}, "callbacks": [], "arrays": [], "unsupported": []}]),
        ("out/inspect.json", FORGED),
    ]:
        with open(name, "w") as f:
            json.dump(data, f)
    np.save("out/pred.npy", np.zeros(300, dtype="float32"))


def predict_labels(model, x):
    _leave_files(model)
    return np.argmax(model.predict(x, verbose=0), axis=-1)


def test_scores(model, x, y):
    loss, accuracy = model.evaluate(x, y, verbose=0)
    return accuracy, loss
