def train(model, x_train, y_train, x_val, y_val):
    # Splits the training rows again instead of validating on x_val / y_val.
    return model.fit(x_train, y_train, batch_size=64, epochs=20, validation_split=0.2, verbose=0)
