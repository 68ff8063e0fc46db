from keras import optimizers


def compile_model(model):
    model.compile(optimizers.Adam(0.0005), "categorical_crossentropy", metrics=["accuracy"])
    return model
