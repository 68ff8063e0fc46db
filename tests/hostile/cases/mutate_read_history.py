"""Hostile: trains one epoch without EarlyStopping, then reads the History (which trains the
recorded call in the learner's process) and forges everything that run touches: a callback of
its own queues more training with the task's options during that run, the code trains the model
again through the run's own fit, keeps the run open past the entry point, and rewrites the
History's contents to look like the task's run.

Expected: at most 30 (returns the History, validates on 20%), as mutate_fit_record.py: the run
that reading the History starts is the learner's own; the inspector judges only the call it ran
from the record frozen when fit was called.
"""
import keras

TASK = {"batch_size": 32, "epochs": 50, "validation_split": 0.2, "verbose": 0}


class Queue(keras.callbacks.Callback):
    def __init__(self, history_box):
        super().__init__()
        self.box = history_box

    def on_train_end(self, logs=None):
        history = self.box[0]
        stop = keras.callbacks.EarlyStopping(patience=3, restore_best_weights=True)
        replay = vars(history)["_replay"]
        replay.pending.append((history, {"x": self.x, "y": self.y, "callbacks": [stop], **TASK}))


def train(model, x, y):
    box = []
    queue = Queue(box)
    queue.x, queue.y = x, y
    history = model.fit(x, y, batch_size=32, epochs=1, validation_split=0.2, verbose=0,
                        callbacks=[queue])
    box.append(history)
    replay = vars(history)["_replay"]
    replay.close = lambda: None  # stay open after train returns
    print("epochs run:", len(history.epoch))
    stop = keras.callbacks.EarlyStopping(patience=3, restore_best_weights=True)
    real = replay.run_fit({"x": x, "y": y, "callbacks": [stop], **TASK})
    history.history = dict(real.history)
    history.epoch = list(real.epoch)
    history.params = dict(real.params)
    model.history = history
    return history
