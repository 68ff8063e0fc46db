"""The whole hostile suite graded as one class by `learn grade`, honest submissions in between:
every hostile case gets its expected outcome and is named in summary.md with its reason, every
honest submission is graded right, nothing hangs, results are not mixed up, the gradebook is
intact."""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import socket
import sys
import uuid
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from grader.cli import main
from grader.gradebook import Gradebook

REPO = Path(__file__).resolve().parent.parent
IS_ROOT = os.geteuid() == 0
pytestmark = pytest.mark.slow


def _hostile_suite() -> Any:
    """tests/hostile/test_hostile.py: its table of cases and expected outcomes, and render()."""
    path = REPO / "tests" / "hostile" / "test_hostile.py"
    spec = importlib.util.spec_from_file_location("hostile_table", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


SUITE = _hostile_suite()
ROWS = [p.values[0] for p in SUITE.TABLE if IS_ROOT or not p.values[0].root]


@pytest.fixture(scope="module")
def course_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    dest = tmp_path_factory.mktemp("course")
    for name in ("course.yaml", "lessons", "quizzes", "exercises"):
        src = REPO / name
        (shutil.copytree if src.is_dir() else shutil.copyfile)(src, dest / name)
    spec = dest / "exercises/lr-schedule/exercise.yaml"
    text = spec.read_text().replace("wall_seconds: 60", "wall_seconds: 10")
    spec.write_text(text.replace("cpu_seconds: 120", "cpu_seconds: 10"))
    return dest


def _student(case: str) -> str:
    return "x-" + case.removesuffix(".py").replace("_", "-")


def test_the_hostile_suite_as_one_class(course_dir: Path, tmp_path: Path) -> None:
    subs, out = tmp_path / "subs", tmp_path / "out"
    reference = (course_dir / "exercises/lr-schedule/reference.py").read_text()
    starter = (course_dir / "exercises/lr-schedule/starter.py").read_text()
    other = subs / "honest-00" / "lr-schedule.py"
    honest: dict[str, float] = {}
    with socket.create_server(("127.0.0.1", 0)) as server:
        server.setblocking(False)
        values = {
            "TOKEN": uuid.uuid4().hex[:12],
            "REPO": str(REPO),
            "COURSE": str(course_dir),
            "CACHE": str(out / "cache"),
            "HOME": os.environ["LEARN_HOME"],
            "OTHER": str(other),
            "PORT": str(server.getsockname()[1]),
        }
        for n, case in enumerate(ROWS):
            dest = subs / _student(case.case) / f"{case.exercise}.py"
            dest.parent.mkdir(parents=True)
            dest.write_bytes(SUITE.render(case.case, values))
            if n % 3 == 0:  # an honest student between the hostile ones
                name = f"honest-{n:02d}"
                (subs / name).mkdir()
                good = n % 2 == 0
                (subs / name / "lr-schedule.py").write_text(reference if good else starter)
                honest[name] = 100.0 if good else 40.0
        result = CliRunner().invoke(
            main,
            ["--course", str(course_dir), "grade", str(subs), "--out", str(out), "--workers", "2"],
        )
        assert result.exit_code == 0, result.output
        with pytest.raises(BlockingIOError):
            server.accept()  # no case reached the network

    rows = {r.student: r for r in Gradebook(out / "gradebook.db").rows()}
    assert len(rows) == len(ROWS) + len(honest)
    for name, score in honest.items():
        assert rows[name].score == score, (name, rows[name].reason)
    summary = (out / "summary.md").read_text()
    for case in ROWS:
        row = rows[_student(case.case)]
        assert row.exercise == case.exercise
        assert row.score <= case.ceiling, (case.case, row.score, row.reason)
        if case.reason is None:  # a correct answer with hostile side effects
            assert row.score == row.max_score, (case.case, row.reason)
            continue
        assert re.search(case.reason, row.reason, re.IGNORECASE | re.DOTALL), (case, row.reason)
        reason = " ".join(row.reason.split())[:300]
        assert f"- {row.student} / {row.exercise}: " in summary, case.case
        assert reason in summary, case.case
    flood = rows[_student("flood_output.py")]
    assert "[output truncated: " in flood.result["output"]
    assert f"- {flood.student} / {flood.exercise}: output truncated" in summary
    failures = summary.split("## Failures, timeouts and crashes")[1].split("##")[0]
    for case in ("infinite_loop.py", "os_exit.py", "numpy_bomb.py", "missing_module.py"):
        assert f"- {_student(case)} / lr-schedule: " in failures
