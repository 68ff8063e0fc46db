import keras


def build_model(timesteps, features):
    # Flatten + Dense: no recurrent layer at all.
    model = keras.Sequential(
        [
            keras.Input((timesteps, features)),
            keras.layers.Flatten(),
            keras.layers.Dense(16, activation="relu"),
            keras.layers.Dense(1, activation="sigmoid"),
        ]
    )
    model.compile(optimizer="rmsprop", loss="binary_crossentropy", metrics=["accuracy"])
    return model
