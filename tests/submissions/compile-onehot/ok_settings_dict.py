import keras

LEARNING_RATE = 0.0005
SETTINGS = {
    "loss": keras.losses.categorical_crossentropy,
    "metrics": ["categorical_accuracy"],
}


def compile_model(model):
    optimizer = keras.optimizers.Adam(learning_rate=LEARNING_RATE)
    model.compile(optimizer=optimizer, **SETTINGS)
    return model
