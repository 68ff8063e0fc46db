"""Hostile: a callback of the learner's own class that stops after 5 epochs whatever happens, and
while the grader drives it on its probe curves tries to forge the outcome: it replaces the
driver's functions (so that every later curve reports "stopped where the best epoch's patience
ends, best weights restored" as it guesses it), edits the traces already recorded, and writes a
forged out/report.json.

Expected: the score of the honest StopWhenBored (45: no EarlyStopping run, no early stop), failing
with "does not behave as". The report is written by the harness after it has put its modules back;
a forged trace is only ever compared with what Keras' own EarlyStopping does on the same curves, in
the inspector; and a trace that did match would only make the inspector train with Keras'
EarlyStopping, i.e. buy what the right callback gets.
"""
import gc
import json
from pathlib import Path

import keras


def _guess(callback, model, logs):
    values = logs["val_loss"]
    best = values.index(min(values))
    return {"stopped": min(best + 2, len(values) - 1), "weights": best, "error": None}


class Forger(keras.callbacks.Callback):
    def on_train_begin(self, logs=None):
        from grader.jobs import owncallback

        owncallback._one = _guess  # noqa: SLF001
        owncallback.first_difference = lambda *a, **k: None  # the inspector's: another process
        for obj in gc.get_objects():
            if isinstance(obj, dict) and "stopped" in obj and "weights" in obj:
                obj.update(stopped=None, weights=None)
        Path("out").mkdir(exist_ok=True)
        Path("out/report.json").write_text(json.dumps({"calls": {"train": {"returned": "History"}}}))

    def on_epoch_end(self, epoch, logs=None):
        if epoch >= 4:
            self.model.stop_training = True


def train(model, x, y):
    return model.fit(
        x, y, batch_size=32, epochs=50, validation_split=0.2, callbacks=[Forger()], verbose=0
    )
