import keras


def best_epoch(history):
    val_loss = history["val_loss"]
    return val_loss.index(min(val_loss)) + 1


def stop_epoch(history, patience):
    # EarlyStopping.stopped_epoch counts from 0, and stays 0 when training is never stopped.
    model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)])
    stop = keras.callbacks.EarlyStopping(monitor="val_loss", patience=patience)
    stop.set_model(model)
    model.stop_training = False  # fit sets it; here there is no fit
    stop.on_train_begin()
    for epoch, value in enumerate(history["val_loss"]):
        stop.on_epoch_end(epoch, logs={"val_loss": value})
        if model.stop_training:
            break
    return stop.stopped_epoch
