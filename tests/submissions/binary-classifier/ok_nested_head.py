import keras


def build_model(input_dim):
    head = keras.Sequential([keras.layers.Dense(1, activation="sigmoid")], name="head")
    model = keras.Sequential(
        [keras.Input((input_dim,)), keras.layers.Dense(32, activation="relu"), head]
    )
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    return model
