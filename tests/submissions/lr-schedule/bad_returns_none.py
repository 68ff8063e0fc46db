import keras


def make_optimizer():
    schedule = keras.optimizers.schedules.ExponentialDecay(0.01, 1000, 0.9)
    keras.optimizers.Adam(learning_rate=schedule)
