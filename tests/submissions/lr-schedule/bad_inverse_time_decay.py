import keras


def make_optimizer():
    schedule = keras.optimizers.schedules.InverseTimeDecay(0.01, 1000, 0.9)
    return keras.optimizers.Adam(learning_rate=schedule)
