"""Hostile: overwrites out/returned.keras and out/trained.keras right after the harness saved
them (Keras' saving code is wrapped) with hand-made archives whose config calls
keras.config.enable_unsafe_deserialization and then deserializes a Lambda (the CVE-2025-1550
pattern).

Expected: 0, "cannot be loaded safely".
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
