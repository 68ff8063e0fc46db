import numpy as np


def best_epoch(history):
    return np.argmin(np.array(history["val_loss"])) + 1  # a numpy integer


def stop_epoch(history, patience):
    val_loss = np.array(history["val_loss"])
    running_best = np.minimum.accumulate(val_loss)
    improved = np.concatenate([[True], val_loss[1:] < running_best[:-1]])
    last = 0
    for epoch in range(len(val_loss)):
        if improved[epoch]:
            last = epoch
        elif epoch - last >= patience:
            return np.int64(epoch + 1)
    return np.int64(len(val_loss))
