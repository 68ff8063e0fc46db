"""Exercise checkpoint: stop early and keep the best model in the file at `path`."""

import keras


def train(model, x, y, path):
    stop = keras.callbacks.EarlyStopping(monitor="val_loss", patience=3, restore_best_weights=True)
    # TODO: add a callback that saves the model to `path`, only when val_loss beats its best
    #       value so far, and pass it to fit together with `stop`.
    return model.fit(
        x, y, batch_size=32, epochs=30, validation_split=0.2, callbacks=[stop], verbose=0
    )
