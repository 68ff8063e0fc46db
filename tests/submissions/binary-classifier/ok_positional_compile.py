from keras import Input, Sequential
from keras.layers import Dense


def build_model(input_dim):
    model = Sequential([Input((input_dim,)), Dense(8, "relu"), Dense(1, "sigmoid")])
    model.compile("adam", "binary_crossentropy", metrics=["binary_accuracy"])
    return model
