import keras


class PatientStop(keras.callbacks.Callback):
    """Early stopping written by hand (patience 3, best weights restored); the saving is left to
    Keras' ModelCheckpoint."""

    def on_train_begin(self, logs=None):
        self.best, self.best_weights, self.waited = None, None, 0

    def on_epoch_end(self, epoch, logs=None):
        current = logs.get("val_loss")
        if self.best is None or current < self.best:
            self.best, self.best_weights, self.waited = current, self.model.get_weights(), 0
        else:
            self.waited += 1
            self.model.stop_training = self.waited >= 3

    def on_train_end(self, logs=None):
        self.model.set_weights(self.best_weights)


def train(model, x, y, path):
    save = keras.callbacks.ModelCheckpoint(path, monitor="val_loss", save_best_only=True)
    return model.fit(
        x, y, batch_size=32, epochs=30, validation_split=0.2, callbacks=[PatientStop(), save]
    )
