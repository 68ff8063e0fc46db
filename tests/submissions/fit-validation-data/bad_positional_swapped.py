def train(model, x_train, y_train, x_val, y_val):
    # fit's third and fourth positional arguments are batch_size, then epochs.
    return model.fit(x_train, y_train, 20, 64, validation_data=(x_val, y_val), verbose=0)
