"""Hostile: compiles with SGD, then rewrites the model's private _compile_config to say Adam.

No Keras function is replaced: the forged config is what any saver reads. Expected: no more than
an honest SGD compile earns (80).
"""
import keras


def compile_model(model):
    model.compile(
        optimizer=keras.optimizers.SGD(),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    config = dict(model._compile_config.config)
    config["optimizer"] = keras.optimizers.Adam()
    model._compile_config = keras.src.saving.serialization_lib.SerializableDict(**config)
    return model
