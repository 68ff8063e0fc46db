"""Hostile: a loss of the learner's own that computes the task's cross-entropy only when the
rows of y_pred do not sum to 1 (made-up probes might not), and nothing (zero) for the softmax
rows training gives it.

Expected: 45, "does not compute sparse_categorical_crossentropy": the probes of a softmax model
are probability rows (drawn ones and the model's own outputs), so the loss check fails; trained
with the graph itself (a zero loss), the model does not learn either.
"""
import keras
import tensorflow as tf


def sly(y_true, y_pred):
    ce = keras.losses.sparse_categorical_crossentropy(y_true, y_pred)
    sums_to_one = tf.abs(tf.reduce_sum(y_pred, axis=-1) - 1.0) < 1e-3
    return tf.where(sums_to_one, tf.zeros_like(ce), ce)


def compile_model(model):
    model.compile(optimizer="adam", loss=sly, metrics=["accuracy"])
    return model
