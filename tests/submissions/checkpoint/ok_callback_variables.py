import keras


def train(model, x, y, path):
    early_stopping = keras.callbacks.EarlyStopping(
        monitor="val_loss", patience=3, restore_best_weights=True
    )
    checkpoint = keras.callbacks.ModelCheckpoint(
        filepath=path, monitor="val_loss", save_best_only=True
    )
    callbacks = [early_stopping, checkpoint]
    history = model.fit(
        x, y, batch_size=32, epochs=30, validation_split=0.2, callbacks=callbacks, verbose=0
    )
    return history
