"""Exercise compile-multiclass: compile a 10-class classifier for integer labels 0-9."""

import keras  # noqa: F401


def compile_model(model):
    # TODO: compile `model` with the Adam optimizer, a loss that fits integer labels 0-9,
    #       and the accuracy metric; then return the model.
    return model
