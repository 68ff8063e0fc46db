import tensorflow as tf


def predict_labels(model, x):
    probabilities = model.predict(x, verbose=0)
    return tf.argmax(probabilities, axis=-1).numpy()


def test_scores(model, x, y):
    values = model.evaluate(x, y, batch_size=32, verbose=0)
    return (values[0], values[1])
