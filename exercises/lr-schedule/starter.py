"""Exercise lr-schedule: an Adam optimizer whose learning rate decays exponentially."""

import keras


def make_optimizer():
    # TODO: build an ExponentialDecay schedule (0.01, decay_steps 1000, decay_rate 0.9)
    #       and pass it to Adam as its learning_rate.
    return keras.optimizers.Adam(learning_rate=0.01)
