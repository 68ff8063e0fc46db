import keras


class PatientStop(keras.callbacks.Callback):
    """Early stopping written by hand: stop after 3 epochs without a lower val_loss, and put the
    best epoch's weights back at the end."""

    def __init__(self, patience):
        super().__init__()
        self.patience = patience

    def on_train_begin(self, logs=None):
        self.best = None
        self.best_weights = None
        self.waited = 0

    def on_epoch_end(self, epoch, logs=None):
        current = logs["val_loss"]
        if self.best is None or current < self.best:
            self.best = current
            self.best_weights = self.model.get_weights()
            self.waited = 0
            return
        self.waited += 1
        if self.waited >= self.patience:
            self.model.stop_training = True

    def on_train_end(self, logs=None):
        if self.best_weights is not None:
            self.model.set_weights(self.best_weights)


def train(model, x, y):
    return model.fit(
        x, y, batch_size=32, epochs=50, validation_split=0.2, callbacks=[PatientStop(3)], verbose=0
    )
