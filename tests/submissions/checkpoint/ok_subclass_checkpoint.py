import keras


class BestOnly(keras.callbacks.ModelCheckpoint):
    """Keras' ModelCheckpoint with the task's settings, as a class of the learner's own."""

    def __init__(self, path):
        super().__init__(path, monitor="val_loss", save_best_only=True)


def train(model, x, y, path):
    stop = keras.callbacks.EarlyStopping(monitor="val_loss", patience=3, restore_best_weights=True)
    return model.fit(
        x, y, batch_size=32, epochs=30, validation_split=0.2, callbacks=[stop, BestOnly(path)]
    )
