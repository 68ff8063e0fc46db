"""Hostile: fit-validation's fit arguments are recorded in the learner's process. The code trains
wrongly (batch 64, 3 epochs, no validation, no EarlyStopping), then appends a forged description
of a correct fit call to the harness's record (reached through the frame stack) and returns a
forged History whose best val_loss is what the trained weights really give.

Expected: 0. The inspector replays the recorded calls on the same starting model; they do not
give the weights handed back, so nothing the record or the History claims is used.
"""
import math
import sys

import keras

import grader.fitrecord as fitrecord


def train(model, x, y):
    model.fit(x, y, batch_size=64, epochs=3, verbose=0)
    calls = sys._getframe(2).f_locals["calls"]  # task_fit's record of fit calls
    stop = keras.callbacks.EarlyStopping(monitor="val_loss", patience=3, restore_best_weights=True)
    options = {"batch_size": 32, "epochs": 50, "validation_split": 0.2, "callbacks": [stop]}
    calls.append(fitrecord.describe_fit((x, y), options, x, len(calls)))
    cut = int(math.ceil(len(x) * 0.8))
    now = float(model.evaluate(x[cut:], y[cut:], batch_size=32, verbose=0)[0])
    history = keras.callbacks.History()
    history.history = {
        "loss": [1.2, 1.0, 0.9, 0.85, 0.8, 0.78],
        "val_loss": [now + 0.2, now + 0.1, now, now + 0.01, now + 0.02, now + 0.03],
    }
    history.epoch = list(range(6))
    history.params = {"epochs": 50, "steps": 13, "verbose": 0}
    return history
