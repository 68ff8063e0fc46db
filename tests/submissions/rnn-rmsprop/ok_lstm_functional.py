import keras


def build_model(timesteps, features):
    inputs = keras.Input(shape=(timesteps, features))
    h = keras.layers.LSTM(16)(inputs)
    outputs = keras.layers.Dense(1, activation="sigmoid")(h)
    model = keras.Model(inputs, outputs)
    model.compile(
        optimizer=keras.optimizers.RMSprop(learning_rate=0.001),
        loss=keras.losses.BinaryCrossentropy(),
        metrics=[keras.metrics.BinaryAccuracy()],
    )
    return model
