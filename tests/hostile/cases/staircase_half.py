"""Hostile: a staircase that drops by sqrt(0.9) every 500 steps: equal to the task's smooth
ExponentialDecay(0.01, 1000, 0.9) at every multiple of 500, different in between.

Expected: 80: "smooth" fails (the learning rate is compared at steps between the round ones).
"""
import keras


def make_optimizer():
    schedule = keras.optimizers.schedules.ExponentialDecay(
        0.01, decay_steps=500, decay_rate=0.9**0.5, staircase=True
    )
    return keras.optimizers.Adam(learning_rate=schedule)
