"""One `learn submit` against the physical floor, measured in the same run.

Floor: a fresh `python -c` that imports keras and runs the reference's code once as
bench/floor.py does (same data, same epochs). Usage: python bench/submit.py [exercise-id] [runs]
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
sys.path.insert(0, sys.argv[3])
from pathlib import Path
from floor import given_model, work
from grader.course import load_course
from grader.datasets import generate
course = load_course(Path(sys.argv[1]))
spec = course.exercise(sys.argv[2])
data = generate(spec.data)
model = given_model(course, spec, data)
work(str(course.exercise_dir(spec.id) / "reference.py"), spec, data, model)
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
            floor_cmd = [sys.executable, "-c", FLOOR, str(REPO), exercise, str(REPO / "bench")]
            floor.append(timed(floor_cmd, single))
            learn.append(timed(submit, env))
    f, lt = statistics.median(floor), statistics.median(learn)
    print(f"floor  fresh python: import keras + train {exercise} once: median {f:.2f} s")
    print(f"learn submit {exercise} (reference cached):  median {lt:.2f} s  ({runs} runs)")
    print(f"ratio learn submit / floor: {lt / f:.2f}x")


if __name__ == "__main__":
    main()
