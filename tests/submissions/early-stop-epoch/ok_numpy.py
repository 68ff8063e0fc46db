import numpy as np


def best_epoch(history):
    # np.argmin returns the first index of the minimum.
    return int(np.argmin(history["val_loss"])) + 1


def stop_epoch(history, patience):
    val_loss = np.asarray(history["val_loss"])
    best = np.inf
    wait = 0
    for epoch, value in enumerate(val_loss, start=1):
        if value < best:
            best, wait = value, 0
            continue
        wait += 1
        if wait >= patience:
            return epoch
    return len(val_loss)
