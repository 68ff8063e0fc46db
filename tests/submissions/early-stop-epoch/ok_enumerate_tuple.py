def best_epoch(history):
    epoch, _ = min(enumerate(history["val_loss"], start=1), key=lambda pair: pair[1])
    return epoch


def stop_epoch(history, patience):
    best = None
    epochs_without_improvement = 0
    stopped = len(history["val_loss"])
    for epoch, value in enumerate(history["val_loss"], start=1):
        if best is not None and not value < best:
            epochs_without_improvement += 1
            if epochs_without_improvement >= patience:
                stopped = epoch
                break
        else:
            best = value
            epochs_without_improvement = 0
    return stopped
