"""Hostile: compiles correctly but patches keras.Model.save to hand back a model holding a
Lambda layer (arbitrary code, run by whoever loads the file without safe_mode).

Expected: 0, "cannot be loaded safely": the inspector refuses the file and runs none of it.
"""
import keras

_real_save = keras.Model.save


def _evil(x):
    import os

    os.system("touch /tmp/hostile-lambda-ran")
    return x


def _save_evil(self, path, *args, **kwargs):
    evil = keras.Sequential(
        [keras.Input((16,)), keras.layers.Lambda(_evil), keras.layers.Dense(10, activation="softmax")]
    )
    evil.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return _real_save(evil, path, *args, **kwargs)


keras.Model.save = _save_evil


def compile_model(model):
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model
