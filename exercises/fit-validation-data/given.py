import keras


def model(input_shape, n_classes):
    """The compiled classifier handed to train (the same one fit-validation hands over)."""
    model = keras.Sequential(
        [
            keras.Input(shape=input_shape),
            keras.layers.Dense(64, activation="relu"),
            keras.layers.Dense(64, activation="relu"),
            keras.layers.Dense(n_classes, activation="softmax"),
        ]
    )
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model
