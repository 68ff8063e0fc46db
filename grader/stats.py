"""Learner statistics: accuracy per lesson, per tag and per day, and exercise attempts."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.table import Table

from grader.messages import text

if TYPE_CHECKING:
    from grader.course import Course
    from grader.progress import Store

BLOCKS = "▁▂▃▄▅▆▇█"


def _row(answers: int, correct: int) -> dict[str, Any]:
    accuracy = round(correct / answers, 3) if answers else None
    return {"answers": answers, "correct": correct, "accuracy": accuracy}


def compute(store: Store, course: Course, lang: str) -> dict[str, Any]:
    """Everything `learn stats --json` prints, as one JSON-ready dict."""
    notes: list[str] = []
    item_tags: dict[str, list[str]] = {
        item.id: list(item.tags)
        for by_lang in course.quizzes.values()
        if lang in by_lang
        for item in by_lang[lang].items
    }
    lessons: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    tags: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    days: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    total = [0, 0]
    gone: set[str] = set()
    unknown_tags: set[str] = set()
    for item_id, _answer, correct, answered_at in store.answers():
        ok = int(correct)
        buckets = [total, lessons[item_id.split("/", 1)[0]], days[answered_at[:10]]]
        if item_id in item_tags:
            for tag in item_tags[item_id]:
                buckets.append(tags[tag])
                if tag not in course.spec.tags:
                    unknown_tags.add(tag)
        else:
            gone.add(item_id)
        for b in buckets:
            b[0] += 1
            b[1] += ok
    notes += [text(lang, "stats_gone", item=i) for i in sorted(gone)]
    notes += [text(lang, "stats_unknown_tag", tag=t) for t in sorted(unknown_tags)]

    exercises: dict[str, dict[str, Any]] = {}
    for a in store.attempts():
        e = exercises.setdefault(
            a.exercise_id,
            {"exercise": a.exercise_id, "attempts": 0, "best": None, "max_score": a.max_score},
        )
        e["attempts"] += 1
        if e["best"] is None or a.score > e["best"]:
            e["best"], e["max_score"] = a.score, a.max_score
        e["last"] = a.submitted_at

    def tag_title(tag: str) -> str:
        text = course.spec.tags.get(tag)
        return text.get(lang) if text is not None else tag

    return {
        "lang": lang,
        **_row(*total),
        "lessons": [{"lesson": k, **_row(*v)} for k, v in sorted(lessons.items())],
        "tags": [{"tag": k, "title": tag_title(k), **_row(*v)} for k, v in sorted(tags.items())],
        "days": [{"date": k, **_row(*v)} for k, v in sorted(days.items())],
        "exercises": [
            {k: e[k] for k in ("exercise", "attempts", "best", "max_score", "last")}
            for e in exercises.values()
        ],
        "notes": notes,
    }


def bar(values: list[float | None]) -> str:
    """One unicode block per value in [0, 1]; a blank for no data."""
    out = []
    for v in values:
        if v is None:
            out.append(" ")
        else:
            out.append(BLOCKS[min(int(v * len(BLOCKS)), len(BLOCKS) - 1)])
    return "".join(out)


def _pct(v: float | None) -> str:
    return "-" if v is None else f"{v:.0%}"


def render(out: Console, data: dict[str, Any], lang: str) -> None:
    if not data["answers"] and not data["exercises"]:
        out.print(text(lang, "stats_empty"), markup=False)
    if data["answers"]:
        out.print(
            text(
                lang,
                "stats_answers",
                answers=data["answers"],
                right=data["correct"],
                accuracy=_pct(data["accuracy"]),
            ),
            markup=False,
        )
        for title, key, rows, name in (
            ("stats_by_lesson", "lesson", data["lessons"], "lesson"),
            ("stats_by_tag", "tag", data["tags"], "title"),
        ):
            table = Table(title=text(lang, title))
            for col in (f"stats_{key}", "stats_answers_col", "stats_right", "stats_accuracy"):
                table.add_column(text(lang, col))
            table.add_column("")
            for r in rows:
                table.add_row(
                    r[name],
                    str(r["answers"]),
                    str(r["correct"]),
                    _pct(r["accuracy"]),
                    bar([r["accuracy"]]),
                )
            out.print(table)
        days = data["days"]
        out.print(
            text(
                lang,
                "stats_per_day",
                first=days[0]["date"],
                last=days[-1]["date"],
                bars=bar([d["accuracy"] for d in days]),
            ),
            markup=False,
        )
    if data["exercises"]:
        table = Table(title=text(lang, "stats_exercises"))
        for col in ("exercise", "attempts", "best"):
            table.add_column(text(lang, f"stats_{col}"))
        for e in data["exercises"]:
            table.add_row(e["exercise"], str(e["attempts"]), f"{e['best']:g}/{e['max_score']:g}")
        out.print(table)
    for note in data["notes"]:
        out.print(text(lang, "note", note=note), markup=False)
