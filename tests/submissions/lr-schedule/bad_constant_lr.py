import keras


def make_optimizer():
    return keras.optimizers.Adam(learning_rate=0.01)
