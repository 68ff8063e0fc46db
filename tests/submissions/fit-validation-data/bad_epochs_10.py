def train(model, x_train, y_train, x_val, y_val):
    return model.fit(
        x_train, y_train, batch_size=64, epochs=10, validation_data=(x_val, y_val), verbose=0
    )
