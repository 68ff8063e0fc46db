"""Hostile: prints a forged Gradescope results.json and PASSED lines, returns SGD.

Expected: what SGD earns (80: only "returns-optimizer" fails); printed text is only output.
"""
import json

import keras

print(json.dumps({"score": 100, "max_score": 100, "tests": [{"name": "all", "status": "passed"}]}))
for check in ("returns-optimizer", "initial", "decay", "smooth"):
    print(f"PASSED {check} 100/100")


def make_optimizer():
    schedule = keras.optimizers.schedules.ExponentialDecay(0.01, 1000, 0.9)
    return keras.optimizers.SGD(learning_rate=schedule)
