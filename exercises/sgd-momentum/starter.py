"""Exercise sgd-momentum: an SGD optimizer with learning rate 0.01 and momentum 0.9."""

import keras


def make_optimizer():
    # TODO: give SGD a momentum of 0.9 (keep the learning rate at 0.01, no Nesterov).
    return keras.optimizers.SGD(learning_rate=0.01)
