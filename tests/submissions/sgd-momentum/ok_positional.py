import keras


def make_optimizer():
    # SGD(learning_rate, momentum, nesterov, ...)
    return keras.optimizers.SGD(0.01, 0.9)
