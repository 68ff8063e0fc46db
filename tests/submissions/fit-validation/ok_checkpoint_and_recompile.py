import keras


def train(model, x, y):
    # Compiling again with the same settings, and a checkpoint that only watches: both allowed.
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    callbacks = [
        keras.callbacks.ModelCheckpoint("best.keras", monitor="val_loss", save_best_only=True),
        keras.callbacks.EarlyStopping(monitor="val_loss", patience=3, restore_best_weights=True),
    ]
    return model.fit(
        x, y, batch_size=32, epochs=50, validation_split=0.2, callbacks=callbacks, verbose=0
    )
