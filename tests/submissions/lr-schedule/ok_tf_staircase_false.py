import tensorflow as tf


def make_optimizer():
    lr = tf.keras.optimizers.schedules.ExponentialDecay(
        initial_learning_rate=1e-2, decay_steps=1_000, decay_rate=0.9, staircase=False
    )
    optimizer = tf.keras.optimizers.Adam(learning_rate=lr)
    return optimizer
