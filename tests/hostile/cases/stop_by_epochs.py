"""Hostile: passes the EarlyStopping the task asks for, but trains a single epoch, so "the
training stopped early" would hold without EarlyStopping ever stopping anything.

Expected: at most 55 (History, validation share, EarlyStopping settings): the epochs are wrong,
and EarlyStopping did not stop the inspector's run (its stopped_epoch stays 0).
"""
import keras


def train(model, x, y):
    stop = keras.callbacks.EarlyStopping(monitor="val_loss", patience=3, restore_best_weights=True)
    return model.fit(
        x, y, batch_size=32, epochs=1, validation_split=0.2, callbacks=[stop], verbose=0
    )
