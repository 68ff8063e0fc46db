"""Spaced review of quiz items with FSRS: every answer reschedules its item's card.

The schedule lives in the progress store's `review` table (one FSRS card per item, as JSON).
It is updated by `Store.on_answer`, inside the same transaction that records the answer, so an
answer and its schedule are never out of step. Light on purpose: no tensorflow, keras or numpy.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from fsrs import Card, Rating, Scheduler

from grader.messages import text

if TYPE_CHECKING:
    from grader.course import Course
    from grader.progress import Store

# Deterministic: the same answers at the same times always give the same schedule.
SCHEDULER = Scheduler(enable_fuzzing=False)


@dataclass(frozen=True)
class DueItem:
    item_id: str
    lesson: str
    due: str  # ISO 8601, UTC


@dataclass
class DueReport:
    items: list[DueItem]  # the first `limit` due items, most overdue first
    total: int  # how many are due in all
    notes: list[str] = field(default_factory=list)  # e.g. "dropped <id>: no longer in the course"


def _utc(when: datetime) -> datetime:
    if when.tzinfo is None:
        raise ValueError("review times must be timezone-aware")
    return when.astimezone(UTC)


def _iso(when: datetime) -> str:
    return _utc(when).isoformat(timespec="seconds")


def rating_for(correct: bool, tries: int, hinted: bool = False) -> Rating:
    """Wrong: Again. Right at the first try without help: Good. Right after retries or a hint: Hard."""
    if not correct:
        return Rating.Again
    if tries <= 1 and not hinted:
        return Rating.Good
    return Rating.Hard


def _tries(db: sqlite3.Connection, item_id: str) -> int:
    """1 + the wrong answers just before the latest (already recorded) answer to this item."""
    rows = db.execute(
        "SELECT correct FROM answers WHERE item_id = ? ORDER BY id DESC LIMIT 50", (item_id,)
    ).fetchall()
    tries = 1
    for (correct,) in rows[1:]:
        if correct:
            break
        tries += 1
    return tries


def schedule(
    db: sqlite3.Connection, item_id: str, correct: bool, now: datetime, tries: int | None = None
) -> Card:
    """Review the item's card (a new one on first sight) and write it back; the caller commits."""
    now = _utc(now)
    row = db.execute("SELECT card FROM review WHERE item_id = ?", (item_id,)).fetchone()
    if row:
        card = Card.from_dict(json.loads(row[0]))
    else:
        card = Card(card_id=int(now.timestamp() * 1000), due=now)
    if tries is None:
        tries = _tries(db, item_id)
    card, _log = SCHEDULER.review_card(card, rating_for(correct, tries), review_datetime=now)
    db.execute(
        "INSERT OR REPLACE INTO review (item_id, card, due, updated_at) VALUES (?, ?, ?, ?)",
        (item_id, json.dumps(card.to_dict()), _iso(card.due), _iso(now)),
    )
    return card


def schedule_answer(store: Store, item_id: str, correct: bool, now: datetime) -> Card:
    """Reschedule one item in its own transaction (answers normally go through the hook)."""
    with store.transaction() as db:
        return schedule(db, item_id, correct, now)


def install(store: Store) -> Store:
    """Make every `store.record_answer` also reschedule the item, in the same transaction."""
    store.on_answer = _on_answer
    return store


def _on_answer(db: sqlite3.Connection, item_id: str, correct: bool, now: datetime) -> None:
    schedule(db, item_id, correct, now)


def card_of(store: Store, item_id: str) -> Card | None:
    rows = store._query("SELECT card FROM review WHERE item_id = ?", (item_id,))
    return Card.from_dict(json.loads(rows[0][0])) if rows else None


def _course_items(course: Course, lang: str) -> dict[str, str]:
    """item id -> lesson, for every item of the course."""
    return {
        item.id: lesson
        for lesson, by_lang in course.quizzes.items()
        if lang in by_lang
        for item in by_lang[lang].items
    }


def due_items(
    store: Store, course: Course, lang: str, now: datetime, limit: int | None = None
) -> DueReport:
    """Items due by `now` from quizzes already done; items gone from the course are dropped."""
    known = _course_items(course, lang)
    statuses = store.statuses()
    rows = store._query("SELECT item_id, due FROM review ORDER BY due, item_id")
    gone = [item_id for item_id, _ in rows if item_id not in known]
    notes = [text(lang, "review_dropped", item=item_id) for item_id in gone]
    if gone:
        with store.transaction() as db:
            for item_id in gone:
                db.execute("DELETE FROM review WHERE item_id = ?", (item_id,))
    cutoff = _iso(now)
    due = [
        DueItem(item_id, known[item_id], when)
        for item_id, when in rows
        if item_id in known and when <= cutoff and statuses.get(f"quiz:{known[item_id]}") == "done"
    ]
    shown = due if limit is None else due[: max(limit, 0)]
    return DueReport(shown, len(due), notes)


def due_count(store: Store, course: Course, lang: str, now: datetime) -> int:
    """How many items are due (read-only: nothing is dropped)."""
    known = _course_items(course, lang)
    statuses = store.statuses()
    rows = store._query("SELECT item_id FROM review WHERE due <= ?", (_iso(now),))
    return sum(
        1
        for (item_id,) in rows
        if item_id in known and statuses.get(f"quiz:{known[item_id]}") == "done"
    )


def next_due(store: Store) -> str | None:
    rows = store._query("SELECT MIN(due) FROM review")
    return rows[0][0] if rows and rows[0][0] else None
