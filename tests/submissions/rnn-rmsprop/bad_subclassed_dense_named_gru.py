import keras


class SequenceClassifier(keras.Model):
    """No recurrent layer: the time steps are flattened into one Dense layer, named "gru"."""

    def __init__(self, units=8):
        super().__init__()
        self.flat = keras.layers.Flatten()
        self.gru = keras.layers.Dense(units, activation="tanh", name="gru")
        self.out = keras.layers.Dense(1, activation="sigmoid")

    def call(self, inputs):
        return self.out(self.gru(self.flat(inputs)))


def build_model(timesteps, features):
    model = SequenceClassifier()
    model(keras.ops.zeros((1, timesteps, features)))
    model.compile(optimizer="rmsprop", loss="binary_crossentropy", metrics=["accuracy"])
    return model
