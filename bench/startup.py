"""`learn next` start-up against the floor `python -c "import click, rich, pydantic"`.

Usage: python bench/startup.py [runs]   (prints medians and the ratio; nothing is asserted)
"""

from __future__ import annotations

import os
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
    floor, learn = [], []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as home:
            env = dict(os.environ, LEARN_HOME=home)  # a fresh learner: renders lesson 1
            floor.append(timed(floor_cmd, env))
            learn.append(timed(learn_cmd, env))
    f, lt = statistics.median(floor), statistics.median(learn)
    print(f"floor  import click, rich, pydantic: median {f * 1000:.0f} ms over {runs} runs")
    print(f"learn next (renders lesson 1):      median {lt * 1000:.0f} ms over {runs} runs")
    print(f"ratio learn next / floor: {lt / f:.2f}x")


if __name__ == "__main__":
    main()
