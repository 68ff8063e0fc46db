"""Batch grading three ways in one run, on a generated class (default 4 students x 6 exercises).

1. `learn grade SUBS --out OUT --workers N` (warm zygotes, references cached once);
2. a naive loop: one fresh `learn submit` process per submission (what per-submission graders pay);
3. the floor: each learner's code run and its model trained once, in one warm process (no
   sandbox, no inspection, no files), divided by N workers.
Usage: python bench/batch.py [students] [workers]
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# Every exercise of the bundled course, in course order.
EXERCISES = [
    line.split(":", 1)[1].strip()
    for line in (REPO / "course.yaml").read_text().splitlines()
    if line.strip().startswith("- exercise:")
]

FLOOR = r"""
import os, sys, json, time
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
sys.path.insert(0, sys.argv[3])
from pathlib import Path
from floor import given_model, work
from grader.course import load_course
from grader.datasets import generate
course = load_course(Path(sys.argv[1]))
jobs = json.loads(sys.argv[2])
per_exercise = {}
for ex, path in jobs:  # each learner's code run and its model trained once, nothing else
    spec = course.exercise(ex)
    data = generate(spec.data)
    model = given_model(course, spec, data)  # built once per exercise by the grader: not counted
    start = time.perf_counter()
    try:
        work(path, spec, data, model)
    except Exception:
        pass  # a starter's TODO fails where it fails
    per_exercise[ex] = per_exercise.get(ex, 0.0) + time.perf_counter() - start
print(json.dumps(per_exercise))
"""


def make_class(root: Path, students: int) -> list[tuple[str, str, Path]]:
    subs = []
    for i in range(students):
        for ex in EXERCISES:
            kind = "reference.py" if (i + EXERCISES.index(ex)) % 3 else "starter.py"
            dest = root / f"s{i}" / f"{ex}.py"
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(REPO / "exercises" / ex / kind, dest)
            subs.append((f"s{i}", ex, dest))
    return subs


def run(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    students = int(sys.argv[1]) if len(sys.argv) > 1 else 4
    workers = int(sys.argv[2]) if len(sys.argv) > 2 else (os.cpu_count() or 1)
    learn = [sys.executable, "-m", "grader", "--lang", "en"]
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        subs = make_class(root / "subs", students)
        env = dict(os.environ, LEARN_HOME=str(root / "home"), PYTHONPATH=str(REPO))
        # Warm both reference caches first so every way pays for learners' code only.
        run(
            [
                *learn,
                "grade",
                str(root / "subs"),
                "--out",
                str(root / "warm"),
                "--workers",
                str(workers),
            ],
            env,
        )
        shutil.copytree(root / "warm" / "cache", root / "out" / "cache")
        for ex in EXERCISES:
            run([*learn, "submit", ex, str(REPO / "exercises" / ex / "reference.py")], env)

        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        batch = run(
            [
                *learn,
                "grade",
                str(root / "subs"),
                "--out",
                str(root / "out"),
                "--workers",
                str(workers),
            ],
            env,
        )
        peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        naive = sum(run([*learn, "submit", ex, str(path)], env) for _, ex, path in subs)
        jobs = json.dumps([(ex, str(path)) for _, ex, path in subs])
        # One TensorFlow thread, as in the sandbox. TensorFlow still keeps more than one core
        # busy (its input pipeline), so the floor is measured twice: free, and pinned to one CPU,
        # which is what each of the workers has when they run side by side.
        floor_env = dict(
            env, TF_NUM_INTRAOP_THREADS="1", TF_NUM_INTEROP_THREADS="1", OMP_NUM_THREADS="1"
        )
        floors = {}
        for name, pin in (("free", None), ("one CPU", {min(os.sched_getaffinity(0))})):
            out = subprocess.run(
                [sys.executable, "-c", FLOOR, str(REPO), jobs, str(REPO / "bench")],
                env=floor_env,
                capture_output=True,
                text=True,
                check=True,
                preexec_fn=(lambda cpus=pin: os.sched_setaffinity(0, cpus)) if pin else None,
            ).stdout
            floors[name] = json.loads(out.strip().splitlines()[-1])
        book = sqlite3.connect(root / "out" / "gradebook.db")
        graded = dict(
            book.execute("SELECT exercise, SUM(seconds) FROM submissions GROUP BY exercise")
        )
        book.close()
    n = len(subs)
    free, pinned = (sum(floors[k].values()) / workers for k in ("free", "one CPU"))
    print(f"{n} submissions, {workers} workers")
    print(
        f"learn grade:                     {batch:7.1f} s  ({n / batch * 60:.1f} submissions/min)"
    )
    print(f"naive loop of learn submit:      {naive:7.1f} s")
    print(f"floor, free / workers:           {free:7.1f} s")
    print(f"floor, pinned to one CPU / workers:{pinned:5.1f} s")
    print(
        f"speed-up over the naive loop: {naive / batch:.2f}x; learn grade / floor: "
        f"{batch / free:.2f}x (free), {batch / pinned:.2f}x (one CPU per worker)"
    )
    print(
        f"peak RSS of one process (zygote or job), learn grade run: "
        f"{max(before, peak_kb) / 1024:.0f} MB"
    )
    print("per exercise, seconds summed over the class:")
    print("  exercise             learn grade jobs   floor (one CPU)")
    for ex in EXERCISES:
        print(f"  {ex:20} {graded.get(ex, 0.0):10.1f}   {floors['one CPU'].get(ex, 0.0):14.1f}")


if __name__ == "__main__":
    main()
