import keras  # noqa: F401


def compile_model(model):
    model.compile(optimizer="adam", loss="mse", metrics=["accuracy"])
    return model
