import keras

EPOCHS = 20
BATCH_SIZE = 64


def train(model, x_train, y_train, x_val, y_val):
    stop_on_nan = keras.callbacks.TerminateOnNaN()
    history = model.fit(
        x_train,
        y_train,
        batch_size=BATCH_SIZE,
        epochs=EPOCHS,
        validation_data=(x_val, y_val),
        callbacks=[stop_on_nan],
        shuffle=True,
        verbose=0,
    )
    return history
