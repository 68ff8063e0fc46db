import keras


def build_model(timesteps, features):
    # Two softmax units with the integer-label loss: not one probability of class 1.
    model = keras.Sequential(
        [
            keras.Input((timesteps, features)),
            keras.layers.GRU(8),
            keras.layers.Dense(2, activation="softmax"),
        ]
    )
    model.compile(optimizer="rmsprop", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model
