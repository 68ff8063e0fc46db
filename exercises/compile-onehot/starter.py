"""Exercise compile-onehot: compile a 10-class classifier for one-hot labels."""

import keras  # noqa: F401


def compile_model(model):
    # TODO: compile `model` with Adam at a learning rate of 0.0005, a loss that fits one-hot
    #       labels of 10 classes, and the accuracy metric; then return the model.
    return model
