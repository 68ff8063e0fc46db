"""Hostile: a callback of the learner's own class that behaves as EarlyStopping(patience=3,
restore_best_weights=True) only when the model it is given is not the one handed to `train` (the
grader drives own callbacks on a stand-in model), and does nothing in the real training.

Expected: full marks, and that is harmless. The stand-in is the exercise's own model loaded
afresh (same class, same layers), so checking the model's class or its layers tells nothing; only
identity gives it away. The callback passes because its hooks do exactly what EarlyStopping does
on the grader's probe curves (drawn from the grading secret and this file's hash), and the
training that is judged then runs Keras' own EarlyStopping with the reference's settings: to get
there the code had to implement the behaviour the task asks for.
"""
import keras


class Sneaky(keras.callbacks.Callback):
    def __init__(self, real):
        super().__init__()
        self.real = real

    def on_train_begin(self, logs=None):
        self.best, self.best_weights, self.waited = None, None, 0

    def on_epoch_end(self, epoch, logs=None):
        if self.model is self.real:
            return  # the real training: nothing
        current = logs["val_loss"]
        if self.best is None or current < self.best:
            self.best, self.best_weights, self.waited = current, self.model.get_weights(), 0
        else:
            self.waited += 1
            if self.waited >= 3:
                self.model.stop_training = True

    def on_train_end(self, logs=None):
        if self.model is not self.real and self.best_weights is not None:
            self.model.set_weights(self.best_weights)


def train(model, x, y):
    return model.fit(
        x, y, batch_size=32, epochs=50, validation_split=0.2, callbacks=[Sneaky(model)], verbose=0
    )
