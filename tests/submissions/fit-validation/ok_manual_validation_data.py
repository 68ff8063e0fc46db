import keras


def train(model, x, y):
    n_val = int(len(x) * 0.2)
    x_train, y_train = x[:-n_val], y[:-n_val]
    x_val, y_val = x[-n_val:], y[-n_val:]
    early = keras.callbacks.EarlyStopping(monitor="val_loss", patience=3, restore_best_weights=True)
    return model.fit(
        x_train,
        y_train,
        batch_size=32,
        epochs=50,
        validation_data=(x_val, y_val),
        callbacks=[early],
        verbose=0,
    )
