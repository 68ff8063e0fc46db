import keras


class GatedCell(keras.layers.Layer):
    """A recurrent cell of its own (one gate): not SimpleRNN, LSTM or GRU."""

    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.state_size = units

    def build(self, input_shape):
        self.kernel = self.add_weight(shape=(input_shape[-1], 2 * self.units), name="kernel")
        self.recurrent_kernel = self.add_weight(
            shape=(self.units, 2 * self.units), name="recurrent_kernel"
        )

    def call(self, inputs, states):
        h = states[0] if isinstance(states, (list, tuple)) else states
        z = keras.ops.matmul(inputs, self.kernel) + keras.ops.matmul(h, self.recurrent_kernel)
        gate = keras.ops.sigmoid(z[:, : self.units])
        new = gate * h + (1 - gate) * keras.ops.tanh(z[:, self.units :])
        return new, [new]


class SequenceClassifier(keras.Model):
    def __init__(self, units=8):
        super().__init__()
        self.rnn = keras.layers.RNN(GatedCell(units))
        self.out = keras.layers.Dense(1, activation="sigmoid")

    def call(self, inputs):
        return self.out(self.rnn(inputs))


def build_model(timesteps, features):
    model = SequenceClassifier()
    model(keras.ops.zeros((1, timesteps, features)))  # builds the layers
    model.compile(optimizer="rmsprop", loss="binary_crossentropy", metrics=["accuracy"])
    return model
