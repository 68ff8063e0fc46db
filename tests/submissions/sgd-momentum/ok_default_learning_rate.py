from keras.optimizers import SGD


def make_optimizer():
    # SGD's default learning rate is already 0.01.
    return SGD(momentum=0.9)
