"""Hostile: a PiecewiseConstantDecay whose values are the task's ExponentialDecay at every
multiple of 500 steps (boundaries just after each), a look-alike at the steps once sampled.

Expected: 80: "smooth" fails at the steps between the boundaries.
"""
import keras


def make_optimizer():
    boundaries = [s for s in range(1, 10001, 500)]
    values = [0.01 * 0.9 ** (s / 1000) for s in range(0, 10001, 500)][: len(boundaries) + 1]
    schedule = keras.optimizers.schedules.PiecewiseConstantDecay(boundaries, values)
    return keras.optimizers.Adam(learning_rate=schedule)
