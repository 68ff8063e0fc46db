import keras


def train(model, x, y, path):
    stop = keras.callbacks.EarlyStopping(monitor="val_loss", patience=3, restore_best_weights=True)
    save = keras.callbacks.ModelCheckpoint(filepath=path, monitor="val_loss", save_best_only=True)
    history = model.fit(
        x, y, batch_size=32, epochs=30, validation_split=0.2, callbacks=[stop, save], verbose=0
    )
    ran = len(history.epoch)
    best = min(history.history["val_loss"])
    print(f"stopped after {ran} of {history.params['epochs']} epochs (stopped_epoch {stop.stopped_epoch})")
    print(f"best val_loss {best:.4f}, saved to {path}: {keras.saving.load_model(path) is not None}")
    return history
