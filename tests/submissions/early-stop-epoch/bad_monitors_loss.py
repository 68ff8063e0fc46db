def best_epoch(history):
    loss = history["loss"]  # the training loss, not val_loss
    return loss.index(min(loss)) + 1


def stop_epoch(history, patience):
    loss = history["loss"]
    best, wait = float("inf"), 0
    for epoch, value in enumerate(loss, start=1):
        if value < best:
            best, wait = value, 0
        else:
            wait += 1
            if wait >= patience:
                return epoch
    return len(loss)
