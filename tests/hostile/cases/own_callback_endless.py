"""Hostile: a callback of the learner's own class whose on_epoch_end never returns.

Expected: the grader stops driving it on its probe curves after a few seconds and says so
("did not finish within"); the training it judges runs without it (45: the History, the batch
size and epochs and the validation share), well within the exercise's time limit.
"""
import keras


class Endless(keras.callbacks.Callback):
    def on_epoch_end(self, epoch, logs=None):
        while True:
            pass


def train(model, x, y):
    return model.fit(
        x, y, batch_size=32, epochs=50, validation_split=0.2, callbacks=[Endless()], verbose=0
    )
