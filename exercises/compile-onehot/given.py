import keras


def model(input_shape, n_classes):
    """The uncompiled classifier handed to compile_model: its last layer is a softmax."""
    return keras.Sequential(
        [
            keras.Input(shape=input_shape),
            keras.layers.Dense(64, activation="relu"),
            keras.layers.Dense(n_classes, activation="softmax"),
        ]
    )
