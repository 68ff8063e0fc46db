from keras.callbacks import EarlyStopping

FIT_OPTIONS = {"batch_size": 32, "epochs": 50, "validation_split": 0.2, "shuffle": True}


def train(model, x, y):
    callbacks = [
        EarlyStopping(
            monitor="val_loss", mode="min", min_delta=0.0, patience=3, restore_best_weights=True
        )
    ]
    history = model.fit(x, y, callbacks=callbacks, verbose=0, **FIT_OPTIONS)
    print("stopped after", len(history.epoch), "epochs")
    return history
