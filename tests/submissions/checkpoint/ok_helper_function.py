import keras


def make_callbacks(path, patience=3):
    return [
        keras.callbacks.EarlyStopping(
            monitor="val_loss", patience=patience, restore_best_weights=True
        ),
        keras.callbacks.ModelCheckpoint(filepath=path, monitor="val_loss", save_best_only=True),
    ]


def train(model, x, y, path):
    return model.fit(
        x,
        y,
        batch_size=32,
        epochs=30,
        validation_split=0.2,
        callbacks=make_callbacks(path),
        verbose=0,
    )
