import keras


def train(model, x, y):
    n_val = len(x) // 5
    stop = keras.callbacks.EarlyStopping(monitor="val_loss", patience=3, restore_best_weights=True)
    return model.fit(
        x[n_val:],
        y[n_val:],
        batch_size=32,
        epochs=50,
        validation_data=(x[:n_val], y[:n_val]),
        callbacks=[stop],
        verbose=0,
    )
