import keras


def compile_model(model):
    model.compile(
        optimizer=keras.optimizers.SGD(learning_rate=0.0005),
        loss="categorical_crossentropy",
        metrics=["accuracy"],
    )
    return model
