"""Hostile: returns SGD but patches keras.optimizers.serialize to describe a correct Adam.

Expected: what SGD earns (80).
"""
import keras

_real = keras.optimizers.serialize


def _claim_adam(optimizer):
    schedule = keras.optimizers.schedules.ExponentialDecay(0.01, 1000, 0.9)
    return _real(keras.optimizers.Adam(learning_rate=schedule))


keras.optimizers.serialize = _claim_adam


def make_optimizer():
    schedule = keras.optimizers.schedules.ExponentialDecay(0.01, 1000, 0.9)
    return keras.optimizers.SGD(learning_rate=schedule)
