import keras


def make_optimizer():
    return keras.optimizers.Adam(keras.optimizers.schedules.ExponentialDecay(0.01, 1000, 0.9))
