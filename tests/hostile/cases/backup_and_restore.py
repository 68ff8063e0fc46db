"""Hostile: BackupAndRestore pointed at a folder of weights trained beforehand, so that a replay
of the fit call would start from the learner's own weights instead of the grader's.

Expected: 0. BackupAndRestore is not on the inspector's frozen allow-list of callbacks: the
training cannot be checked, and the folder is never handed to the inspector anyway.
"""
import keras


def train(model, x, y):
    model.fit(x, y, epochs=30, verbose=0)  # "pre-training", in the learner's process
    backup = keras.callbacks.BackupAndRestore("backup")
    stop = keras.callbacks.EarlyStopping(monitor="val_loss", patience=3, restore_best_weights=True)
    return model.fit(
        x, y, batch_size=32, epochs=50, validation_split=0.2, callbacks=[backup, stop], verbose=0
    )
