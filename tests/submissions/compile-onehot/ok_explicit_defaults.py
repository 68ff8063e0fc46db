import keras


def compile_model(model):
    # Adam's other hyper-parameters spelled out at their defaults: still the same optimizer.
    adam = keras.optimizers.Adam(learning_rate=0.0005, beta_1=0.9, beta_2=0.999, epsilon=1e-7)
    loss = keras.losses.CategoricalCrossentropy(from_logits=False)
    model.compile(optimizer=adam, loss=loss, metrics=[keras.metrics.CategoricalAccuracy()])
    return model
