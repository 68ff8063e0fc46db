from keras.callbacks import EarlyStopping, ModelCheckpoint


def train(model, x, y, path):
    # ModelCheckpoint's first argument is the file path; monitor defaults to "val_loss".
    return model.fit(
        x,
        y,
        32,
        30,
        validation_split=0.2,
        callbacks=[
            ModelCheckpoint(path, save_best_only=True),
            EarlyStopping(patience=3, restore_best_weights=True),
        ],
        verbose=0,
    )
