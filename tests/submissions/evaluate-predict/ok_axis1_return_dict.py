import numpy as np


def predict_labels(model, x):
    p = model.predict(x, batch_size=64, verbose=0)
    return np.argmax(p, axis=1)


def test_scores(model, x, y):
    results = model.evaluate(x, y, verbose=0, return_dict=True)
    return results["loss"], results["accuracy"]
