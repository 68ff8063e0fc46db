"""Exercise early-stop-epoch: read a History dict the way EarlyStopping does."""


def best_epoch(history):
    # TODO: the 1-based epoch with the lowest val_loss (the first one on a tie).
    val_loss = history["val_loss"]
    return val_loss.index(min(val_loss))


def stop_epoch(history, patience):
    # TODO: the 1-based epoch after which EarlyStopping(monitor="val_loss", patience=patience)
    #       stops training, or the number of epochs when it never stops.
    return len(history["val_loss"])
