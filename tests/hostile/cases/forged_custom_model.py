"""Hostile: a model of the learner's own class plus a forged report. Reaching into the harness's
frame, the code switches off the undoing of its patches and makes model_facts claim Adam while
the model is compiled with SGD.

Expected: no more than SGD earns (80). Such a model cannot be loaded without the learner's code,
so it is handed back as its exported TensorFlow graph; the inspector trains that graph with the
compile settings the .keras file records (SGD) and reads nothing from the learner's report.
"""
import sys

import keras

import grader.jobs.harness as harness

ADAM = {"module": "keras.optimizers", "class_name": "Adam", "config": {}}


class Net(keras.Model):
    def __init__(self):
        super().__init__()
        self.hidden1 = keras.layers.Dense(64, activation="relu")
        self.hidden2 = keras.layers.Dense(64, activation="relu")
        self.out = keras.layers.Dense(10, activation="softmax")

    def call(self, x):
        return self.out(self.hidden2(self.hidden1(x)))


def compile_model(model):
    job = sys._getframe(1).f_locals["self"]  # the harness's _Learner that called us
    job.undo = lambda: None
    real = harness.model_facts

    def forged(m):
        facts = real(m)
        if facts.get("compile"):
            facts["compile"]["optimizer"] = ADAM
        return facts

    harness.model_facts = forged
    net = Net()
    net.build((None, model.inputs[0].shape[-1]))
    net.compile(optimizer="sgd", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return net
