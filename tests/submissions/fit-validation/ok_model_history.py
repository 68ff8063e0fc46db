import keras


def train(model, x, y):
    model.fit(
        x=x,
        y=y,
        batch_size=32,
        epochs=50,
        validation_split=0.2,
        callbacks=[
            keras.callbacks.TerminateOnNaN(),
            keras.callbacks.EarlyStopping(
                monitor="val_loss", patience=3, restore_best_weights=True
            ),
        ],
        verbose=0,
    )
    return model.history
