"""The instructor's gradebook: SQLite (WAL), one transaction per graded submission.

A result is committed the moment it completes, keyed by (student, exercise), so a run killed at any
point loses at most the submissions in flight and a rerun grades only what is missing.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from grader.errors import StoreError
from grader.sqlitestore import SqliteStore

LOCK_TIMEOUT = 10.0  # seconds to wait for another writer before reporting the lock

SCHEMA = [
    """
    CREATE TABLE students (id TEXT PRIMARY KEY, source TEXT NOT NULL);
    CREATE TABLE exercises (id TEXT PRIMARY KEY, max_score REAL NOT NULL);
    CREATE TABLE submissions (
        student TEXT NOT NULL REFERENCES students (id),
        exercise TEXT NOT NULL REFERENCES exercises (id),
        content_hash TEXT NOT NULL, score REAL NOT NULL, max_score REAL NOT NULL,
        status TEXT NOT NULL, reason TEXT NOT NULL, seconds REAL NOT NULL,
        result TEXT NOT NULL, graded_at TEXT NOT NULL,
        PRIMARY KEY (student, exercise));
    CREATE TABLE checks (
        student TEXT NOT NULL, exercise TEXT NOT NULL, check_id TEXT NOT NULL,
        score REAL NOT NULL, max_score REAL NOT NULL, passed INTEGER NOT NULL,
        message TEXT NOT NULL,
        PRIMARY KEY (student, exercise, check_id),
        FOREIGN KEY (student, exercise) REFERENCES submissions (student, exercise)
            ON DELETE CASCADE);
    CREATE TABLE problems (id INTEGER PRIMARY KEY, path TEXT NOT NULL, message TEXT NOT NULL,
        UNIQUE (path, message));
    """,
]


@dataclass(frozen=True)
class Row:
    student: str
    exercise: str
    content_hash: str
    score: float
    max_score: float
    status: str  # "graded" | "failed" (the code crashed, timed out...) | "error" (not graded)
    reason: str
    seconds: float
    result: dict[str, Any]


class Gradebook(SqliteStore):
    def __init__(self, path: Path) -> None:
        # synchronous=FULL: a committed grade survives power loss.
        self._open(path, SCHEMA, LOCK_TIMEOUT, "synchronous=FULL")

    def _error(self, e: sqlite3.Error) -> StoreError:
        msg = str(e)
        if "locked" in msg or "busy" in msg:
            return StoreError(key="err_gradebook_locked", path=self.path)
        return StoreError(key="err_gradebook", path=self.path, reason=msg)

    def close(self) -> None:
        self.db.close()

    def register(
        self, students: dict[str, str], exercises: dict[str, float], problems: list[tuple[str, str]]
    ) -> None:
        with self.transaction() as db:
            db.executemany("INSERT OR IGNORE INTO students VALUES (?, ?)", students.items())
            db.executemany("INSERT OR REPLACE INTO exercises VALUES (?, ?)", exercises.items())
            db.executemany("INSERT OR IGNORE INTO problems (path, message) VALUES (?, ?)", problems)

    def hashes(self) -> dict[tuple[str, str], str]:
        rows = self.db.execute("SELECT student, exercise, content_hash FROM submissions")
        return {(s, e): h for s, e, h in rows}

    def record(self, row: Row) -> None:
        """Replace the (student, exercise) result and its checks in one transaction."""
        now = datetime.now(UTC).isoformat(timespec="seconds")
        with self.transaction() as db:
            db.execute(
                "DELETE FROM checks WHERE student = ? AND exercise = ?", (row.student, row.exercise)
            )
            db.execute(
                "INSERT OR REPLACE INTO submissions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    row.student,
                    row.exercise,
                    row.content_hash,
                    row.score,
                    row.max_score,
                    row.status,
                    row.reason,
                    row.seconds,
                    json.dumps(row.result, ensure_ascii=False),
                    now,
                ),
            )
            for test in row.result.get("tests", []):
                db.execute(
                    "INSERT INTO checks VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (
                        row.student,
                        row.exercise,
                        test["name"].split(":", 1)[0],
                        test["score"],
                        test["max_score"],
                        int(test["status"] == "passed"),
                        test["output"],
                    ),
                )

    def rows(self) -> list[Row]:
        cur = self.db.execute(
            "SELECT student, exercise, content_hash, score, max_score, status, reason, seconds, "
            "result FROM submissions ORDER BY student, exercise"
        )
        return [
            Row(s, e, h, score, top, status, reason, secs, json.loads(result))
            for s, e, h, score, top, status, reason, secs, result in cur
        ]

    def students(self) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT id FROM students ORDER BY id")]

    def exercises(self) -> dict[str, float]:
        return dict(self.db.execute("SELECT id, max_score FROM exercises ORDER BY rowid"))

    def problems(self) -> list[tuple[str, str]]:
        return list(self.db.execute("SELECT path, message FROM problems ORDER BY id"))

    def failed_checks(self, skipped: Collection[str] = ()) -> list[tuple[str, str, int]]:
        """(exercise, check, how many students failed it), most common first. Only graded
        submissions count (a crash, timeout or syntax error is a failure, not a mistake), and
        only checks that ran: a message in `skipped` marks a check not run after an earlier one
        failed."""
        marks = ", ".join("?" * len(skipped))
        return list(
            self.db.execute(
                "SELECT c.exercise, c.check_id, COUNT(*) FROM checks c JOIN submissions s "
                "ON s.student = c.student AND s.exercise = c.exercise "
                f"WHERE c.passed = 0 AND s.status = 'graded' AND c.message NOT IN ({marks}) "
                "GROUP BY c.exercise, c.check_id ORDER BY COUNT(*) DESC, c.exercise, c.check_id",
                tuple(skipped),
            )
        )
