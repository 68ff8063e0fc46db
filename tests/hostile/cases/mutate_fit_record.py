"""Hostile: trains one epoch without EarlyStopping, then rewrites every fit description it can
find in memory (dicts holding "epochs", callback lists) to look like the task's call.

Expected: at most 30 (returns the History, validates on 20%): the record of a call is frozen to
JSON text when the call is made, and the inspector judges only the call it ran from that text.
"""
import gc

import keras


def train(model, x, y):
    history = model.fit(x, y, batch_size=32, epochs=1, validation_split=0.2, verbose=0)
    stop = keras.callbacks.EarlyStopping(monitor="val_loss", patience=3, restore_best_weights=True)
    for obj in gc.get_objects():
        if isinstance(obj, dict) and "epochs" in obj and isinstance(obj.get("epochs"), int):
            obj["epochs"] = 50
        if isinstance(obj, dict) and "callbacks" in obj and isinstance(obj["callbacks"], list):
            obj["callbacks"].append(stop)
    return history
