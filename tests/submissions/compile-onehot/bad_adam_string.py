import keras  # noqa: F401


def compile_model(model):
    # "adam" is Adam at its default learning rate, 0.001, not 0.0005.
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
    return model
