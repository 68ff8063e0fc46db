import keras


def build_model(timesteps, features):
    model = keras.Sequential(
        [
            keras.Input((timesteps, features)),
            keras.layers.LSTM(8),
            keras.layers.Dense(1, activation="sigmoid"),
        ]
    )
    model.compile(optimizer="rmsprop", loss="binary_crossentropy")
    return model
