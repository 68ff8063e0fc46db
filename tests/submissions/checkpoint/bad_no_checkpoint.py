import keras


def train(model, x, y, path):
    stop = keras.callbacks.EarlyStopping(monitor="val_loss", patience=3, restore_best_weights=True)
    return model.fit(
        x, y, batch_size=32, epochs=30, validation_split=0.2, callbacks=[stop], verbose=0
    )
