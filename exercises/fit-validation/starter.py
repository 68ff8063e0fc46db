"""Exercise fit-validation: train with a validation split and early stopping."""

import keras  # noqa: F401


def train(model, x, y):
    # TODO: train for at most 50 epochs with batch_size 32, hold out 20% with validation_split,
    #       stop early on val_loss (patience 3) and restore the best weights.
    history = model.fit(x, y, epochs=1, verbose=0)
    return history
