import keras


def build_model(timesteps, features):
    return keras.Sequential(
        [
            keras.Input((timesteps, features)),
            keras.layers.SimpleRNN(8),
            keras.layers.Dense(1, activation="sigmoid"),
        ]
    )
