"""Hostile: a loss of the learner's own that cannot be exported (it calls numpy on tensors), and
a graph the learner's code saves itself where the grader's export would go (out/loss_sm), one
that computes the task's cross-entropy, hoping the inspector judges that one instead.

Expected: 45, "could not be exported": the harness clears the folder before it traces the loss
and again when the export fails; the graph handed over is the grader's or none.
"""
import keras
import numpy as np
import tensorflow as tf


def numpy_ce(y_true, y_pred):
    probs = np.asarray(y_pred)
    return -np.log(probs[np.arange(len(probs)), np.asarray(y_true).astype(int)])


def compile_model(model):
    module = tf.Module()
    module.loss = tf.function(
        lambda t, p: keras.losses.SparseCategoricalCrossentropy()(t, p),
        input_signature=[tf.TensorSpec((None,), tf.int64), tf.TensorSpec((None, 10), tf.float32)],
    )
    module.loss.get_concrete_function()
    tf.saved_model.save(module, "out/loss_sm")
    model.compile(optimizer="adam", loss=numpy_ce, metrics=["accuracy"])
    return model
