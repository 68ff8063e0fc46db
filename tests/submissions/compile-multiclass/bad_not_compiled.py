import keras  # noqa: F401


def compile_model(model):
    # forgot model.compile(...)
    return model
