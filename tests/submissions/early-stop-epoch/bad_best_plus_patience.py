def best_epoch(history):
    val_loss = history["val_loss"]
    return val_loss.index(min(val_loss)) + 1


def stop_epoch(history, patience):
    # Wrong when training stops before the lowest val_loss is ever reached.
    return min(best_epoch(history) + patience, len(history["val_loss"]))
