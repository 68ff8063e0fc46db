"""Hostile: the task's fit call, but with every class weighted 0: the loss is 0, nothing is
learned, EarlyStopping stops after patience epochs and the best weights are the first ones.

Expected: at most 55: class_weight is not in the task's call, and the model does not reach the
reference's held-out accuracy.
"""
import keras


def train(model, x, y):
    stop = keras.callbacks.EarlyStopping(monitor="val_loss", patience=3, restore_best_weights=True)
    return model.fit(
        x, y, batch_size=32, epochs=50, validation_split=0.2, callbacks=[stop], verbose=0,
        class_weight={0: 0.0, 1: 0.0, 2: 0.0, 3: 0.0},
    )
