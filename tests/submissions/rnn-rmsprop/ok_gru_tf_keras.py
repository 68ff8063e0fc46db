import tensorflow as tf


def build_model(timesteps, features):
    model = tf.keras.Sequential(
        [
            tf.keras.Input((timesteps, features)),
            tf.keras.layers.GRU(8),
            tf.keras.layers.Dense(1, activation="sigmoid"),
        ]
    )
    model.compile(tf.keras.optimizers.RMSprop(), "binary_crossentropy", metrics=["accuracy"])
    return model
