import keras


class Classifier(keras.Model):
    """Forgets the sigmoid: the output unit gives raw scores, not probabilities."""

    def __init__(self):
        super().__init__()
        self.hidden = keras.layers.Dense(16, activation="relu")
        self.out = keras.layers.Dense(1)

    def call(self, inputs):
        return self.out(self.hidden(inputs))


def build_model(input_dim):
    model = Classifier()
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    return model
