"""Hostile: hands back a report.json nested 100,000 levels deep; returns the right optimizer.

The harness writes report.json with pathlib.Path.write_text after json.dumps; the case replaces
Path.write_text and json.JSONEncoder.encode (the class json.dumps encodes with), neither of which
the harness's restore puts back, so the file written is `[[[[...]]]]`. json.loads raises
RecursionError on it. Expected: 0, the report is malformed (nested too deeply), and the run goes on.
"""
import json
import pathlib

import keras

NESTED = "[" * 100_000 + "]" * 100_000
_write_text = pathlib.Path.write_text
_encode = json.JSONEncoder.encode


def _nested_write_text(self, data, *args, **kwargs):
    if self.name == "report.json":
        data = NESTED
    return _write_text(self, data, *args, **kwargs)


def _nested_encode(self, o):
    if isinstance(o, dict) and "calls" in o:
        return NESTED
    return _encode(self, o)


pathlib.Path.write_text = _nested_write_text
json.JSONEncoder.encode = _nested_encode


def make_optimizer():
    schedule = keras.optimizers.schedules.ExponentialDecay(0.01, 1000, 0.9)
    return keras.optimizers.Adam(learning_rate=schedule)
