import keras


def compile_model(model):
    model.compile(
        optimizer=keras.optimizers.Adam(),
        loss=["sparse_categorical_crossentropy"],
        metrics=["accuracy"],
    )
    return model
