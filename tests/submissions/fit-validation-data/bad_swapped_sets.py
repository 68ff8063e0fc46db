def train(model, x_train, y_train, x_val, y_val):
    return model.fit(
        x_val, y_val, batch_size=64, epochs=20, validation_data=(x_train, y_train), verbose=0
    )
