"""`learn next` start-up against the floor `python -c "import click, rich, pydantic"`.

Usage: python bench/startup.py [runs]   (prints medians and the ratios; nothing is asserted)

Each run is a fresh learner (a new LEARN_HOME: `learn next` renders lesson 1). "cold" is the
very first run on a machine (the course is validated and its cache written); "warm" is every
later run (the validated course is read from the cache, copied into the fresh LEARN_HOME).
"""

from __future__ import annotations

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
    floor_cmd = [sys.executable, "-c", "import click, rich, pydantic"]
    learn_cmd = [sys.executable, "-m", "grader", "--lang", "en", "next"]
    floor, cold, warm = [], [], []
    with tempfile.TemporaryDirectory() as seed:
        subprocess.run(learn_cmd, env=dict(os.environ, LEARN_HOME=seed), capture_output=True)
        for _ in range(runs):
            with tempfile.TemporaryDirectory() as a, tempfile.TemporaryDirectory() as b:
                floor.append(timed(floor_cmd, dict(os.environ, LEARN_HOME=a)))
                cold.append(timed(learn_cmd, dict(os.environ, LEARN_HOME=a)))
                shutil.copytree(os.path.join(seed, "cache"), os.path.join(b, "cache"))
                warm.append(timed(learn_cmd, dict(os.environ, LEARN_HOME=b)))
    f, c, w = (statistics.median(x) for x in (floor, cold, warm))
    print(f"floor  import click, rich, pydantic:  median {f * 1000:.0f} ms over {runs} runs")
    print(f"learn next, cold (validates course): median {c * 1000:.0f} ms  ({c / f:.2f}x)")
    print(f"learn next, warm (course cache):     median {w * 1000:.0f} ms  ({w / f:.2f}x)")


if __name__ == "__main__":
    main()
