"""Exercise binary-classifier: a compiled model that outputs the probability of class 1."""

import keras


def build_model(input_dim):
    model = keras.Sequential(
        [
            keras.Input((input_dim,)),
            keras.layers.Dense(16, activation="relu"),
            # TODO: add the output layer (the probability of class 1)
        ]
    )
    # TODO: compile with Adam, the binary classification loss and the accuracy metric
    return model
