"""Hostile: Dense(10**6) on 10**5 inputs (400 GB of weights). Expected: 0, "memory limit"."""
import keras


def build_model(input_dim):
    model = keras.Sequential([keras.Input((10**5,)), keras.layers.Dense(10**6)])
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    return model
