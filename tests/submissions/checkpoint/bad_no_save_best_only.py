import keras


def train(model, x, y, path):
    # Without save_best_only the file is overwritten every epoch: it holds the last epoch.
    stop = keras.callbacks.EarlyStopping(monitor="val_loss", patience=3, restore_best_weights=True)
    save = keras.callbacks.ModelCheckpoint(filepath=path, monitor="val_loss")
    return model.fit(
        x, y, batch_size=32, epochs=30, validation_split=0.2, callbacks=[stop, save], verbose=0
    )
