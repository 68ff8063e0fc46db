import keras
from keras import ops


def my_loss(y_true, y_pred):
    """Mean squared error: a regression loss, on integer class labels."""
    return ops.mean(ops.square(ops.cast(ops.expand_dims(y_true, -1), "float32") - y_pred), axis=-1)


def compile_model(model):
    model.compile(optimizer="adam", loss=my_loss, metrics=["accuracy"])
    return model
