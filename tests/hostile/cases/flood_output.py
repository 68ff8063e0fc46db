"""Hostile: prints 100 MB to stdout and stderr, then answers correctly.

Expected: full marks; the feedback keeps a small head of the output and says it was truncated.
"""
import sys

import keras


def make_optimizer():
    line = "y" * 1023 + "\n"
    block = line * 1024
    for i in range(100):
        (sys.stdout if i % 2 else sys.stderr).write(block)
    schedule = keras.optimizers.schedules.ExponentialDecay(0.01, 1000, 0.9)
    return keras.optimizers.Adam(learning_rate=schedule)
