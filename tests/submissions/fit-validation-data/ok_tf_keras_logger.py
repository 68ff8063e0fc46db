import tensorflow as tf


def train(model, x_train, y_train, x_val, y_val):
    log = tf.keras.callbacks.CSVLogger("training.csv")
    return model.fit(
        x_train,
        y_train,
        epochs=20,
        batch_size=64,
        validation_data=[x_val, y_val],
        callbacks=[log],
        verbose=2,
    )
