def best_epoch(history):
    val_loss = history["val_loss"]
    best = 0
    for i, v in enumerate(val_loss):
        if v < val_loss[best]:  # strictly lower: the first epoch wins a tie
            best = i
    return best + 1


def stop_epoch(history, patience):
    val_loss = history["val_loss"]
    best = None
    wait = 0
    for epoch, v in enumerate(val_loss, start=1):
        if best is None or v < best:  # equal is not an improvement (min_delta=0)
            best = v
            wait = 0
        else:
            wait += 1
            if wait >= patience:
                return epoch
    return len(val_loss)
