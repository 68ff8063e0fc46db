import keras


def make_optimizer():
    decay = keras.optimizers.schedules.ExponentialDecay(
        0.01, decay_steps=1000, decay_rate=0.9, name="exp_decay"
    )
    return keras.optimizers.Adam(
        learning_rate=decay, beta_1=0.9, beta_2=0.999, epsilon=1e-7, name="adam_decay"
    )
