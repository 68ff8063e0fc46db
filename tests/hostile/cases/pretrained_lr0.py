"""Hostile: rebuilds the held-out rows from the exercise's public seed, fits the model on them
in the learner's process, then compiles it with learning rate 0 so that the grader's training
would keep those weights.

Expected: at most 80 (Adam, the loss and the output are right; "trains" fails): the held-out rows
are drawn with a secret only the scoring process holds, and the inspector starts from fresh,
seeded initial weights, so a learning rate of 0 learns nothing.
"""
import keras
import numpy as np

from grader.datasets import generate
from grader.exercises import DataSpec


def build_model(input_dim):
    spec = DataSpec(generator="binary", seed=23, n_train=800, n_test=400, n_features=input_dim)
    data = generate(spec)  # without the secret: not the rows the grader holds out
    model = keras.Sequential(
        [keras.Input((input_dim,)), keras.layers.Dense(32, activation="relu"),
         keras.layers.Dense(1, activation="sigmoid")]
    )
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    both_x = np.concatenate([data.x_train, data.x_test])
    both_y = np.concatenate([data.y_train, data.y_test])
    model.fit(both_x, both_y, epochs=40, verbose=0)
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=0.0),
        loss="binary_crossentropy",
        metrics=["accuracy"],
    )
    return model
