"""Hostile: a loss of the learner's own that counts its calls in a variable and computes the
task's cross-entropy for the first 20 (a grader's probes), then a squared error (training).

Expected: 45, "keeps state or draws random numbers": a loss graph with variables is refused.
"""
import keras
import tensorflow as tf

calls = tf.Variable(0, dtype=tf.int64, trainable=False)


def counting(y_true, y_pred):
    calls.assign_add(1)
    ce = keras.losses.sparse_categorical_crossentropy(y_true, y_pred)
    sq = tf.reduce_mean(tf.square(y_pred), axis=-1)
    return tf.cond(calls <= 20, lambda: ce, lambda: sq)


def compile_model(model):
    model.compile(optimizer="adam", loss=counting, metrics=["accuracy"])
    return model
