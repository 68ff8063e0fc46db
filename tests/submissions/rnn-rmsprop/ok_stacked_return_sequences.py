import keras


def build_model(timesteps, features):
    # The first layer hands every time step to the second: return_sequences=True.
    model = keras.Sequential(
        [
            keras.Input((timesteps, features)),
            keras.layers.SimpleRNN(16, return_sequences=True),
            keras.layers.SimpleRNN(8),
            keras.layers.Dense(1),
            keras.layers.Activation("sigmoid"),
        ]
    )
    model.compile(optimizer="rmsprop", loss="binary_crossentropy", metrics=["accuracy"])
    return model
