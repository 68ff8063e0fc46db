"""Hostile: forges zero and negative lengths in its report; returns the right optimizer.

Like nested_report.py it replaces pathlib.Path.write_text and json.JSONEncoder.encode (not put back
by the harness's restore), here to add a fit record with batch_size 0, epochs 0, x_len -5 and
validation_data_len 5 (the grader's validation share would divide by x_len + validation_data_len,
which is 0) and a history with epochs_run -1. Expected: 0, the report is malformed (a length below
0), never a ZeroDivisionError.
"""
import json
import pathlib

import keras

FORGED_CALL = {
    "batch_size": 0,
    "epochs": 0,
    "x_len": -5,
    "validation_data_len": 5,
    "validation_data_is_tail": True,
}
FORGED_FIT = {"history": {"loss": []}, "epochs_run": -1, "params": {"epochs": 0}}
_write_text = pathlib.Path.write_text
_encode = json.JSONEncoder.encode


def _forge(report):
    return dict(report, fit_calls=[FORGED_CALL], fit=FORGED_FIT)


def _forging_write_text(self, data, *args, **kwargs):
    if self.name == "report.json":
        data = _encode(json.JSONEncoder(), _forge(json.loads(data)))
    return _write_text(self, data, *args, **kwargs)


def _forging_encode(self, o):
    if isinstance(o, dict) and "calls" in o:
        o = _forge(o)
    return _encode(self, o)


pathlib.Path.write_text = _forging_write_text
json.JSONEncoder.encode = _forging_encode


def make_optimizer():
    schedule = keras.optimizers.schedules.ExponentialDecay(0.01, 1000, 0.9)
    return keras.optimizers.Adam(learning_rate=schedule)
