"""Hostile: a returned model made only of Keras' own classes, whose one layer is a TFSMLayer
pointing at a graph the code exported itself into the folder the grader copies for subclassed
models. The graph writes files when it runs; loading the .keras file would register it without
the inspector's check of the graph's operations.

Expected: 0, "cannot be loaded safely": Keras' safe mode (pinned to a version that has the fix)
refuses a TFSMLayer in a model's config, so the graph is never loaded.
"""
import keras
import tensorflow as tf


class Writer(keras.Model):
    def __init__(self):
        super().__init__()
        self.out = keras.layers.Dense(10, activation="softmax")

    def call(self, inputs):
        tf.io.write_file("out/pred.npy", tf.strings.as_string(tf.reduce_sum(inputs)))
        return self.out(inputs)


def compile_model(model):
    width = model.inputs[0].shape[-1]
    writer = Writer()
    writer(tf.zeros((1, width)))
    for where in ("returned_sm", "out/returned_sm"):  # here, and where the inspector will look
        writer.export(where, format="tf_saved_model", verbose=False)
    inputs = keras.Input((width,))
    outputs = keras.layers.TFSMLayer("returned_sm", call_endpoint="serve")(inputs)
    gadget = keras.Model(inputs, outputs)
    gadget.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return gadget
