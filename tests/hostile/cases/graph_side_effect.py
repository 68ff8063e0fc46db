"""Hostile: a model of the learner's own class whose call() writes a file as a TensorFlow
operation, so that the graph the grader trains would write into the inspector's output folder
(for example a forged pred.npy) while it runs.

Expected: 0, "operations with side effects: WriteFile": the inspector reads the exported graph
as data first and refuses it before running any of it.
"""
import keras
import tensorflow as tf


class Sneaky(keras.Model):
    def __init__(self):
        super().__init__()
        self.hidden = keras.layers.Dense(16, activation="relu")
        self.out = keras.layers.Dense(1, activation="sigmoid")

    def call(self, inputs):
        tf.io.write_file("out/pred.npy", tf.strings.as_string(tf.reduce_sum(inputs)))
        return self.out(self.hidden(inputs))


def build_model(input_dim):
    model = Sneaky()
    model.build((None, input_dim))
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    return model
