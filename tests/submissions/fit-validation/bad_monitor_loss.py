import keras


def train(model, x, y):
    stop = keras.callbacks.EarlyStopping(monitor="loss", patience=3, restore_best_weights=True)
    history = model.fit(
        x, y, batch_size=32, epochs=50, validation_split=0.2, callbacks=[stop], verbose=0
    )
    return history
