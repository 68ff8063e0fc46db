"""A class of 20 with hostile submissions in the middle: every other submission is graded right,
nothing hangs, results are not mixed up, the gradebook is intact and summary.md names each case."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from grader.cli import main
from grader.gradebook import Gradebook

REPO = Path(__file__).resolve().parent.parent
CASES = REPO / "tests" / "hostile" / "cases"
pytestmark = pytest.mark.slow

# student -> (file submitted as lr-schedule.py, score it earns, phrase its reason must contain)
HOSTILE = {
    "h03": ("infinite_loop.py", 0, "time limit"),
    "h06": ("fork_bomb.py", 0, ""),
    "h09": ("kill_parent.py", 0, ""),
    "h11": ("os_exit.py", 0, "ended before reporting"),
    "h13": ("flood_output.py", 100, ""),  # correct answer, 100 MB of output: truncated
    "h15": ("numpy_bomb.py", 0, "memory limit"),
    "h17": ("forged_stdout.py", 80, "the task asks for Adam"),  # forged PASSED lines ignored
    "h18": ("missing_module.py", 0, "No module named"),
}


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


def test_hostile_cases_in_a_batch_of_20(course_dir: Path, tmp_path: Path) -> None:
    subs = tmp_path / "subs"
    reference = (course_dir / "exercises/lr-schedule/reference.py").read_text()
    starter = (course_dir / "exercises/lr-schedule/starter.py").read_text()
    for n in range(20):
        student = f"h{n:02d}"
        (subs / student).mkdir(parents=True)
        if student in HOSTILE:
            source = (CASES / HOSTILE[student][0]).read_text()
        else:
            source = reference if n % 4 else starter  # every 4th honest one scores 40
        (subs / student / "lr-schedule.py").write_text(source)
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main, ["--course", str(course_dir), "grade", str(subs), "--out", str(out), "--workers", "2"]
    )
    assert result.exit_code == 0, result.output
    rows = {r.student: r for r in Gradebook(out / "gradebook.db").rows()}
    assert len(rows) == 20
    for n in range(20):
        student = f"h{n:02d}"
        row = rows[student]
        if student in HOSTILE:
            _, score, phrase = HOSTILE[student]
            assert row.score == score, (student, row.reason)
            assert phrase in row.reason, (student, row.reason)
        else:
            assert row.score == (40.0 if n % 4 == 0 else 100.0), (student, row.reason)
    summary = (out / "summary.md").read_text()
    assert "[output truncated: " in rows["h13"].result["output"]
    for student in (s for s, (_, score, _) in HOSTILE.items() if score < 100):
        reason = " ".join(rows[student].reason.split())[:300]
        assert f"- {student} / lr-schedule: " in summary
        assert reason in summary, student
    failures = summary.split("## Failures, timeouts and crashes")[1].split("##")[0]
    for student in ("h03", "h11", "h15", "h18"):
        assert f"- {student} / lr-schedule: " in failures
