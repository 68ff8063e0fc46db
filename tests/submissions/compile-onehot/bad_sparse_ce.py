import keras


def compile_model(model):
    # The loss for integer labels, on one-hot labels.
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=0.0005),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    return model
