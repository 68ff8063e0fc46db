def best_epoch(history):
    val_loss = history["val_loss"]
    return f"epoch {val_loss.index(min(val_loss)) + 1}"


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
