import keras


def make_optimizer():
    # Positional order is (learning_rate, momentum): this is lr 0.9, momentum 0.01.
    return keras.optimizers.SGD(0.9, 0.01)
