import os

import keras

FIT_OPTIONS = {"batch_size": 32, "epochs": 30, "validation_split": 0.2, "shuffle": True}


def train(model, x, y, path):
    save = keras.callbacks.ModelCheckpoint(
        filepath=os.fspath(path),
        monitor="val_loss",
        mode="min",
        save_best_only=True,
        save_weights_only=False,
    )
    stop = keras.callbacks.EarlyStopping(
        monitor="val_loss", mode="min", min_delta=0.0, patience=3, restore_best_weights=True
    )
    history = model.fit(x, y, callbacks=[stop, save], verbose=0, **FIT_OPTIONS)
    print("trained", len(history.epoch), "epochs; best model saved to", path)
    return history
