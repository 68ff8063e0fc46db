import keras
from keras import ops


def binary_ce(y_true, y_pred):
    """Binary cross-entropy written out: -(y log p + (1 - y) log(1 - p))."""
    y = ops.cast(y_true, "float32")
    p = ops.clip(y_pred, 1e-7, 1.0 - 1e-7)
    return -ops.mean(y * ops.log(p) + (1.0 - y) * ops.log(1.0 - p), axis=-1)


def build_model(input_dim):
    model = keras.Sequential(
        [
            keras.Input(shape=(input_dim,)),
            keras.layers.Dense(32, activation="relu"),
            keras.layers.Dense(1, activation="sigmoid"),
        ]
    )
    model.compile(optimizer="adam", loss=binary_ce, metrics=["accuracy"])
    return model
