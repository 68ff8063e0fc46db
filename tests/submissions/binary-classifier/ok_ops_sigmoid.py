import keras


def build_model(input_dim):
    inputs = keras.Input((input_dim,))
    hidden = keras.layers.Dense(32, activation="relu")(inputs)
    outputs = keras.ops.sigmoid(keras.layers.Dense(1)(hidden))
    model = keras.Model(inputs, outputs)
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    return model
