import keras


class PatientStop(keras.callbacks.Callback):
    """Restores the best weights, but waits one epoch too many (`>` where EarlyStopping has `>=`)."""

    def on_train_begin(self, logs=None):
        self.best, self.best_weights, self.waited = float("inf"), None, 0

    def on_epoch_end(self, epoch, logs=None):
        if logs["val_loss"] < self.best:
            self.best, self.best_weights, self.waited = logs["val_loss"], self.model.get_weights(), 0
        else:
            self.waited += 1
            if self.waited > 3:
                self.model.stop_training = True

    def on_train_end(self, logs=None):
        self.model.set_weights(self.best_weights)


def train(model, x, y):
    return model.fit(
        x, y, batch_size=32, epochs=50, validation_split=0.2, callbacks=[PatientStop()], verbose=0
    )
