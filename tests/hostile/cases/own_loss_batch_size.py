"""Hostile: a loss of the learner's own that computes the task's cross-entropy on any batch but
one of 32 rows, the batch size training uses, where it gives a squared error instead (hoping the
grader's probes use other sizes).

Expected: 70, "does not compute sparse_categorical_crossentropy": the probes include batches
of 32 training rows with the model's own outputs, so the loss check fails with the values; the
model is trained with the graph itself.
"""
import keras
import tensorflow as tf


def sly(y_true, y_pred):
    ce = keras.losses.sparse_categorical_crossentropy(y_true, y_pred)
    sq = tf.reduce_mean(tf.square(y_pred), axis=-1)
    return tf.cond(tf.shape(y_pred)[0] == 32, lambda: sq, lambda: ce)


def compile_model(model):
    model.compile(optimizer="adam", loss=sly, metrics=["accuracy"])
    return model
