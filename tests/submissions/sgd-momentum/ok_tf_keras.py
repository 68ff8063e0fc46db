import tensorflow as tf


def make_optimizer():
    return tf.keras.optimizers.SGD(learning_rate=1e-2, momentum=0.9, nesterov=False)
