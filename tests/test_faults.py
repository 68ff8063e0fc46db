"""Faults around the stores: locked or corrupted databases, a full disk while writing reports."""

from __future__ import annotations

import errno
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from grader import reports
from grader.cli import main
from grader.gradebook import Gradebook, Row


def a_gradebook(out: Path) -> Gradebook:
    book = Gradebook(out / "gradebook.db")
    book.register({"amy": "amy"}, {"regressor": 100.0}, [("x.txt", "ignored")])
    result = {
        "score": 70.0,
        "max_score": 100.0,
        "execution_time": 1.0,
        "output": "",
        "tests": [
            {
                "name": "loss: regression loss",
                "score": 0.0,
                "max_score": 30.0,
                "status": "failed",
                "output": "use mse",
                "visibility": "visible",
            }
        ],
    }
    book.record(Row("amy", "regressor", "h1", 70.0, 100.0, "graded", "use mse", 1.0, result))
    return book


def test_export_writes_every_report(tmp_path: Path) -> None:
    a_gradebook(tmp_path).close()
    result = CliRunner().invoke(main, ["grade", "--export", str(tmp_path)])
    assert result.output == f"Wrote 5 files under {tmp_path}\n"
    assert (tmp_path / "grades.csv").read_bytes() == b"student,regressor,total\r\namy,70,70\r\n"
    md = (tmp_path / "feedback/amy/regressor.md").read_text()
    assert "| loss: regression loss | 0/30 | failed | use mse |" in md


def test_disk_full_while_writing_feedback(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    a_gradebook(tmp_path).close()

    def full(path: Path, text: str) -> Path:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(reports, "_write", full)
    result = CliRunner().invoke(main, ["grade", "--export", str(tmp_path)])
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {tmp_path}: could not write the reports (No space left on device); the "
        "gradebook is intact: free some space and run `learn grade --export` again\n"
    )
    book = Gradebook(tmp_path / "gradebook.db")
    assert [(r.student, r.score) for r in book.rows()] == [("amy", 70.0)]


def test_corrupted_gradebook_is_left_untouched(tmp_path: Path) -> None:
    db = tmp_path / "gradebook.db"
    db.write_bytes(b"garbage" * 1000)
    result = CliRunner().invoke(main, ["grade", "--export", str(tmp_path)])
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {db}: the gradebook cannot be used (file is not a "
        "database); it was left untouched\n"
    )
    assert db.read_bytes() == b"garbage" * 1000


def test_locked_gradebook(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    a_gradebook(tmp_path).close()
    monkeypatch.setattr("grader.gradebook.LOCK_TIMEOUT", 0.2)
    other = sqlite3.connect(tmp_path / "gradebook.db", isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        book = Gradebook(tmp_path / "gradebook.db")
        with pytest.raises(Exception) as e:
            book.record(Row("amy", "regressor", "h2", 1.0, 100.0, "graded", "", 1.0, {"tests": []}))
    finally:
        other.execute("ROLLBACK")
    assert str(e.value) == (
        f"{tmp_path / 'gradebook.db'}: the gradebook is locked by another "
        "process; wait for it to finish"
    )
    assert [r.score for r in Gradebook(tmp_path / "gradebook.db").rows()] == [70.0]


def test_newer_gradebook_schema_refused(tmp_path: Path) -> None:
    db = tmp_path / "gradebook.db"
    con = sqlite3.connect(db)
    con.execute("PRAGMA user_version = 99")
    con.close()
    result = CliRunner().invoke(main, ["grade", "--export", str(tmp_path)])
    assert (
        result.output
        == f"Error: {db}: written by a newer learn-keras (schema 99); upgrade learn-keras\n"
    )
