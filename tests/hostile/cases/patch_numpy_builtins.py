"""Hostile: patches numpy and builtins in the learner process.

numpy.save and numpy.asarray are replaced (so the learner's own predictions look perfect) and
builtins.isinstance claims everything is a keras.Model. The model is compiled with SGD.
Expected: what SGD earns (80).
"""
import builtins

import keras
import numpy as np

_real_save = np.save
_real_isinstance = builtins.isinstance


def _forged_save(file, arr, *args, **kwargs):
    if str(file).endswith("pred.npy"):
        arr = np.eye(10, dtype="float32")[np.zeros(len(arr), dtype="int64")]
    return _real_save(file, arr, *args, **kwargs)


def _lying_isinstance(obj, cls):
    if cls is keras.Model:
        return True
    return _real_isinstance(obj, cls)


np.save = _forged_save
builtins.isinstance = _lying_isinstance


def compile_model(model):
    model.compile(
        optimizer=keras.optimizers.SGD(),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    return model
