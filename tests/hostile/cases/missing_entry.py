"""Hostile: no make_optimizer at all. Expected: 0, "define a function named make_optimizer"."""
import keras


def make_optimiser():  # the wrong spelling
    return keras.optimizers.Adam()
