import numpy as np


def best_epoch(history):
    return int(np.argmin(history["val_loss"]))  # an index, not a 1-based epoch


def stop_epoch(history, patience):
    val_loss = history["val_loss"]
    best, wait = float("inf"), 0
    for i, value in enumerate(val_loss):
        if value < best:
            best, wait = value, 0
        else:
            wait += 1
            if wait >= patience:
                return i  # 0-based
    return len(val_loss) - 1
