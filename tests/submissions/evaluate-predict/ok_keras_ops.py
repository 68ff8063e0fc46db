from keras import ops


def predict_labels(model, x):
    return ops.convert_to_numpy(ops.argmax(model.predict(x, verbose=0), axis=-1))


def test_scores(model, x, y):
    scores = model.evaluate(x, y, verbose=0)
    loss = scores[0]
    accuracy = scores[-1]
    return loss, accuracy
