"""`learn grade`: a generated class graded end to end, resumed after kill -9, and on Dask."""

from __future__ import annotations

import csv
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from grader.batch import discover, grade_class
from grader.cli import main
from grader.course import load_course
from grader.gradebook import Gradebook
from grader.grading import Grader

REPO = Path(__file__).resolve().parent.parent
EXERCISES = [
    "compile-multiclass",
    "fit-validation",
    "evaluate-predict",
    "binary-classifier",
    "regressor",
    "lr-schedule",
]
pytestmark = pytest.mark.slow

CRASH = "raise RuntimeError('boom')\n"
SLOW = "import time\n\n\ndef make_optimizer():\n    time.sleep(10**6)\n"


def kind_of(student: int, exercise: str) -> str:
    if exercise == "lr-schedule" and student in (6, 7):
        return "timeout"
    return ["ok", "wrong", "ok", "crash", "ok", "wrong"][(student + EXERCISES.index(exercise)) % 6]


def make_class(root: Path, course: Path, students: int, exercises: list[str]) -> dict:
    expected = {}
    for i in range(students):
        folder = root / f"s{i}"
        folder.mkdir(parents=True)
        for ex in exercises:
            kind = kind_of(i, ex)
            source = {
                "ok": (course / "exercises" / ex / "reference.py").read_text(),
                "wrong": (course / "exercises" / ex / "starter.py").read_text(),
                "crash": CRASH,
                "timeout": SLOW,
            }[kind]
            (folder / f"{ex}.py").write_text(source)
            expected[(f"s{i}", ex)] = kind
    return expected


@pytest.fixture(scope="module")
def course_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled course with a short time limit on lr-schedule, so timeouts are quick."""
    import shutil

    dest = tmp_path_factory.mktemp("course")
    for name in ("course.yaml", "lessons", "quizzes", "exercises"):
        src = REPO / name
        (shutil.copytree if src.is_dir() else shutil.copyfile)(src, dest / name)
    spec = dest / "exercises/lr-schedule/exercise.yaml"
    spec.write_text(spec.read_text().replace("wall_seconds: 60", "wall_seconds: 8"))
    return dest


@pytest.fixture(scope="module")
def graded(course_dir: Path, tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("class")
    expected = make_class(root / "subs", course_dir, 8, EXERCISES)
    out = root / "out"
    result = CliRunner().invoke(
        main,
        [
            "--course",
            str(course_dir),
            "grade",
            str(root / "subs"),
            "--out",
            str(out),
            "--workers",
            "2",
        ],
    )
    assert result.exit_code == 0, result.output
    return root, out, expected, result.output


def test_whole_class_graded_with_reports(graded, course_dir: Path) -> None:
    root, out, expected, output = graded
    assert "Graded 48 submission(s)" in output
    book = Gradebook(out / "gradebook.db")
    rows = {(r.student, r.exercise): r for r in book.rows()}
    assert len(rows) == 48
    for key, kind in expected.items():
        row = rows[key]
        if kind == "ok":
            assert row.score == row.max_score, (key, row.reason)
        else:
            assert row.score < row.max_score, key
        if kind == "crash":
            assert "boom" in row.reason
        if kind == "timeout":
            assert "time limit" in row.reason
    with open(out / "grades.csv", newline="") as f:
        table = list(csv.reader(f))
    # Every exercise of the course is a column, in course order; this class submitted six.
    assert table[0] == ["student", *load_course(course_dir).exercises, "total"]
    assert len(table) == 9
    s0 = next(r for r in table if r[0] == "s0")
    assert float(s0[-1]) == sum(rows[("s0", e)].score for e in EXERCISES)
    feedback = json.loads((out / "feedback/s3/regressor.json").read_text())
    assert set(feedback) == {"score", "max_score", "execution_time", "output", "tests"}
    assert (out / "feedback/s3/regressor.md").read_text().startswith("# regressor: ")
    summary = (out / "summary.md").read_text()
    assert "| lr-schedule | 8 |" in summary
    assert "s6 / lr-schedule: stopped: time limit" in summary
    assert (out / "summary.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_gradebook_agrees_with_learn_submit(graded, course_dir: Path) -> None:
    root, out, expected, _ = graded
    book = {(r.student, r.exercise): r for r in Gradebook(out / "gradebook.db").rows()}
    with Grader(load_course(course_dir), out / "cache", "en") as grader:
        for student in ("s0", "s3"):
            for ex in EXERCISES:
                if expected[(student, ex)] == "timeout":
                    continue
                source = (root / "subs" / student / f"{ex}.py").read_bytes()
                result = grader.grade(ex, source).to_gradescope()
                row = book[(student, ex)]
                assert row.score == result["score"]
                assert [t["output"] for t in row.result["tests"]] == [
                    t["output"] for t in result["tests"]
                ]


def test_rerun_grades_nothing_and_regrade_grades_all(graded, course_dir: Path) -> None:
    root, out, _, _ = graded
    again = CliRunner().invoke(
        main, ["--course", str(course_dir), "grade", str(root / "subs"), "--out", str(out)]
    )
    assert "Graded 0 submission(s)" in again.output
    assert "48 unchanged" in again.output
    changed = root / "subs/s0/lr-schedule.py"
    changed.write_text((course_dir / "exercises/lr-schedule/reference.py").read_text() + "# v2\n")
    third = CliRunner().invoke(
        main, ["--course", str(course_dir), "grade", str(root / "subs"), "--out", str(out)]
    )
    assert "Graded 1 submission(s)" in third.output
    rows = {(r.student, r.exercise): r for r in Gradebook(out / "gradebook.db").rows()}
    assert rows[("s0", "lr-schedule")].score == 100
    assert len(rows) == 48


def test_export_rewrites_reports(graded) -> None:
    _, out, _, _ = graded
    (out / "grades.csv").unlink()
    result = CliRunner().invoke(main, ["grade", "--export", str(out)])
    assert result.exit_code == 0
    assert (out / "grades.csv").is_file()


def test_discovery_reports_problems(tmp_path: Path) -> None:
    subs = tmp_path / "subs"
    (subs / "amy").mkdir(parents=True)
    (subs / "amy" / "regressor.py").write_text("x = 1\n")
    (subs / "amy" / "notes.txt").write_text("hi")
    (subs / "amy" / "lr-schedule.py").write_bytes(b"\xff\xfe\x00")
    (subs / "ben").mkdir()
    with zipfile.ZipFile(subs / "amy.zip", "w") as zf:
        zf.writestr("amy/regressor.py", "x = 2\n")
    with zipfile.ZipFile(subs / "cat.zip", "w") as zf:
        zf.writestr("cat/regressor.py", "x = 3\n")
        zf.writestr("cat/fit-validation.py", "x = 4\n")
    (subs / "bad name").mkdir()
    (subs / "broken.zip").write_bytes(b"not a zip")
    found = discover(subs, set(EXERCISES))
    assert sorted((j.student, j.exercise) for j in found.jobs) == [
        ("amy", "regressor"),
        ("cat", "fit-validation"),
        ("cat", "regressor"),
    ]
    problems = dict(found.problems)
    assert problems["amy/notes.txt"].startswith("unknown exercise file")
    assert problems["amy/lr-schedule.py"] == "binary file, not Python source; not graded"
    assert problems["amy.zip"] == "duplicate student 'amy': amy was used"
    assert problems["ben"] == "empty folder: no submissions"
    assert problems["bad name"] == "student id must be letters, digits, . _ -"
    assert problems["broken.zip"].startswith("cannot read the zip")


def _snapshot(db: Path) -> list[tuple]:
    con = sqlite3.connect(db)
    rows = con.execute(
        "SELECT student, exercise, content_hash, score, status, reason "
        "FROM submissions ORDER BY student, exercise"
    ).fetchall()
    checks = con.execute(
        "SELECT student, exercise, check_id, score, passed, message FROM checks "
        "ORDER BY student, exercise, check_id"
    ).fetchall()
    con.close()
    return rows + checks


SMALL = ["binary-classifier", "regressor", "lr-schedule"]


@pytest.fixture(scope="module")
def small_class(course_dir: Path, tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("small")
    make_class(root / "subs", course_dir, 5, SMALL)
    book = Gradebook(root / "plain" / "gradebook.db")
    grade_class(load_course(course_dir), root / "subs", book, root / "cache", workers=2)
    book.close()
    return root, _snapshot(root / "plain" / "gradebook.db")


def test_kill_9_then_resume_gives_the_same_gradebook(small_class, course_dir: Path) -> None:
    root, expected = small_class
    out = root / "killed"
    cmd = [
        sys.executable,
        "-m",
        "grader",
        "--course",
        str(course_dir),
        "grade",
        str(root / "subs"),
        "--out",
        str(out),
        "--workers",
        "2",
    ]
    env = dict(os.environ, LEARN_HOME=str(root / "home"))
    proc = subprocess.Popen(
        cmd, env=env, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    db = out / "gradebook.db"
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        time.sleep(0.3)
        try:
            con = sqlite3.connect(db, timeout=1)
            n = con.execute("SELECT COUNT(*) FROM submissions").fetchone()[0]
            con.close()
        except sqlite3.Error:
            continue
        if n >= 4:
            break
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    partial = _snapshot(db)
    assert 0 < len([r for r in partial if len(r) == 6 and r[4] in ("graded", "error")]) < 15
    resumed = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600)
    assert resumed.returncode == 0, resumed.stderr
    assert _snapshot(db) == expected


def test_dask_cluster_gives_identical_grades(small_class, course_dir: Path) -> None:
    from distributed import LocalCluster

    root, expected = small_class
    with LocalCluster(
        n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None
    ) as cluster:
        book = Gradebook(root / "dask" / "gradebook.db")
        outcome = grade_class(
            load_course(course_dir),
            root / "subs",
            book,
            root / "cache",
            workers=2,
            scheduler=cluster.scheduler_address,
        )
        book.close()
    from grader.distributed import close_worker_graders

    close_worker_graders()
    assert outcome.graded == 15
    assert _snapshot(root / "dask" / "gradebook.db") == expected
