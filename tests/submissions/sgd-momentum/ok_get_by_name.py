import keras


def make_optimizer():
    return keras.optimizers.get(
        {"class_name": "SGD", "config": {"learning_rate": 0.01, "momentum": 0.9}}
    )
