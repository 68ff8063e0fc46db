import keras


def predict_labels(model, x):
    probs = model.predict(x, verbose=0)
    return [int(keras.ops.argmax(row)) for row in probs]


def test_scores(model, x, y):
    loss, acc = model.evaluate(x=x, y=y, verbose=0)
    return [float(loss), float(acc)]
