import keras


def train(model, x, y, path):
    # save_weights_only=True needs a path ending in .weights.h5: ModelCheckpoint raises ValueError.
    stop = keras.callbacks.EarlyStopping(monitor="val_loss", patience=3, restore_best_weights=True)
    save = keras.callbacks.ModelCheckpoint(
        filepath=path, monitor="val_loss", save_best_only=True, save_weights_only=True
    )
    return model.fit(
        x, y, batch_size=32, epochs=30, validation_split=0.2, callbacks=[stop, save], verbose=0
    )
