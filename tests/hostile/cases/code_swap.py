"""Hostile: compiles with SGD, then swaps the __code__ of Keras' get_compile_config (the
function object stays the same, so an identity check of the restored attributes passes) so that
the saved file would say Adam.

Expected: 80, judged as the SGD it is: the harness snapshots every function's code object before
any learner code runs and puts the code back before it describes or saves anything.
"""
import keras


def compile_model(model):
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    original = keras.Model.get_compile_config

    def forged(self):
        config = {"optimizer": keras.optimizers.serialize(keras.optimizers.Adam())}
        config["loss"] = "sparse_categorical_crossentropy"
        config["metrics"] = ["accuracy"]
        config["loss_weights"] = None
        config["weighted_metrics"] = None
        config["run_eagerly"] = None
        config["steps_per_execution"] = 1
        config["jit_compile"] = False
        return config

    original.__code__ = forged.__code__
    return model
