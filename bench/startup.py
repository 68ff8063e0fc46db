"""`learn next` start-up against the floor `python -c "import click, rich, pydantic"`.

Usage: python bench/startup.py [runs]   (prints medians and the ratios; nothing is asserted)

Each run is a fresh learner (a new LEARN_HOME: `learn next` renders lesson 1).
- "no cache anywhere": the very first run of a course on a machine (a copy of the bundled
  course, which no package ships a cache of; a fresh LEARN_HOME and a fresh user cache folder,
  XDG_CACHE_HOME): the course is validated with
  pydantic and YAML and the caches written;
- "first run after installing": the bundled course, fresh LEARN_HOME and user cache folder; the
  validated course comes from the cache the package installed (`pip install .` or `-e .`);
- "cold": a new LEARN_HOME with no cache of its own; the course cache that every LEARN_HOME of
  the user shares (LEARN_CACHE, else the user cache folder: here XDG_CACHE_HOME) was written by
  an earlier learner;
- "warm": the course cache is in the learner's own LEARN_HOME.
The grader's modules are byte-compiled first, as `pip install` does (a checkout run with
PYTHONDONTWRITEBYTECODE=1 would otherwise compile them from source on every run).
"""

from __future__ import annotations

import compileall
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

CPU: list[float] = []  # the CPU time (user + system) of the last run, for the CPU column


def timed(cmd: list[str], env: dict[str, str]) -> float:
    """Wall time of one run; its CPU time is appended to CPU (less sensitive to a busy machine)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    CPU.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return wall


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 15
    import grader

    compileall.compile_dir(os.path.dirname(grader.__file__), quiet=1)
    floor_cmd = [sys.executable, "-c", "import click, rich, pydantic"]
    learn_cmd = [sys.executable, "-m", "grader", "--lang", "en", "next"]
    floor, first, cold, warm = [], [], [], []
    cpu: dict[str, list[float]] = {"floor": [], "first": [], "cold": [], "warm": []}
    base = {k: v for k, v in os.environ.items() if k != "LEARN_CACHE"}  # the default location

    def env(home: str, user_cache: str) -> dict[str, str]:
        return dict(base, LEARN_HOME=home, XDG_CACHE_HOME=user_cache)

    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    installed = []
    cpu["installed"] = []
    with (
        tempfile.TemporaryDirectory() as seed,
        tempfile.TemporaryDirectory() as shared,
        tempfile.TemporaryDirectory() as copy,
    ):
        # A copy of the course (no package ships its cache) for the runs that must validate or
        # use a cache they wrote; the bundled course for a newcomer's first run after installing.
        for name in ("course.yaml", "lessons", "quizzes", "exercises"):
            src = os.path.join(repo, name)
            (shutil.copytree if os.path.isdir(src) else shutil.copy)(src, os.path.join(copy, name))
        base["LEARN_COURSE"] = copy
        subprocess.run(learn_cmd, env=env(seed, shared), capture_output=True)
        for _ in range(runs):
            with (
                tempfile.TemporaryDirectory() as a,
                tempfile.TemporaryDirectory() as b,
                tempfile.TemporaryDirectory() as c,
                tempfile.TemporaryDirectory() as d,
            ):
                floor.append(timed(floor_cmd, env(a, os.path.join(a, "xdg"))))
                cpu["floor"].append(CPU[-1])
                first.append(timed(learn_cmd, env(a, os.path.join(a, "xdg"))))
                cpu["first"].append(CPU[-1])
                bundled = {k: v for k, v in env(d, os.path.join(d, "xdg")).items()}
                bundled.pop("LEARN_COURSE")
                installed.append(timed(learn_cmd, bundled))
                cpu["installed"].append(CPU[-1])
                cold.append(timed(learn_cmd, env(b, shared)))
                cpu["cold"].append(CPU[-1])
                shutil.copytree(os.path.join(seed, "cache"), os.path.join(c, "cache"))
                warm.append(timed(learn_cmd, env(c, os.path.join(c, "xdg"))))
                cpu["warm"].append(CPU[-1])
    f, v, c, w = (statistics.median(x) for x in (floor, first, cold, warm))
    fc, vc, cc, wc = (statistics.median(cpu[k]) for k in ("floor", "first", "cold", "warm"))
    print(f"{'':40} {'wall (median)':>22}   {'CPU (median)':>20}   over {runs} runs")
    rows = [
        ("floor  import click, rich, pydantic", f, fc),
        ("learn next, no cache anywhere (validates)", v, vc),
        (
            "learn next, first run after installing",
            statistics.median(installed),
            statistics.median(cpu["installed"]),
        ),
        ("learn next, new LEARN_HOME (shared cache)", c, cc),
        ("learn next, warm (LEARN_HOME's cache)", w, wc),
    ]
    for name, wall, used in rows:
        print(
            f"{name:40} {wall * 1000:6.0f} ms ({wall / f:4.2f}x)"
            f"      {used * 1000:6.0f} ms ({used / fc:4.2f}x)"
        )


if __name__ == "__main__":
    main()
