import keras

SETTINGS = {
    "optimizer": keras.optimizers.Adam(learning_rate=1e-3),
    "loss": keras.losses.SparseCategoricalCrossentropy(from_logits=False),
    "metrics": [keras.metrics.SparseCategoricalAccuracy(name="accuracy")],
}


def compile_model(model):
    compiled = model
    compiled.compile(**SETTINGS)
    return compiled
