import keras


def make_optimizer():
    # Adam's beta_1=0.9 plays a role like momentum, but it is not SGD.
    return keras.optimizers.Adam(learning_rate=0.01, beta_1=0.9)
