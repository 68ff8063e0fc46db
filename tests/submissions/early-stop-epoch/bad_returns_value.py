def best_epoch(history):
    return min(history["val_loss"])  # the lowest val_loss itself, not its epoch


def stop_epoch(history, patience):
    val_loss = history["val_loss"]
    best, wait = float("inf"), 0
    for epoch, value in enumerate(val_loss, start=1):
        if value < best:
            best, wait = value, 0
        else:
            wait += 1
            if wait >= patience:
                return epoch
    return len(val_loss)
