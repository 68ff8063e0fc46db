"""Exercise rnn-rmsprop: a compiled recurrent model that classifies sequences into two classes."""

import keras


def build_model(timesteps, features):
    model = keras.Sequential(
        [
            keras.Input((timesteps, features)),
            keras.layers.Flatten(),
            # TODO: replace Flatten with a small recurrent layer (SimpleRNN, LSTM or GRU)
            #       and add the output layer (the probability of class 1)
        ]
    )
    # TODO: compile with RMSprop, the binary classification loss and the accuracy metric
    return model
