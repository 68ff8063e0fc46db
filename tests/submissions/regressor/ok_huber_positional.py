from keras import Input, Sequential, losses, metrics, optimizers
from keras.layers import Dense


def build_model(input_dim):
    model = Sequential([Input((input_dim,)), Dense(32, "relu"), Dense(32, "relu"), Dense(1)])
    model.compile(
        optimizers.Adam(0.002), losses.Huber(delta=1.0), None, [metrics.MeanAbsoluteError("mae")]
    )
    return model
