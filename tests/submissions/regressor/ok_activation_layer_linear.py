import keras


def build_model(input_dim):
    model = keras.Sequential(
        [
            keras.Input((input_dim,)),
            keras.layers.Dense(32),
            keras.layers.Activation("relu"),
            keras.layers.Dense(1),
            keras.layers.Activation("linear"),
        ]
    )
    model.compile(optimizer=keras.optimizers.Adam(), loss="mse", metrics=["mae"])
    return model
