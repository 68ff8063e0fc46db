import keras


class SequenceClassifier(keras.Model):
    def __init__(self, units=8):
        super().__init__()
        self.rnn = keras.layers.LSTM(units)
        self.out = keras.layers.Dense(1, activation="sigmoid")

    def call(self, inputs):
        return self.out(self.rnn(inputs))


def build_model(timesteps, features):
    model = SequenceClassifier()
    model(keras.ops.zeros((1, timesteps, features)))  # builds the layers
    model.compile(optimizer="rmsprop", loss="binary_crossentropy", metrics=["accuracy"])
    return model
