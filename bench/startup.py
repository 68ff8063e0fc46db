"""`learn next` start-up against the floor `python -c "import click, rich, pydantic"`.

Usage: python bench/startup.py [runs]   (prints medians and the ratios; nothing is asserted)

Each run is a fresh learner (a new LEARN_HOME: `learn next` renders lesson 1).
- "first run": the very first run of this course on a machine (no cache anywhere, LEARN_CACHE a
  fresh folder too): the course is validated with pydantic and YAML and the caches written;
- "cold": a new LEARN_HOME with no cache of its own (the brief's cold start); the course cache
  that every LEARN_HOME of the user shares (LEARN_CACHE, else the user cache folder) was written
  by an earlier learner;
- "warm": the course cache is in the learner's own LEARN_HOME.
The grader's modules are byte-compiled first, as `pip install` does (a checkout run with
PYTHONDONTWRITEBYTECODE=1 would otherwise compile them from source on every run).
"""

from __future__ import annotations

import compileall
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time


def timed(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 15
    import grader

    compileall.compile_dir(os.path.dirname(grader.__file__), quiet=1)
    floor_cmd = [sys.executable, "-c", "import click, rich, pydantic"]
    learn_cmd = [sys.executable, "-m", "grader", "--lang", "en", "next"]
    floor, first, cold, warm = [], [], [], []
    with tempfile.TemporaryDirectory() as seed, tempfile.TemporaryDirectory() as shared:
        seeded = dict(os.environ, LEARN_HOME=seed, LEARN_CACHE=shared)
        subprocess.run(learn_cmd, env=seeded, capture_output=True)
        for _ in range(runs):
            with (
                tempfile.TemporaryDirectory() as a,
                tempfile.TemporaryDirectory() as b,
                tempfile.TemporaryDirectory() as c,
            ):
                floor.append(timed(floor_cmd, dict(os.environ, LEARN_HOME=a)))
                nothing = os.path.join(a, "no-shared-cache")
                first.append(timed(learn_cmd, dict(os.environ, LEARN_HOME=a, LEARN_CACHE=nothing)))
                cold.append(timed(learn_cmd, dict(os.environ, LEARN_HOME=b, LEARN_CACHE=shared)))
                shutil.copytree(os.path.join(seed, "cache"), os.path.join(c, "cache"))
                no_shared = os.path.join(c, "no-shared-cache")
                warm.append(timed(learn_cmd, dict(os.environ, LEARN_HOME=c, LEARN_CACHE=no_shared)))
    f, v, c, w = (statistics.median(x) for x in (floor, first, cold, warm))
    print(f"floor  import click, rich, pydantic:     median {f * 1000:.0f} ms over {runs} runs")
    print(f"learn next, first run (validates):      median {v * 1000:.0f} ms  ({v / f:.2f}x)")
    print(f"learn next, cold (new LEARN_HOME):      median {c * 1000:.0f} ms  ({c / f:.2f}x)")
    print(f"learn next, warm (LEARN_HOME's cache):  median {w * 1000:.0f} ms  ({w / f:.2f}x)")


if __name__ == "__main__":
    main()
