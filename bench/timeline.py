"""Where one graded submission's time goes: a per-phase timeline through the real path.

Grader.grade -> collect -> the learner's job (forked by the zygote) -> the inspector's job ->
judging -> one gradebook write, for one exercise's reference (or a given file). Wall and CPU
time per phase; inside the jobs from bench/phases.py (preloaded in the bench's zygote only).
Usage: [TIMELINE_REPO=checkout] python bench/timeline.py EXERCISE [runs] [submission.py]
"""

from __future__ import annotations

import collections
import os
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
# The grader measured: this checkout, or another one (TIMELINE_REPO=/path/to/checkout, e.g. the
# base of a change, for a before/after with the same timers).
REPO = Path(os.environ.get("TIMELINE_REPO") or BENCH.parent).resolve()
sys.path.insert(0, str(REPO))

from grader import grading, sandbox  # noqa: E402
from grader.course import load_course  # noqa: E402
from grader.gradebook import Gradebook, Row  # noqa: E402
from grader.kinds import judge as real_judge  # noqa: E402


def _cpu_children() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def _cpu_self() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def main() -> None:
    exercise = sys.argv[1] if len(sys.argv) > 1 else "binary-classifier"
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    course = load_course(REPO)
    path = (
        Path(sys.argv[3]) if len(sys.argv) > 3 else course.exercise_dir(exercise) / "reference.py"
    )
    source = path.read_bytes()
    phases: dict[str, list[tuple[float, float]]] = collections.defaultdict(list)
    job_cpu: list[float] = []

    real_classify = sandbox.classify

    def classify(status: int, timed_out: bool, cpu: float, *rest: Any) -> Any:
        job_cpu.append(cpu)  # the zygote's wait4() of the job: every thread of it
        return real_classify(status, timed_out, cpu, *rest)

    sandbox.classify = classify  # type: ignore[assignment]
    real_run = sandbox.Sandbox.run

    def run(self: sandbox.Sandbox, job: str, *args: Any, **kw: Any) -> sandbox.RunResult:
        name = job.rpartition(":")[2]
        w0 = time.time()
        res = real_run(self, job, *args, **kw)
        w1 = time.time()
        start = end = None
        for line in res.output.splitlines():
            parts = line.split()
            if line.startswith("@@phase") and len(parts) == 5:
                phases[f"{name}: {'  ' * int(parts[1])}{parts[2]}"].append(
                    (float(parts[3]), float(parts[4]))
                )
            elif line.startswith("@@start"):
                start = (float(parts[2]), float(parts[3]))
            elif line.startswith("@@end"):
                end = (float(parts[2]), float(parts[3]))
        cpu = job_cpu[-1] if job_cpu else 0.0
        if start and end:
            phases[f"{name}: [fork + isolation, until the job starts]"].append(
                (start[0] - w0, start[1])
            )
            phases[f"{name}: [job end -> result: cleanup, copy-back, drain]"].append(
                (w1 - end[0], max(0.0, cpu - end[1]))
            )
        phases[f"{name}: TOTAL (Sandbox.run; CPU: wait4 of the job)"].append((w1 - w0, cpu))
        return res

    sandbox.Sandbox.run = run  # type: ignore[method-assign]

    def judge(*args: Any) -> Any:
        w, c = time.perf_counter(), _cpu_self()
        try:
            return real_judge(*args)
        finally:
            phases["trusted: judge (scoring)"].append((time.perf_counter() - w, _cpu_self() - c))

    grading.judge = judge  # type: ignore[assignment]
    preload = ("keras", "phases", "grader.jobs.harness", "grader.jobs.inspector")
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["LEARN_HOME"] = str(Path(tmp) / "home")
        box = sandbox.Sandbox(preload=preload, extra_sys_path=[str(BENCH)])
        g = grading.Grader(course, Path(tmp) / "cache", "en", sandbox=box)
        book = Gradebook(Path(tmp) / "book" / "gradebook.db")
        book.register({"s": "s"}, {exercise: 100.0}, [])
        try:
            g.reference(course.exercise(exercise))  # cached once, not measured
            phases.clear()
            scores = []
            for _ in range(runs):
                w, c, cc = time.perf_counter(), _cpu_self(), _cpu_children()
                result = g.grade(exercise, source)
                total = (time.perf_counter() - w, _cpu_self() - c)
                phases["trusted: Grader.grade TOTAL (CPU: this process only)"].append(total)
                scores.append(result.score)
                if result.score < result.max_score:  # said, so that a failed run is not averaged in
                    print("not full marks:", result.failure, result.problems[:3], file=sys.stderr)
                data = result.to_gradescope()
                row = Row(
                    "s",
                    exercise,
                    result.content_hash,
                    result.score,
                    100.0,
                    "graded",
                    "",
                    result.execution_time,
                    data,
                )
                w, c = time.perf_counter(), _cpu_self()
                book.record(row)
                phases["trusted: gradebook record"].append(
                    (time.perf_counter() - w, _cpu_self() - c)
                )
                del cc
        finally:
            box.close()
            book.close()
    print(f"{exercise}: {path.name}, {runs} runs, scores {scores}")
    print(f"{'phase':74} {'wall s':>8} {'cpu s':>8}   (means per submission)")
    for name, values in phases.items():
        wall = sum(v[0] for v in values) / runs
        cpu = sum(v[1] for v in values) / runs
        n = len(values) // runs
        times = f" x{n}" if n > 1 else ""
        print(f"{name[:74]:74} {wall:8.3f} {cpu:8.3f}{times}")


if __name__ == "__main__":
    main()
