"""One `learn submit` against the physical floor, measured in the same run.

Floor: a fresh `python -c` that imports keras and trains the same learner model once (same data,
same epochs). Usage: python bench/submit.py [exercise-id] [runs]
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

FLOOR = """
import os, sys
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
import keras
from pathlib import Path
from grader.datasets import generate
from grader.exercises import ExerciseSpec
from grader.yamlsource import load_model
spec = load_model(ExerciseSpec, Path(sys.argv[1]) / "exercise.yaml", "exercise.yaml")
data = generate(spec.data)
ns = {}
exec((Path(sys.argv[1]) / "reference.py").read_text(), ns)
keras.utils.set_random_seed(spec.data.seed)
model = ns["build_model"](data.x_train.shape[1])
model.fit(data.x_train, data.y_train, epochs=spec.data.epochs, batch_size=32, verbose=0)
model.predict(data.x_test, verbose=0)
"""


def timed(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    exercise = sys.argv[1] if len(sys.argv) > 1 else "binary-classifier"
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    folder = REPO / "exercises" / exercise
    with tempfile.TemporaryDirectory() as home:
        env = dict(os.environ, LEARN_HOME=home, PYTHONPATH=str(REPO))
        submit = [
            sys.executable,
            "-m",
            "grader",
            "--lang",
            "en",
            "submit",
            exercise,
            str(folder / "reference.py"),
        ]
        timed(
            submit, env
        )  # computes and caches the reference summary once, as a learner's first run
        floor, learn = [], []
        # The sandbox trains with one TensorFlow thread (deterministic); so does the floor.
        single = dict(
            env, TF_NUM_INTRAOP_THREADS="1", TF_NUM_INTEROP_THREADS="1", OMP_NUM_THREADS="1"
        )
        for _ in range(runs):
            floor.append(timed([sys.executable, "-c", FLOOR, str(folder)], single))
            learn.append(timed(submit, env))
    f, lt = statistics.median(floor), statistics.median(learn)
    print(f"floor  fresh python: import keras + train {exercise} once: median {f:.2f} s")
    print(f"learn submit {exercise} (reference cached):  median {lt:.2f} s  ({runs} runs)")
    print(f"ratio learn submit / floor: {lt / f:.2f}x")


if __name__ == "__main__":
    main()
