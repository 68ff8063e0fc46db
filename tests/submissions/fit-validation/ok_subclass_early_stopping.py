import keras


class ChattyStop(keras.callbacks.EarlyStopping):
    """Keras' EarlyStopping with the task's settings, printing when it stops."""

    def __init__(self):
        super().__init__(monitor="val_loss", patience=3, restore_best_weights=True)

    def on_epoch_end(self, epoch, logs=None):
        super().on_epoch_end(epoch, logs)
        if self.model.stop_training:
            print(f"stopping after epoch {epoch + 1}")


def train(model, x, y):
    return model.fit(
        x, y, batch_size=32, epochs=50, validation_split=0.2, callbacks=[ChattyStop()], verbose=0
    )
