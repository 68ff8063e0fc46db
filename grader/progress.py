"""The learner's progress store: SQLite in WAL mode, every change in one transaction."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from grader.errors import StoreError
from grader.sqlitestore import SqliteStore

Clock = Callable[[], datetime]

# Each entry migrates the schema from version i to i + 1; never edit a released entry.
MIGRATIONS: list[str] = [
    """
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE units (
        unit_id TEXT PRIMARY KEY, status TEXT NOT NULL CHECK (status IN ('started', 'done')),
        updated_at TEXT NOT NULL);
    CREATE TABLE answers (
        id INTEGER PRIMARY KEY, item_id TEXT NOT NULL, lang TEXT NOT NULL, answer TEXT NOT NULL,
        correct INTEGER NOT NULL, answered_at TEXT NOT NULL);
    CREATE INDEX answers_item ON answers (item_id);
    CREATE TABLE submissions (
        id INTEGER PRIMARY KEY, exercise_id TEXT NOT NULL, score REAL NOT NULL,
        max_score REAL NOT NULL, content_hash TEXT NOT NULL, result TEXT NOT NULL,
        submitted_at TEXT NOT NULL);
    CREATE INDEX submissions_exercise ON submissions (exercise_id);
    CREATE TABLE hints (exercise_id TEXT PRIMARY KEY, revealed INTEGER NOT NULL);
    """,
    """
    CREATE TABLE review (
        item_id TEXT PRIMARY KEY, card TEXT NOT NULL, due TEXT NOT NULL,
        updated_at TEXT NOT NULL);
    CREATE INDEX review_due ON review (due);
    """,
]


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Attempt:
    exercise_id: str
    score: float
    max_score: float
    submitted_at: str


class Store(SqliteStore):
    """Progress of one learner in one course."""

    # Called inside record_answer's transaction: (db, item_id, correct, now); see grader.review.
    on_answer: Callable[[sqlite3.Connection, str, bool, datetime], None] | None = None

    def __init__(self, path: Path, *, clock: Clock = utcnow) -> None:
        self.clock = clock
        self._open(path, MIGRATIONS, 5.0)

    def _error(self, e: sqlite3.Error) -> StoreError:
        msg = str(e)
        if "locked" in msg or "busy" in msg:
            return StoreError(key="err_db_locked", path=self.path)
        return StoreError(key="err_db_unreadable", path=self.path, reason=msg)

    def _query(self, sql: str, args: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        try:
            return self.db.execute(sql, args).fetchall()
        except sqlite3.Error as e:
            raise self._error(e) from None

    def now(self) -> str:
        return self.clock().isoformat(timespec="seconds")

    def close(self) -> None:
        self.db.close()

    # -- identity ---------------------------------------------------------------------------
    def learner_id(self) -> str:
        rows = self._query("SELECT value FROM meta WHERE key = 'learner_id'")
        if rows:
            return str(rows[0][0])
        import uuid  # only the first time a learner answers

        with self.transaction() as db:
            db.execute("INSERT OR IGNORE INTO meta VALUES ('learner_id', ?)", (uuid.uuid4().hex,))
        return str(self._query("SELECT value FROM meta WHERE key = 'learner_id'")[0][0])

    def meta(self, key: str) -> str | None:
        rows = self._query("SELECT value FROM meta WHERE key = ?", (key,))
        return str(rows[0][0]) if rows else None

    def set_meta(self, key: str, value: str | None) -> None:
        """Set (or, with None, forget) one learner setting such as the workspace."""
        with self.transaction() as db:
            if value is None:
                db.execute("DELETE FROM meta WHERE key = ?", (key,))
            else:
                db.execute(
                    "INSERT INTO meta VALUES (?, ?) ON CONFLICT (key) DO UPDATE "
                    "SET value = excluded.value",
                    (key, value),
                )

    # -- units ------------------------------------------------------------------------------
    def statuses(self) -> dict[str, str]:
        return {u: s for u, s in self._query("SELECT unit_id, status FROM units")}

    def set_status(self, unit_id: str, status: str, db: sqlite3.Connection | None = None) -> None:
        sql = (
            "INSERT INTO units VALUES (?, ?, ?) ON CONFLICT (unit_id) DO UPDATE SET "
            "status = CASE WHEN units.status = 'done' THEN 'done' ELSE excluded.status END, "
            "updated_at = excluded.updated_at"
        )
        if db is not None:
            db.execute(sql, (unit_id, status, self.now()))
            return
        with self.transaction() as tx:
            tx.execute(sql, (unit_id, status, self.now()))

    # -- quiz answers -----------------------------------------------------------------------
    def record_answer(
        self,
        item_id: str,
        lang: str,
        answer: str,
        correct: bool,
        quiz_unit: str,
        quiz_items: list[str],
    ) -> None:
        """Append the attempt; mark the quiz done once every item has been answered."""
        with self.transaction() as db:
            db.execute(
                "INSERT INTO answers (item_id, lang, answer, correct, answered_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (item_id, lang, answer, int(correct), self.now()),
            )
            answered = {r[0] for r in db.execute("SELECT DISTINCT item_id FROM answers")}
            done = all(i in answered for i in quiz_items)
            self.set_status(quiz_unit, "done" if done else "started", db)
            if self.on_answer is not None:
                self.on_answer(db, item_id, correct, self.clock())

    def answered_items(self) -> set[str]:
        return {r[0] for r in self._query("SELECT DISTINCT item_id FROM answers")}

    def answers(self) -> list[tuple[str, str, bool, str]]:
        rows = self._query("SELECT item_id, answer, correct, answered_at FROM answers ORDER BY id")
        return [(i, a, bool(c), t) for i, a, c, t in rows]

    def last_results(self) -> dict[str, bool]:
        """Whether each item's latest answer was right."""
        rows = self._query(
            "SELECT item_id, correct FROM answers WHERE id IN "
            "(SELECT MAX(id) FROM answers GROUP BY item_id)"
        )
        return {i: bool(c) for i, c in rows}

    # -- exercises --------------------------------------------------------------------------
    def record_submission(
        self,
        exercise_id: str,
        score: float,
        max_score: float,
        content_hash: str,
        result: dict[str, Any],
    ) -> None:
        with self.transaction() as db:
            db.execute(
                "INSERT INTO submissions (exercise_id, score, max_score, content_hash, result, "
                "submitted_at) VALUES (?, ?, ?, ?, ?, ?)",
                (exercise_id, score, max_score, content_hash, json.dumps(result), self.now()),
            )
            status = "done" if score >= max_score else "started"
            self.set_status(f"exercise:{exercise_id}", status, db)

    def attempts(self, exercise_id: str | None = None) -> list[Attempt]:
        sql = "SELECT exercise_id, score, max_score, submitted_at FROM submissions"
        args: tuple[Any, ...] = ()
        if exercise_id:
            sql += " WHERE exercise_id = ?"
            args = (exercise_id,)
        return [Attempt(*r) for r in self._query(sql + " ORDER BY id", args)]

    def best_and_latest(self, exercise_id: str) -> tuple[Attempt | None, Attempt | None]:
        tries = self.attempts(exercise_id)
        if not tries:
            return None, None
        return max(tries, key=lambda a: a.score), tries[-1]

    def reveal_hint(self, exercise_id: str, available: int) -> tuple[int, int]:
        """Reveal one more hint (up to `available`); return (revealed before, revealed now)."""
        with self.transaction() as db:
            row = db.execute(
                "SELECT revealed FROM hints WHERE exercise_id = ?", (exercise_id,)
            ).fetchone()
            before = row[0] if row else 0
            n = min(before + 1, available)
            db.execute(
                "INSERT INTO hints VALUES (?, ?) ON CONFLICT (exercise_id) DO UPDATE "
                "SET revealed = excluded.revealed",
                (exercise_id, n),
            )
        return before, n

    # -- reset ------------------------------------------------------------------------------
    def reset(
        self, unit_ids: list[str] | None, item_prefixes: list[str], exercises: list[str]
    ) -> None:
        """Forget units (all when unit_ids is None), their quiz answers and submissions."""
        with self.transaction() as db:
            if unit_ids is None:
                for table in ("units", "answers", "submissions", "hints", "review"):
                    db.execute(f"DELETE FROM {table}")
                db.execute("DELETE FROM meta WHERE key LIKE 'skipped:%'")
                return
            for unit_id in unit_ids:
                db.execute("DELETE FROM units WHERE unit_id = ?", (unit_id,))
            for prefix in item_prefixes:
                db.execute("DELETE FROM answers WHERE item_id LIKE ?", (prefix + "/%",))
                db.execute("DELETE FROM review WHERE item_id LIKE ?", (prefix + "/%",))
            for ex in exercises:
                db.execute("DELETE FROM submissions WHERE exercise_id = ?", (ex,))
                db.execute("DELETE FROM hints WHERE exercise_id = ?", (ex,))
                db.execute("DELETE FROM meta WHERE key = ?", (f"skipped:exercise:{ex}",))
