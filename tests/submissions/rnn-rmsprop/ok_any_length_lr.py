import keras


def build_model(timesteps, features):
    # None: any number of time steps; a larger RMSprop learning rate than the default.
    model = keras.Sequential(
        [
            keras.Input((None, features)),
            keras.layers.LSTM(8),
            keras.layers.Dropout(0.1),
            keras.layers.Dense(1, activation="sigmoid"),
        ]
    )
    model.compile(
        optimizer=keras.optimizers.RMSprop(learning_rate=0.003),
        loss=keras.losses.binary_crossentropy,
        metrics=["binary_accuracy"],
    )
    return model
