import keras

FIT_OPTIONS = {"batch_size": 64, "epochs": 20, "shuffle": True, "verbose": 0}


def train(model, x_train, y_train, x_val, y_val):
    validation = (x_val, y_val)
    callbacks = [keras.callbacks.TerminateOnNaN()]
    history = model.fit(
        x_train, y_train, validation_data=validation, callbacks=callbacks, **FIT_OPTIONS
    )
    print("val_accuracy per epoch:", history.history["val_accuracy"])
    return history
