from tensorflow import keras


def compile_model(model):
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=0.001),
        loss=keras.losses.sparse_categorical_crossentropy,
        metrics=["acc"],
    )
    return model
