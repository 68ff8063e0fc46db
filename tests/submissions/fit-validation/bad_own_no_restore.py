import keras


class PatientStop(keras.callbacks.Callback):
    """Stops after 3 epochs without a lower val_loss, but keeps the last epoch's weights."""

    def on_train_begin(self, logs=None):
        self.best = float("inf")
        self.waited = 0

    def on_epoch_end(self, epoch, logs=None):
        if logs["val_loss"] < self.best:
            self.best = logs["val_loss"]
            self.waited = 0
        else:
            self.waited += 1
            if self.waited >= 3:
                self.model.stop_training = True


def train(model, x, y):
    return model.fit(
        x, y, batch_size=32, epochs=50, validation_split=0.2, callbacks=[PatientStop()], verbose=0
    )
