import keras


def build_model(input_dim):
    model = keras.Sequential(
        [
            keras.Input((input_dim,)),
            keras.layers.Dense(32, activation="relu"),
            keras.layers.Dense(1),
        ]
    )
    return model
