"""Hostile: writes a schema-valid report claiming a perfect compile, then os._exit(0).

The model is compiled wrongly and never handed back as a .keras file; a broken trained.keras
and "predictions" (the training labels' majority class... or anything) ride along.
Expected: 0, nothing verifiable was handed back, the claims earn nothing.
"""
import json
import os

import numpy as np

FACTS = {
    "class": "Sequential",
    "layers": [
        {"class": "Dense", "units": 64, "activation": "relu"},
        {"class": "Dense", "units": 64, "activation": "relu"},
        {"class": "Dense", "units": 10, "activation": "softmax"},
    ],
    "output_units": 10,
    "output_activation": "softmax",
    "compile": {
        "optimizer": {"module": "keras.optimizers", "class_name": "Adam", "config": {}},
        "loss": "sparse_categorical_crossentropy",
        "metrics": ["accuracy"],
    },
}


def compile_model(model):
    model.compile(optimizer="sgd", loss="mse")
    os.makedirs("out", exist_ok=True)
    report = {
        "calls": {"compile_model": {"returned": "Sequential", "module": "keras"}},
        "facts": FACTS,
        "fit": {"history": {"loss": [1.0, 0.5, 0.2, 0.1]}, "epochs_run": 4, "params": {}},
    }
    with open("out/report.json", "w") as f:
        json.dump(report, f)
    with open("out/trained.keras", "wb") as f:
        f.write(b"PK\x03\x04 this is not a zip file")
    x_test = np.load("x_test.npy")
    pred = np.zeros((len(x_test), 10), dtype="float32")
    pred[:, 0] = 1.0
    np.save("out/learner_pred.npy", pred)
    os._exit(0)
