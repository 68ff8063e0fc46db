import keras


def build_model(input_dim):
    model = keras.Sequential()
    model.add(keras.Input((input_dim,)))
    model.add(keras.layers.Dense(48, activation="relu"))
    model.add(keras.layers.Dense(24, activation="relu"))
    model.add(keras.layers.Dense(1))
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=0.001),
        loss=keras.losses.mean_squared_error,
        metrics=["mean_absolute_error"],
    )
    return model
