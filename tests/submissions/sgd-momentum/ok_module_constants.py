import keras

SETTINGS = {"learning_rate": 0.01, "momentum": 0.9}


def make_optimizer():
    optimizer = keras.optimizers.SGD(**SETTINGS)
    print("momentum:", optimizer.momentum)
    return optimizer
