import tensorflow as tf


def train(model, x, y, path):
    callbacks = [
        tf.keras.callbacks.ModelCheckpoint(path, monitor="val_loss", save_best_only=True),
        tf.keras.callbacks.EarlyStopping(monitor="val_loss", patience=3, restore_best_weights=True),
    ]
    return model.fit(
        x, y, epochs=30, batch_size=32, validation_split=0.2, callbacks=callbacks, verbose=0
    )
