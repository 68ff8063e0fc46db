"""Hostile: replaces the grader's own functions in the learner process.

grader.jobs.harness.model_facts claims an Adam compile, and grader.jobs.harness._write rewrites the
report to claim it too. The model is compiled with SGD. Expected: what SGD earns (80).
"""
import keras

import grader.jobs.harness as harness

_real_facts = harness.model_facts
_real_write = harness._write
ADAM = {"module": "keras.optimizers", "class_name": "Adam", "config": {}}


def _claim_adam(model):
    facts = _real_facts(model)
    if facts.get("compile"):
        facts["compile"]["optimizer"] = ADAM
    return facts


def _forging_write(name, data):
    if name == "report.json" and (data.get("facts") or {}).get("compile"):
        data["facts"]["compile"]["optimizer"] = ADAM
    _real_write(name, data)


harness.model_facts = _claim_adam
harness._write = _forging_write


def compile_model(model):
    model.compile(
        optimizer=keras.optimizers.SGD(),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    return model
