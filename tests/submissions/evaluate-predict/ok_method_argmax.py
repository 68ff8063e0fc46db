def predict_labels(model, x):
    return model.predict(x, verbose=0).argmax(-1)


def test_scores(model, x, y):
    return tuple(model.evaluate(x, y, verbose=0))
