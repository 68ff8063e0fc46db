import keras


def make_optimizer():
    schedule = keras.optimizers.schedules.ExponentialDecay(
        initial_learning_rate=0.01, decay_steps=1000, decay_rate=0.9, staircase=True
    )
    return keras.optimizers.Adam(learning_rate=schedule)
