"""Hostile: compiles correctly, but patches Keras' saving code (below keras.Model.save, which the
harness puts back) so that the harness hands back a model holding a Lambda layer: arbitrary code,
run by whoever loads the file without safe_mode.

Expected: 100, the honest score of its correct compile: keras.src.saving.saving_lib is among what
the harness puts back before it saves (round 2), so the learner's own model is what is saved. Were
the patch to survive, the inspector would refuse the file in safe mode and run none of it (see
test_inspector_runs_no_code_from_a_malicious_model).
"""
import keras
from keras.src.saving import saving_lib

_real_save_model = saving_lib.save_model


def _evil(x):
    import os

    os.system("touch /tmp/hostile-lambda-ran")
    return x


def _save_evil(model, filepath, *args, **kwargs):
    evil = keras.Sequential(
        [keras.Input((16,)), keras.layers.Lambda(_evil), keras.layers.Dense(10, activation="softmax")]
    )
    evil.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return _real_save_model(evil, filepath, *args, **kwargs)


saving_lib.save_model = _save_evil


def compile_model(model):
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model
