"""Hostile: a loss of the learner's own that computes in Python through tf.py_function (the
graph would call back into Python, which the inspector cannot have).

Expected: 45, "operations with side effects: EagerPyFunc": refused from the graph; not trained.
"""
import keras
import tensorflow as tf


def pythonic(y_true, y_pred):
    def ce(labels, probs):
        return keras.losses.sparse_categorical_crossentropy(labels, probs)

    out = tf.py_function(ce, [y_true, y_pred], tf.float32)
    out.set_shape([None])
    return out


def compile_model(model):
    model.compile(optimizer="adam", loss=pythonic, metrics=["accuracy"])
    return model
