"""Hostile: compiles with SGD but monkeypatches keras.Model.get_compile_config to claim Adam.

The saved .keras file then carries the forged compile config. Expected: no more than an honest
SGD compile earns (80), however the forgery is caught.
"""
import keras

_real = keras.Model.get_compile_config


def _claim_adam(self):
    config = _real(self)
    if config:
        config["optimizer"] = keras.optimizers.serialize(keras.optimizers.Adam())
    return config


keras.Model.get_compile_config = _claim_adam


def compile_model(model):
    model.compile(
        optimizer=keras.optimizers.SGD(),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    return model
