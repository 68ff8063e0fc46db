import keras
from keras import ops


def mse(y_true, y_pred):
    """Mean squared error of the prediction."""
    return ops.mean(ops.square(y_pred - y_true), axis=-1)


def build_model(input_dim):
    model = keras.Sequential(
        [
            keras.Input((input_dim,)),
            keras.layers.Dense(64, activation="relu"),
            keras.layers.Dense(32, activation="relu"),
            keras.layers.Dense(1),
        ]
    )
    model.compile(optimizer="adam", loss=mse, metrics=["mae"])
    return model
