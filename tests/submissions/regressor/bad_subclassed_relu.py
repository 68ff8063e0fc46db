import keras


class Regressor(keras.Model):
    def __init__(self):
        super().__init__()
        self.hidden = keras.layers.Dense(32, activation="relu")
        self.out = keras.layers.Dense(1, activation="relu")

    def call(self, inputs):
        return self.out(self.hidden(inputs))


def build_model(input_dim):
    model = Regressor()
    model.build((None, input_dim))
    model.compile(optimizer="adam", loss="mse", metrics=["mae"])
    return model
