import keras


class KeepBest(keras.callbacks.Callback):
    """A checkpoint written by hand: save the model whenever val_loss beats its best so far."""

    def __init__(self, path):
        super().__init__()
        self.path = path

    def on_train_begin(self, logs=None):
        self.best = float("inf")

    def on_epoch_end(self, epoch, logs=None):
        if logs["val_loss"] < self.best:
            self.best = logs["val_loss"]
            self.model.save(self.path)


def train(model, x, y, path):
    stop = keras.callbacks.EarlyStopping(monitor="val_loss", patience=3, restore_best_weights=True)
    return model.fit(
        x, y, batch_size=32, epochs=30, validation_split=0.2, callbacks=[stop, KeepBest(path)]
    )
