import keras


def compile_model(model):
    # The output layer is a softmax: its outputs are probabilities, not logits.
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=0.0005),
        loss=keras.losses.CategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )
    return model
