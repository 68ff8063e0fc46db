def best_epoch(history):
    val_loss = history["val_loss"]
    return val_loss.index(min(val_loss)) + 1


def stop_epoch(history, patience):
    val_loss = history["val_loss"]
    best_at = 0  # 0-based index of the best epoch so far
    for i in range(1, len(val_loss)):
        if val_loss[i] < val_loss[best_at]:
            best_at = i
        elif i - best_at >= patience:
            return i + 1
    return len(val_loss)
