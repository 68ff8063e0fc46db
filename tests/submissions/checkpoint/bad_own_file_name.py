import keras


def train(model, x, y, path):
    # Saves to a file of its own choosing: nothing is written at `path`.
    stop = keras.callbacks.EarlyStopping(monitor="val_loss", patience=3, restore_best_weights=True)
    save = keras.callbacks.ModelCheckpoint(
        "best_model.keras", monitor="val_loss", save_best_only=True
    )
    return model.fit(
        x, y, batch_size=32, epochs=30, validation_split=0.2, callbacks=[stop, save], verbose=0
    )
