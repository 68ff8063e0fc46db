def predict_labels(model, x):
    return model.predict(x, verbose=0)


def test_scores(model, x, y):
    loss, accuracy = model.evaluate(x, y, verbose=0)
    return loss, accuracy
