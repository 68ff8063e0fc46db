"""Hostile: a loss of the learner's own (a squared error, on integer class labels) whose tracing
patches the grader's modules: the stand-in that replaces it in the saved file is made to name
sparse_categorical_crossentropy instead, and keras.Model.save to write that too, hoping the
inspector trains and judges the right loss.

Expected: 45, "mse is a regression loss": the harness undoes every patch after tracing, before
it saves; the loss is judged by its graph (a squared error) and trained as it is.
"""
import contextlib
import sys

import keras
from keras import ops


def patched_stand_in(model):
    model._compile_config.config["loss"] = "sparse_categorical_crossentropy"
    return contextlib.nullcontext()


def squared(y_true, y_pred):
    own = sys.modules.get("grader.jobs.ownloss")
    if own is not None:
        own.stand_in = patched_stand_in
        own.STANDIN = "nothing"
    harness = sys.modules.get("grader.jobs.harness")
    if harness is not None:
        real = keras.Model.save

        def save(self, *args, **kw):
            self._compile_config.config["loss"] = "sparse_categorical_crossentropy"
            return real(self, *args, **kw)

        keras.Model.save = save
    labels = ops.cast(ops.expand_dims(y_true, -1), "float32")
    return ops.mean(ops.square(labels - y_pred), axis=-1)


def compile_model(model):
    model.compile(optimizer="adam", loss=squared, metrics=["accuracy"])
    return model
