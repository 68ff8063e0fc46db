"""Hostile: a syntax error. Expected: 0, "SyntaxError" with the line."""
import keras


def make_optimizer(:
    return keras.optimizers.Adam()
