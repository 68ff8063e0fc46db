import keras  # noqa: F401


def compile_model(model):
    model.compile(
        optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["categorical_accuracy"]
    )
    return model
