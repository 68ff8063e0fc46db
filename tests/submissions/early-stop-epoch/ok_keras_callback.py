import keras


def best_epoch(history):
    val_loss = history["val_loss"]
    return min(range(len(val_loss)), key=lambda i: (val_loss[i], i)) + 1


def stop_epoch(history, patience):
    # Let Keras' own EarlyStopping decide, on a throwaway model.
    model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)])
    stop = keras.callbacks.EarlyStopping(monitor="val_loss", patience=patience)
    stop.set_model(model)
    model.stop_training = False  # fit sets it; here there is no fit
    stop.on_train_begin()
    for epoch, value in enumerate(history["val_loss"]):
        stop.on_epoch_end(epoch, logs={"val_loss": value})
        if model.stop_training:
            return epoch + 1
    return len(history["val_loss"])
