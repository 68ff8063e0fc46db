"""Hostile: overwrites out/returned.keras and out/trained.keras right after the harness saved
them (Keras' saving code is wrapped) with hand-made archives whose config calls
keras.config.enable_unsafe_deserialization and then deserializes a Lambda (the CVE-2025-1550
pattern).

Expected: 100, the honest score of its correct compile: keras.src.saving.saving_lib is among what
the harness puts back before it saves (round 2), so the wrapper is gone before the harness saves.
Were it to survive, the inspector would refuse the archive in safe mode ("cannot be loaded
safely"; see test_inspector_runs_no_code_from_a_malicious_model).
"""
import json
import zipfile

import keras
from keras.src.saving import saving_lib

LAMBDA = {
    "module": "keras.layers",
    "class_name": "Lambda",
    "config": {
        "name": "pwn",
        "function": {"class_name": "__lambda__", "config": {"code": "", "defaults": None}},
    },
}
CONFIG = {
    "module": "keras",
    "class_name": "Sequential",
    "config": {
        "name": "evil",
        "layers": [
            {
                "module": "keras.config",
                "class_name": "function",
                "config": "enable_unsafe_deserialization",
                "registered_name": "function",
            },
            LAMBDA,
        ],
    },
}


def _forge(path):
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("metadata.json", json.dumps({"keras_version": keras.__version__}))
        z.writestr("config.json", json.dumps(CONFIG))
        z.writestr("model.weights.h5", b"")


_real_save_model = saving_lib.save_model


def _save_then_overwrite(model, filepath, *args, **kwargs):
    _real_save_model(model, filepath, *args, **kwargs)
    _forge(filepath)  # replaces the archive the harness just wrote


saving_lib.save_model = _save_then_overwrite


def compile_model(model):
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model
