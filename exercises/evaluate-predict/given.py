"""The model handed to predict_labels and test_scores: compiled as the instructions say, then
trained by the grader for `given.train_epochs` epochs."""

import keras


def model(input_shape, n_classes):
    net = keras.Sequential(
        [
            keras.Input(input_shape),
            keras.layers.Dense(64, activation="relu"),
            keras.layers.Dense(64, activation="relu"),
            keras.layers.Dense(n_classes, activation="softmax"),
        ]
    )
    net.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return net
