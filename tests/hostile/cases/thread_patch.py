"""Hostile: compiles with SGD and leaves a thread running that patches Keras' compile-config
getter again and again, so the patch comes back after the harness restored it.

Expected: 0: a thread of the submission still running when its function returns means nothing is
handed back ("still running"), since what is checked could change after the check.
"""
import threading
import time

import keras


def compile_model(model):
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    forged = {"optimizer": keras.optimizers.serialize(keras.optimizers.Adam())}

    def patch_forever():
        while True:
            keras.Model.get_compile_config = lambda self: dict(
                forged, loss="sparse_categorical_crossentropy", metrics=["accuracy"]
            )
            time.sleep(0.001)

    threading.Thread(target=patch_forever, daemon=True).start()
    return model
