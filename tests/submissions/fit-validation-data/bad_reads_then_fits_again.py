def train(model, x_train, y_train, x_val, y_val):
    history = model.fit(
        x_train, y_train, batch_size=64, epochs=20, validation_data=(x_val, y_val), verbose=0
    )
    if history.history["val_accuracy"][-1] < 1.01:  # "not good enough yet": trains again
        history = model.fit(
            x_train, y_train, batch_size=64, epochs=5, validation_data=(x_val, y_val), verbose=0
        )
    return history
