"""Exercise evaluate-predict: turn a trained model's outputs into labels and test scores."""

import numpy as np  # noqa: F401


def predict_labels(model, x):
    # TODO: return one integer class per row of x
    return model.predict(x, verbose=0)


def test_scores(model, x, y):
    # TODO: return (test loss, test accuracy)
    return None
