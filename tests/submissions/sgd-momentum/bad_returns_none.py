import keras


def make_optimizer():
    keras.optimizers.SGD(learning_rate=0.01, momentum=0.9)
