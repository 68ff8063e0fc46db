"""What the progress store and the gradebook share: SQLite in WAL mode, versioned migrations and
BEGIN IMMEDIATE transactions whose errors become one clear StoreError."""

from __future__ import annotations

import sqlite3
from abc import ABC, abstractmethod
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from grader.errors import StoreError


class SqliteStore(ABC):
    path: Path
    db: sqlite3.Connection

    def _open(self, path: Path, migrations: list[str], timeout: float, *pragmas: str) -> None:
        """Connect (autocommit: transactions are explicit), WAL, foreign keys, then migrate."""
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise StoreError(key="err_folder", path=path.parent, reason=e.strerror) from None
        try:
            self.db = sqlite3.connect(
                path, timeout=timeout, isolation_level=None, check_same_thread=False
            )
            for pragma in ("journal_mode=WAL", "foreign_keys=ON", *pragmas):
                self.db.execute(f"PRAGMA {pragma}")
            self._migrate(migrations)
        except sqlite3.DatabaseError as e:
            raise self._error(e) from None

    @abstractmethod
    def _error(self, e: sqlite3.Error) -> StoreError:
        """The store's own wording for a locked or unreadable database."""

    def _migrate(self, migrations: list[str]) -> None:
        """Apply every migration after the stored user_version, all in one transaction (one
        sync to disk for a new database; a failure leaves the old version untouched)."""
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        if version > len(migrations):
            raise StoreError(key="err_db_newer", path=self.path, version=version)
        if version == len(migrations):
            return
        with self.transaction() as db:
            for n in range(version, len(migrations)):
                # executescript would COMMIT first; run statement by statement to stay atomic.
                for statement in migrations[n].split(";"):
                    if statement.strip():
                        db.execute(statement)
                db.execute(f"PRAGMA user_version = {n + 1}")

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE ... COMMIT; anything raised rolls the whole change back."""
        try:
            self.db.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as e:
            raise self._error(e) from None
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        try:
            self.db.execute("COMMIT")
        except sqlite3.Error as e:
            raise self._error(e) from None
