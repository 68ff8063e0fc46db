import numpy as np


def train(model, x_train, y_train, x_val, y_val):
    history = model.fit(
        x_train, y_train, batch_size=64, epochs=20, validation_data=(x_val, y_val), verbose=0
    )
    val_loss = history.history["val_loss"]
    best = int(np.argmin(val_loss))
    print(f"best epoch {history.epoch[best] + 1} of {history.params['epochs']}: {val_loss[best]:.4f}")
    assert history.model is model
    print("accuracy on the validation rows now:", model.evaluate(x_val, y_val, verbose=0)[1])
    return history
