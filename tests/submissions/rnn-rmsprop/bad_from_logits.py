import keras


def build_model(timesteps, features):
    model = keras.Sequential(
        [
            keras.Input((timesteps, features)),
            keras.layers.SimpleRNN(8),
            keras.layers.Dense(1, activation="sigmoid"),
        ]
    )
    model.compile(
        optimizer="rmsprop",
        loss=keras.losses.BinaryCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )
    return model
