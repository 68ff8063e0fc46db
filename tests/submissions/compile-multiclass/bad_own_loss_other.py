import keras
from keras import ops


def my_loss(y_true, y_pred):
    """Meant as cross-entropy, but the minus sign is missing (it grows as the model improves)."""
    labels = ops.cast(ops.reshape(y_true, (-1,)), "int32")
    picked = ops.take_along_axis(y_pred, ops.expand_dims(labels, -1), axis=-1)
    return ops.log(ops.clip(ops.squeeze(picked, -1), 1e-7, 1.0))


def compile_model(model):
    model.compile(optimizer="adam", loss=my_loss, metrics=["accuracy"])
    return model
