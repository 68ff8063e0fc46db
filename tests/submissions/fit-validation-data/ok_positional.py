def train(model, x_train, y_train, x_val, y_val):
    # fit(x, y, batch_size, epochs, ...): the first four positionally.
    history = model.fit(x_train, y_train, 64, 20, verbose=0, validation_data=(x_val, y_val))
    return history
