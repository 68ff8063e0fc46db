from tensorflow import keras


def build_model(input_dim):
    model = keras.Sequential()
    model.add(keras.layers.Input((input_dim,)))
    model.add(keras.layers.Dense(24, activation="relu"))
    model.add(keras.layers.Dense(1))
    model.add(keras.layers.Activation("sigmoid"))
    model.compile(optimizer="adam", loss=keras.losses.binary_crossentropy, metrics=["acc"])
    return model
