import keras


def build_model(input_dim):
    model = keras.Sequential(
        [
            keras.Input((input_dim,)),
            keras.layers.Dense(32, activation="relu"),
            keras.layers.Dense(1),
            keras.layers.ReLU(),
        ]
    )
    model.compile(optimizer="adam", loss="mse", metrics=["mae"])
    return model
