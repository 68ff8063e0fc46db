import keras


def train(model, x, y, path):
    model.fit(
        x,
        y,
        batch_size=32,
        epochs=30,
        validation_split=0.2,
        callbacks=[
            keras.callbacks.TerminateOnNaN(),
            keras.callbacks.EarlyStopping(
                monitor="val_loss", patience=3, restore_best_weights=True
            ),
            keras.callbacks.ModelCheckpoint(path, monitor="val_loss", save_best_only=True),
        ],
        verbose=0,
    )
    return model.history
