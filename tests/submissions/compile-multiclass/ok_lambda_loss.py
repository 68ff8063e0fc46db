import keras


def compile_model(model):
    model.compile(
        optimizer="adam",
        loss=lambda y, p: keras.losses.sparse_categorical_crossentropy(y, p),
        metrics=["accuracy"],
    )
    return model
