"""Terminal presentation: lessons as rich Markdown, quiz items, status tables."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from rich.console import Console
from rich.markdown import Markdown
from rich.markup import escape
from rich.table import Table

from grader.learner import UnitStatus

if TYPE_CHECKING:
    from grader.grading import GradeResult
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


BARS = "▁▂▃▄▅▆▇█"


def sparkline(values: list[float | None], lo: float, hi: float) -> str:
    span = (hi - lo) or 1.0
    return "".join(
        " " if v is None else BARS[min(7, max(0, int((v - lo) / span * 7.999)))] for v in values
    )


def grade_result(out: Console, result: GradeResult, lang: str) -> None:
    table = Table(title=result.exercise_id, expand=True)
    for col in ("check", "points", "", "message"):
        table.add_column(col)
    for c in result.checks:
        mark = "[green]PASS[/]" if c.passed else "[red]FAIL[/]"
        table.add_row(c.title, f"{c.score:g}/{c.max_score:g}", mark, escape(c.message))
    out.print(table)
    _curves(out, result, lang)
    if result.output.strip():
        out.print(msg(lang, "output"), markup=False)
        out.print(result.output.strip()[-1500:], markup=False)
    out.print(msg(lang, "total", score=result.score, max=result.max_score), markup=False)
    key = "full_marks" if result.full_marks else "not_full"
    out.print(msg(lang, key, ex=result.exercise_id), markup=False)


def _curves(out: Console, result: GradeResult, lang: str) -> None:
    mine, ref = result.learner_curve or {}, result.reference_curve or {}
    for key in ("loss", "val_loss"):
        if key not in mine or key not in ref:
            continue
        values = [v for v in mine[key] + ref[key] if v is not None]
        if not values:
            continue
        lo, hi = min(values), max(values)
        out.print(msg(lang, "curve", metric=key), markup=False)
        for who, series in (("you", mine[key]), ("ref", ref[key])):
            first, last = series[0], series[-1]
            out.print(
                f"  {who:>3} {sparkline(series, lo, hi)}  {first:.3f} → {last:.3f} "
                f"({len(series)} epochs)",
                markup=False,
            )
