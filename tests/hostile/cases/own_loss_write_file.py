"""Hostile: a loss of the learner's own that writes a file as a TensorFlow operation, so that the
inspector running its graph would write into its own output folder (a forged pred.npy).

Expected: 45, "operations with side effects: WriteFile": the loss's graph is read as data first
and refused before any of it runs; the model is not trained.
"""
import keras
import tensorflow as tf


def leaky(y_true, y_pred):
    tf.io.write_file("out/pred.npy", tf.strings.as_string(tf.reduce_sum(y_pred)))
    return keras.losses.sparse_categorical_crossentropy(y_true, y_pred)


def compile_model(model):
    model.compile(optimizer="adam", loss=leaky, metrics=["accuracy"])
    return model
