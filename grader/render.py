"""Terminal presentation: lessons as rich Markdown, quiz items, status tables."""

from __future__ import annotations

import json

from rich.console import Console
from rich.markdown import Markdown
from rich.table import Table

from grader.learner import UnitStatus
from grader.messages import msg
from grader.quizzes import LABELS, Shown, Verdict


def console() -> Console:
    return Console(highlight=False, soft_wrap=False)


def lesson(out: Console, text: str) -> None:
    out.print(Markdown(text, code_theme="monokai"))


def item(out: Console, shown: Shown, lang: str, position: str = "") -> None:
    head = f"[{position}] " if position else ""
    out.print(f"{head}{shown.item.prompt.rstrip()}", markup=False)
    for i, option in enumerate(shown.options):
        out.print(f"  {LABELS[i]}) {option}", markup=False)
    out.print(msg(lang, f"answer_hint_{_hint_kind(shown)}"), markup=False)


def _hint_kind(shown: Shown) -> str:
    kind = shown.item.type
    return "choice" if kind == "single" else kind


def verdict(out: Console, v: Verdict, lang: str) -> None:
    head = msg(lang, "correct") if v.correct else msg(lang, "wrong")
    out.print(head, style="bold green" if v.correct else "bold red", markup=False)
    out.print(v.explanation.rstrip(), markup=False)


def verdict_json(v: Verdict) -> str:
    return json.dumps(
        {"item": v.item_id, "correct": v.correct, "answer": v.answer, "explanation": v.explanation},
        ensure_ascii=False,
    )


STATE_STYLE = {"done": "green", "started": "yellow", "new": "dim"}


def status_table(out: Console, rows: list[UnitStatus], title: str) -> None:
    table = Table(title=title)
    for col in ("unit", "title", "state", "detail"):
        table.add_column(col)
    for r in rows:
        table.add_row(r.unit.id, r.title, f"[{STATE_STYLE[r.state]}]{r.state}[/]", r.detail)
    out.print(table)


def status_json(rows: list[UnitStatus]) -> str:
    return json.dumps(
        [
            {
                "unit": r.unit.id,
                "kind": r.unit.kind,
                "title": r.title,
                "state": r.state,
                "detail": r.detail,
            }
            for r in rows
        ],
        ensure_ascii=False,
        indent=2,
    )
