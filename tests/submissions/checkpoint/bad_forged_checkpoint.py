import keras


def train(model, x, y, path):
    # Hostile: no ModelCheckpoint; writes the file at `path` by itself after fit, hoping the
    # file's existence is what gets judged.
    stop = keras.callbacks.EarlyStopping(monitor="val_loss", patience=3, restore_best_weights=True)
    history = model.fit(
        x, y, batch_size=32, epochs=30, validation_split=0.2, callbacks=[stop], verbose=0
    )
    model.save(path)
    return history
