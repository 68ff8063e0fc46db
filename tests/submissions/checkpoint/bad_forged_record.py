import keras


def train(model, x, y, path):
    # Hostile: trains one epoch without callbacks, writes the file itself, and hands back a
    # hand-made History claiming an early stop after the best epoch (epoch 6 of 9).
    model.fit(x, y, epochs=1, verbose=0)
    model.save(path)
    fake = keras.callbacks.History()
    fake.set_model(model)
    val_loss = [1.2, 1.1, 1.0, 0.95, 0.93, 0.9, 0.92, 0.94, 0.97]
    fake.history = {
        "loss": [1.3, 1.15, 1.0, 0.9, 0.85, 0.8, 0.75, 0.7, 0.65],
        "accuracy": [0.4, 0.5, 0.55, 0.6, 0.62, 0.64, 0.66, 0.68, 0.7],
        "val_loss": val_loss,
        "val_accuracy": [0.45, 0.5, 0.55, 0.58, 0.6, 0.62, 0.61, 0.6, 0.59],
    }
    fake.epoch = list(range(len(val_loss)))
    fake.params = {"verbose": 0, "epochs": 30, "steps": 13}
    model.history = fake
    return fake
