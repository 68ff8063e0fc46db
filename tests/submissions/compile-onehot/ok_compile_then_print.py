import keras


def compile_model(model):
    model.compile(
        loss="categorical_crossentropy",
        optimizer=keras.optimizers.Adam(learning_rate=0.0005),
        metrics=["acc"],
    )
    model.summary()
    return model
