import keras


def build_model(timesteps, features):
    model = keras.Sequential(
        [
            keras.Input((timesteps, features)),
            keras.layers.SimpleRNN(8),
            keras.layers.Dense(1, activation="sigmoid"),
        ]
    )
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    return model
