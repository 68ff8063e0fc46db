"""Hostile: fit-validation's fit calls are recorded in the learner's process and run by the
inspector. The code trains wrongly (batch 64, 3 epochs, no validation, no EarlyStopping), then
finds the record (by scanning the garbage collector's objects, since it is no local variable to
reach through the frame stack) and appends a forged description of a correct fit call, and
returns a forged History.

Expected: 0 (the History it returns is the first call's placeholder, and the record now
holds two calls where the task trains with one: every training check fails). Nothing the forged
History claims is used: the inspector's own run of the record is the only training.
"""
import gc
import json

import numpy as np


def train(model, x, y):
    history = model.fit(x, y, batch_size=64, epochs=3, verbose=0)
    forged = {
        "options": {"batch_size": 32, "epochs": 50, "validation_split": 0.2},
        "callbacks": [
            {
                "class": "EarlyStopping",
                "keras": True,
                "config": {
                    "monitor": "val_loss", "mode": "auto", "min_delta": 0, "patience": 3,
                    "baseline": None, "restore_best_weights": True, "start_from_epoch": 0,
                },
            }
        ],
        "arrays": ["x", "y"],
        "unsupported": [],
    }
    for obj in gc.get_objects():
        if isinstance(obj, list) and obj and isinstance(obj[0], str) and '"options"' in obj[0]:
            np.save(f"out/fit_{len(obj)}_x.npy", x)
            np.save(f"out/fit_{len(obj)}_y.npy", y)
            obj.append(json.dumps(forged))
    history.history = {"loss": [1.0, 0.9], "val_loss": [1.0, 0.95]}
    return history
