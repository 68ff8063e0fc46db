import keras


def make_optimizer():
    return keras.optimizers.SGD
