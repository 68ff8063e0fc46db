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

from grader.batch import grade_class
from grader.cli import main
from grader.course import load_course
from grader.gradebook import Gradebook
from grader.grading import Grader
from grader.reports import export, inline

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
        reason = inline(" ".join(row.reason.split())[:300])
        assert f"- {row.student} / {row.exercise}: " in summary, case.case
        assert reason in summary, case.case
    flood = rows[_student("flood_output.py")]
    assert "[output truncated: " in flood.result["output"]
    assert f"- {flood.student} / {flood.exercise}: output truncated" in summary
    failures = summary.split("## Failures, timeouts and crashes")[1].split("##")[0]
    for case in ("infinite_loop.py", "os_exit.py", "numpy_bomb.py", "missing_module.py"):
        assert f"- {_student(case)} / lr-schedule: " in failures


# -- a small class: submissions that used to stop the run, between honest students ----------------
BUG = b"# GRADER-BUG: the grader's own code fails on this one\n"
CRASHERS = {  # student: (case file or None for BUG, status, reason)
    "b-nested": ("nested_report.py", "failed", r"nested deeper than 64 levels"),
    "d-zero": ("zero_lengths.py", "failed", r"greater than or equal to 0"),
    "e-bug": (
        None,
        "error",
        r"^the grader could not judge this submission: ZeroDivisionError: forced$",
    ),
}
HONEST = ("a-honest", "c-honest", "f-honest")


@pytest.fixture
def small_class(
    course_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[Path, Path]:
    """Three honest students and, between them, three submissions that stopped a run before:
    a report nested 100,000 deep, forged negative lengths, and one the grader's code fails on."""
    subs = tmp_path / "subs"
    reference = (course_dir / "exercises/lr-schedule/reference.py").read_bytes()
    for student in sorted([*HONEST, *CRASHERS]):
        case = CRASHERS.get(student, ("", "", ""))[0]
        source = BUG if case is None else SUITE.render(case, {}) if case else reference
        (subs / student).mkdir(parents=True)
        (subs / student / "lr-schedule.py").write_bytes(source)
    collect = Grader.collect

    def buggy_collect(self: Grader, spec: Any, source: bytes) -> Any:
        if source == BUG:
            raise ZeroDivisionError("forced")
        return collect(self, spec, source)

    monkeypatch.setattr(Grader, "collect", buggy_collect)
    return subs, tmp_path / "cache"


def _graded_completely(subs: Path, out: Path) -> None:
    rows = {r.student: r for r in Gradebook(out / "gradebook.db").rows()}
    assert sorted(rows) == sorted([*HONEST, *CRASHERS])
    for student in HONEST:
        assert (rows[student].status, rows[student].score) == ("graded", 100.0), rows[student]
    summary = (out / "summary.md").read_text()
    failures = summary.split("## Failures, timeouts and crashes")[1].split("##")[0]
    for student, (_, status, reason) in CRASHERS.items():
        row = rows[student]
        assert (row.status, row.score) == (status, 0.0), (student, row.reason)
        assert re.search(reason, row.reason), (student, row.reason)
        reason_line = inline(" ".join(row.reason.split())[:300])
        assert f"- {student} / lr-schedule: {reason_line}\n" in failures
    with open(out / "grades.csv") as f:
        assert len(f.read().splitlines()) == 1 + len(rows)
    for student in rows:
        assert (out / "feedback" / student / "lr-schedule.json").is_file()
        assert (out / "feedback" / student / "lr-schedule.md").is_file()


def test_a_small_class_with_crashing_submissions_is_graded_completely(
    course_dir: Path, small_class: tuple[Path, Path], tmp_path: Path
) -> None:
    subs, _ = small_class
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main,
        ["--course", str(course_dir), "grade", str(subs), "--out", str(out), "--workers", "2"],
    )
    assert result.exit_code == 0, result.output
    assert "Graded 6 submission(s)" in result.output
    assert "1 could not be graded" in result.output
    assert "Traceback" not in result.output
    _graded_completely(subs, out)


def test_a_small_class_with_crashing_submissions_is_graded_completely_on_dask(
    course_dir: Path, small_class: tuple[Path, Path], tmp_path: Path
) -> None:
    from distributed import LocalCluster

    from grader import distributed

    subs, cache = small_class
    out = tmp_path / "dask"
    with LocalCluster(
        n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None
    ) as cluster:
        book = Gradebook(out / "gradebook.db")
        try:
            outcome = grade_class(
                load_course(course_dir),
                subs,
                book,
                cache,
                workers=2,
                scheduler=cluster.scheduler_address,
            )
            export(book, out)
        finally:
            book.close()
    try:
        graders = list(distributed._graders.values())
        assert graders
        for grader in graders:  # what the local path hides, the workers hide too
            assert subs.resolve() in grader.hide
            assert out.resolve() in grader.hide
            assert cache.resolve() in grader.hide
    finally:
        distributed.close_worker_graders()
    assert (outcome.graded, outcome.errors, outcome.interrupted) == (6, 1, False)
    _graded_completely(subs, out)
