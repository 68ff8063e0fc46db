import numpy as np


def predict_labels(model, x):
    return np.argmax(model.predict(x, verbose=0), axis=-1)


def test_scores(model, x, y):
    return np.array(model.evaluate(x, y, verbose=0))
