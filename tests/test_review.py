"""Spaced review (FSRS schedule in the progress store) and learner statistics."""

from __future__ import annotations

import json
import multiprocessing
import re
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from fsrs import Rating

from grader import review
from grader.cli import main
from grader.course import load_course
from grader.progress import MIGRATIONS, Store

REPO = Path(__file__).resolve().parent.parent
T0 = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)
LESSON = "training-basics"


@pytest.fixture(scope="module")
def course():
    return load_course(REPO)


@pytest.fixture
def item_ids(course) -> list[str]:
    return [i.id for i in course.quiz(LESSON, "en").items]


class Clock:
    def __init__(self, now: datetime = T0) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def open_store(path: Path, clock: Clock | None = None) -> Store:
    return review.install(Store(path, clock=clock or Clock()))


def answer(store: Store, item_id: str, correct: bool, items: list[str] | None = None) -> None:
    store.record_answer(item_id, "en", "x", correct, f"quiz:{LESSON}", items or [item_id])


def due_ids(store: Store, course, now: datetime) -> list[str]:
    return [d.item_id for d in review.due_items(store, course, "en", now).items]


def test_rating_for() -> None:
    assert review.rating_for(False, 1, False) == Rating.Again
    assert review.rating_for(True, 1, False) == Rating.Good
    assert review.rating_for(True, 3, False) == Rating.Hard
    assert review.rating_for(True, 1, True) == Rating.Hard


def test_wrong_answer_is_due_before_a_right_one(tmp_path: Path, course, item_ids) -> None:
    clock = Clock()
    store = open_store(tmp_path / "p.db", clock)
    right, wrong = item_ids[:2]
    answer(store, right, True, item_ids[:2])
    answer(store, wrong, False, item_ids[:2])
    card_right, card_wrong = review.card_of(store, right), review.card_of(store, wrong)
    assert card_right is not None and card_wrong is not None
    assert card_wrong.due < card_right.due
    assert due_ids(store, course, T0) == []
    assert due_ids(store, course, T0 + timedelta(minutes=5)) == [wrong]
    assert due_ids(store, course, T0 + timedelta(minutes=15)) == [wrong, right]


def test_due_counts_follow_the_clock_and_limit(tmp_path: Path, course, item_ids) -> None:
    clock = Clock()
    store = open_store(tmp_path / "p.db", clock)
    for n, item_id in enumerate(item_ids):
        answer(store, item_id, n % 2 == 0, item_ids)
    assert review.due_count(store, course, "en", T0) == 0
    odd = len(item_ids) // 2
    assert review.due_count(store, course, "en", T0 + timedelta(minutes=2)) == odd
    assert review.due_count(store, course, "en", T0 + timedelta(hours=1)) == len(item_ids)
    report = review.due_items(store, course, "en", T0 + timedelta(hours=1), limit=2)
    assert (len(report.items), report.total, report.notes) == (2, len(item_ids), [])
    # answering the due item right at a later time pushes it into the future
    clock.now = T0 + timedelta(hours=1)
    answer(store, item_ids[0], True, item_ids)
    assert review.due_count(store, course, "en", clock.now) == len(item_ids) - 1


def test_wrong_then_right_is_rated_hard(tmp_path: Path, item_ids) -> None:
    store = open_store(tmp_path / "p.db")
    answer(store, item_ids[0], False)
    answer(store, item_ids[0], True)
    answer(store, item_ids[1], True)
    hard, good = review.card_of(store, item_ids[0]), review.card_of(store, item_ids[1])
    assert hard is not None and good is not None
    assert hard.difficulty is not None and good.difficulty is not None
    assert hard.difficulty > good.difficulty


def test_items_of_unfinished_quizzes_are_not_due(tmp_path: Path, course, item_ids) -> None:
    store = open_store(tmp_path / "p.db")
    answer(store, item_ids[0], False, item_ids)  # the quiz is only started
    assert store.statuses()[f"quiz:{LESSON}"] == "started"
    assert review.due_count(store, course, "en", T0 + timedelta(days=1)) == 0


def test_schedule_survives_reopening(tmp_path: Path, course, item_ids) -> None:
    path = tmp_path / "p.db"
    store = open_store(path)
    answer(store, item_ids[0], True)
    answer(store, item_ids[1], False)
    before = {i: review.card_of(store, i) for i in item_ids[:2]}
    store.close()
    again = open_store(path)
    assert {i: review.card_of(again, i) for i in item_ids[:2]} == before
    assert review.due_count(again, course, "en", T0 + timedelta(minutes=5)) == 1


def test_two_stores_writing_alternately(tmp_path: Path, item_ids) -> None:
    path = tmp_path / "p.db"
    a, b = open_store(path, Clock()), open_store(path, Clock())
    last = T0
    for n in range(10):
        store = a if n % 2 == 0 else b
        last = T0 + timedelta(minutes=30 * n)
        store.clock.now = last  # type: ignore[attr-defined]
        answer(store, item_ids[0], n % 3 != 0)
    for store in (a, b):
        assert len(store.answers()) == 10
        card = review.card_of(store, item_ids[0])
        assert card is not None and card.last_review == last
    assert a.db.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def _worker(path: str, items: list[str], seed: int) -> None:
    store = review.install(Store(Path(path)))
    for n in range(20):
        store.record_answer(items[(n + seed) % len(items)], "en", "x", n % 2 == 0, "quiz:x", items)
    store.close()


def test_two_processes_answering_concurrently(tmp_path: Path, item_ids) -> None:
    path = tmp_path / "p.db"
    Store(path).close()  # create the schema first
    items = item_ids[:5]
    ctx = multiprocessing.get_context("fork")
    procs = [ctx.Process(target=_worker, args=(str(path), items, s)) for s in (0, 1)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
    assert [p.exitcode for p in procs] == [0, 0]
    db = sqlite3.connect(path)
    assert db.execute("SELECT COUNT(*) FROM answers").fetchone() == (40,)
    assert sorted(r[0] for r in db.execute("SELECT item_id FROM review")) == sorted(items)
    assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_item_removed_from_the_course_is_dropped(tmp_path: Path, course, item_ids) -> None:
    store = open_store(tmp_path / "p.db")
    answer(store, item_ids[0], False, item_ids[:1])
    review.schedule_answer(store, f"{LESSON}/gone-item", False, T0)
    later = T0 + timedelta(hours=1)
    report = review.due_items(store, course, "en", later)
    assert report.notes == [f"dropped {LESSON}/gone-item: no longer in the course"]
    assert [d.item_id for d in report.items] == [item_ids[0]]
    assert review.card_of(store, f"{LESSON}/gone-item") is None
    assert review.due_items(store, course, "en", later).notes == []


def test_older_schema_is_migrated_with_nothing_lost(tmp_path: Path, course, item_ids) -> None:
    path = tmp_path / "old.db"
    db = sqlite3.connect(path, isolation_level=None)
    for statement in MIGRATIONS[0].split(";"):
        if statement.strip():
            db.execute(statement)
    db.execute("PRAGMA user_version = 1")
    db.executemany(
        "INSERT INTO answers (item_id, lang, answer, correct, answered_at) VALUES (?, ?, ?, ?, ?)",
        [(i, "en", "x", 1, "2024-12-01T10:00:00+00:00") for i in item_ids[:3]],
    )
    db.execute("INSERT INTO units VALUES ('quiz:training-basics', 'started', '2024-12-01')")
    db.close()
    store = open_store(path)
    assert store.db.execute("PRAGMA user_version").fetchone() == (len(MIGRATIONS),)
    assert [a[0] for a in store.answers()] == item_ids[:3]
    assert store.statuses() == {"quiz:training-basics": "started"}
    assert store.db.execute("SELECT COUNT(*) FROM review").fetchone() == (0,)
    answer(store, item_ids[3], False)
    assert review.card_of(store, item_ids[3]) is not None


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    sqlite3.connect(path).execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
    with pytest.raises(Exception, match="written by a newer learn-keras"):
        Store(path)


# -- the commands ---------------------------------------------------------------------------


def learn(runner: CliRunner, *args: str, input: str | None = None):
    return runner.invoke(main, ["--lang", "en", *args], input=input, catch_exceptions=False)


def seed_past_answers(learn_env: Path, item_ids: list[str]) -> None:
    """Finish the first quiz two days ago: everything is due again now."""
    store = open_store(learn_env / "progress" / "keras-training.db", Clock(T0))
    store.clock.now = datetime.now(UTC) - timedelta(days=2)  # type: ignore[attr-defined]
    for n, item_id in enumerate(item_ids):
        answer(store, item_id, n != 1, item_ids)
    store.close()


def test_review_json(runner: CliRunner, learn_env: Path, item_ids) -> None:
    empty = json.loads(learn(runner, "review", "--json").output)
    assert empty["due"] == [] and empty["total"] == 0 and empty["notes"] == []
    seed_past_answers(learn_env, item_ids)
    data = json.loads(learn(runner, "review", "--json", "--limit", "3").output)
    assert sorted(data) == ["due", "notes", "now", "total"]
    assert data["total"] == len(item_ids)
    assert len(data["due"]) == 3
    assert sorted(data["due"][0]) == ["due", "item", "lesson"]
    assert data["due"][0]["item"] == item_ids[1]  # the wrong one is the most overdue
    assert {d["lesson"] for d in data["due"]} == {LESSON}


def test_review_text_and_answer_reschedules(runner: CliRunner, learn_env: Path, item_ids) -> None:
    assert learn(runner, "review").output == "Nothing to review right now.\n"
    seed_past_answers(learn_env, item_ids)
    out = learn(runner, "review", "--no-interactive", "--limit", "2").output
    second = sorted(i for i in item_ids if i != item_ids[1])[0]  # same due: by id
    assert out == (
        f"{len(item_ids)} item(s) due for review:\n"
        f"  {item_ids[1]}\n  {second}\n"
        f"... and {len(item_ids) - 2} more (use --limit)\n"
        "Answer with: learn answer ITEM ANSWER\n"
    )
    # `learn answer` goes through the hook: the item is no longer due
    learn(runner, "answer", "training-basics/validation-split", "20%")
    data = json.loads(learn(runner, "review", "--json").output)
    assert data["total"] == len(item_ids) - 1
    assert "training-basics/validation-split" not in [d["item"] for d in data["due"]]


def test_review_interactive(runner: CliRunner, learn_env: Path, item_ids) -> None:
    seed_past_answers(learn_env, item_ids)
    first = item_ids[1]  # a true/false item, answered wrong two days ago: the most overdue
    result = learn(runner, "review", "--interactive", "--limit", "1", input="Z\nfalse\n")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("[1/1] ")
    assert "Error: 'Z' is not true or false\n" in result.output
    assert "Correct!\n" in result.output
    assert result.output.endswith("Review finished: 1/1 right.\n")
    data = json.loads(learn(runner, "review", "--json").output)
    assert data["total"] == len(item_ids) - 1
    assert first not in [d["item"] for d in data["due"]]
    store = Store(learn_env / "progress" / "keras-training.db")
    assert [a[:3] for a in store.answers()][-1] == (first, "false", True)


def test_stats_json(runner: CliRunner, learn_env: Path, item_ids, course) -> None:
    empty = json.loads(learn(runner, "stats", "--json").output)
    assert empty == {
        "lang": "en",
        "answers": 0,
        "correct": 0,
        "accuracy": None,
        "lessons": [],
        "tags": [],
        "days": [],
        "exercises": [],
        "notes": [],
    }
    seed_past_answers(learn_env, item_ids)
    store = Store(learn_env / "progress" / "keras-training.db")
    store.record_submission("regressor", 40, 100, "h1", {})
    store.record_submission("regressor", 90, 100, "h2", {})
    store.record_answer(f"{LESSON}/gone-item", "en", "x", True, f"quiz:{LESSON}", [])
    store.close()
    data = json.loads(learn(runner, "stats", "--json").output)
    n = len(item_ids) + 1
    assert (data["answers"], data["correct"]) == (n, n - 1)
    assert data["lessons"] == [
        {"lesson": LESSON, "answers": n, "correct": n - 1, "accuracy": round((n - 1) / n, 3)}
    ]
    assert sorted(data["tags"][0]) == ["accuracy", "answers", "correct", "tag", "title"]
    assert {t["tag"] for t in data["tags"]} <= set(course.spec.tags)
    assert sum(d["answers"] for d in data["days"]) == n
    assert [sorted(d) for d in data["days"]] == [["accuracy", "answers", "correct", "date"]] * len(
        data["days"]
    )
    (ex,) = data["exercises"]
    assert {k: ex[k] for k in ("exercise", "attempts", "best", "max_score")} == {
        "exercise": "regressor",
        "attempts": 2,
        "best": 90,
        "max_score": 100,
    }
    assert data["notes"] == [
        f"{LESSON}/gone-item: no longer in the course (counted in its lesson only)"
    ]
    text = learn(runner, "stats").output
    assert f"Quiz answers: {n}, right: {n - 1}" in text
    assert "Accuracy per day (" in text and "regressor" in text


def test_stats_bar() -> None:
    from grader.stats import bar

    assert bar([0.0, 0.5, 1.0, None]) == "▁▅█ "


CHOICE_LINE = re.compile(r"^  [A-H]\) (.+)$", re.MULTILINE)


def test_each_review_session_shows_the_choices_in_a_new_order(
    runner: CliRunner, learn_env: Path, course, item_ids
) -> None:
    target = next(i.id for i in course.quiz(LESSON, "en").items if i.type == "single")
    store = open_store(learn_env / "progress" / "keras-training.db", Clock(T0))
    store.clock.now = datetime.now(UTC) - timedelta(days=2)  # type: ignore[attr-defined]
    for item_id in item_ids:
        answer(store, item_id, item_id != target, item_ids)  # the target is the most overdue
    orders = []
    for _ in range(4):  # four sessions, the item due again before each
        with store.transaction() as db:
            db.execute(
                "UPDATE review SET due = ? WHERE item_id = ?", ("2000-01-01T00:00:00", target)
            )
        out = learn(runner, "review", "--interactive", "--limit", "1", input="A\n").output
        assert out.startswith("[1/1] ")
        orders.append(CHOICE_LINE.findall(out))
    store.close()
    assert all(len(o) >= 3 for o in orders)
    assert all(sorted(o) == sorted(orders[0]) for o in orders)  # the same choices
    assert all(a != b for a, b in zip(orders, orders[1:], strict=False)), orders  # a new order
