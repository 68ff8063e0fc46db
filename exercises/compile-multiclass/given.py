"""The model handed to compile_model: not compiled yet, 10 softmax outputs."""

import keras


def model(input_shape, n_classes):
    return keras.Sequential(
        [
            keras.Input(input_shape),
            keras.layers.Dense(64, activation="relu"),
            keras.layers.Dense(64, activation="relu"),
            keras.layers.Dense(n_classes, activation="softmax"),
        ]
    )
