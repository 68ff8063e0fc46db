"""`learn submit`: exit codes, the Gradescope-shaped JSON, the table and the progress record."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from grader.cli import main

REPO = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("home")


def submit(runner: CliRunner, *args: str) -> tuple[int, str]:
    result = runner.invoke(main, ["--lang", "en", "submit", *args], env={"COLUMNS": "200"})
    return result.exit_code, result.output


def test_reference_gets_full_marks_and_exit_0(runner: CliRunner) -> None:
    code, out = submit(
        runner, "lr-schedule", str(REPO / "exercises/lr-schedule/reference.py"), "--json"
    )
    assert code == 0
    data = json.loads(out)
    assert set(data) == {"score", "max_score", "execution_time", "output", "tests"}
    assert data["score"] == data["max_score"] == 100.0
    assert [t["status"] for t in data["tests"]] == ["passed"] * 4
    assert set(data["tests"][0]) == {"name", "score", "max_score", "status", "output", "visibility"}
    status = json.loads(runner.invoke(main, ["--lang", "en", "status", "--json"]).output)
    row = next(r for r in status if r["unit"] == "exercise:lr-schedule")
    assert row["state"] == "done"
    assert row["detail"] == "best 100/100, latest 100"


def test_mistake_exit_1_with_table_and_named_mistake(runner: CliRunner, tmp_path: Path) -> None:
    bad = tmp_path / "staircase.py"
    bad.write_text(
        "import keras\n\n\ndef make_optimizer():\n"
        "    s = keras.optimizers.schedules.ExponentialDecay(0.01, 1000, 0.9, staircase=True)\n"
        "    return keras.optimizers.Adam(learning_rate=s)\n"
    )
    code, out = submit(runner, "lr-schedule", str(bad))
    assert code == 1
    assert "FAIL" in out and "PASS" in out
    assert "staircase=True makes it drop in steps" in out
    assert "Score: 80/100" in out
    assert "Not yet full marks" in out


def test_workspace_copy_is_the_default_file(runner: CliRunner) -> None:
    runner.invoke(main, ["--lang", "en", "start", "lr-schedule"])
    code, out = submit(runner, "lr-schedule")
    assert code == 1
    assert "the learning rate is a constant 0.01" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["lr-schedule", "/no/such/file.py"],
            "Error: /no/such/file.py: no such file (run `learn start` first, or name the file)\n",
        ),
        (
            ["nope"],
            "Error: unknown exercise 'nope' (known: compile-multiclass, fit-validation, "
            "evaluate-predict, fit-validation-data, checkpoint, early-stop-epoch, "
            "binary-classifier, regressor, lr-schedule, compile-onehot, sgd-momentum, "
            "rnn-rmsprop)\n",
        ),
    ],
)
def test_could_not_grade_exit_2(runner: CliRunner, args: list[str], message: str) -> None:
    code, out = submit(runner, *args)
    assert (code, out) == (2, message)


def test_attempts_keep_best_and_latest(runner: CliRunner, tmp_path: Path) -> None:
    const = tmp_path / "const.py"
    const.write_text(
        "import keras\n\n\ndef make_optimizer():\n    return keras.optimizers.Adam(0.01)\n"
    )
    submit(runner, "lr-schedule", str(REPO / "exercises/lr-schedule/reference.py"))
    submit(runner, "lr-schedule", str(const))
    status = json.loads(runner.invoke(main, ["--lang", "en", "status", "--json"]).output)
    row = next(r for r in status if r["unit"] == "exercise:lr-schedule")
    assert row["detail"] == "best 100/100, latest 40"
    assert row["state"] == "done"


def _no_traceback(result: Any) -> None:
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output


def test_a_report_nested_too_deeply_is_graded_not_a_traceback(runner: CliRunner) -> None:
    case = REPO / "tests/hostile/cases/nested_report.py"
    result = runner.invoke(
        main, ["--lang", "en", "submit", "lr-schedule", str(case)], env={"COLUMNS": "200"}
    )
    _no_traceback(result)
    assert result.exit_code == 1
    assert "report.json is malformed: nested deeper than 64 levels" in result.output
    assert "Score: 0/100" in result.output


def test_a_grader_failure_is_graded_not_a_traceback(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    from grader.grading import Grader

    def collect(self: Grader, spec: Any, source: bytes) -> Any:
        raise ZeroDivisionError("forced")

    monkeypatch.setattr(Grader, "collect", collect)
    monkeypatch.setattr(Grader, "reference", lambda self, spec: {})
    reference = str(REPO / "exercises/lr-schedule/reference.py")
    result = runner.invoke(main, ["--lang", "en", "submit", "lr-schedule", reference, "--json"])
    _no_traceback(result)
    assert result.exit_code == 1
    data = json.loads(result.output)
    reason = "the grader could not judge this submission: ZeroDivisionError: forced"
    assert data["score"] == 0.0
    assert [t["output"] for t in data["tests"]] == [reason] * 4
