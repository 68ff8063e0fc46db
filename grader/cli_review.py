"""`learn review` (spaced review of quiz items) and `learn stats`; registered on the main group."""

from __future__ import annotations

import json
import sys

import click

from grader.clihelp import Command
from grader.messages import text


def _t(lang: str, key: str, **kw: object) -> str:
    return text(lang, f"review_{key}", **kw)


@click.command(cls=Command)
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print the due items as JSON.")
@click.option(
    "--interactive/--no-interactive",
    default=None,
    help="Ask the due items at a prompt (default: when stdin is a terminal).",
)
@click.pass_context
def review(ctx: click.Context, limit: int, as_json: bool, interactive: bool | None) -> None:
    """Review quiz items that are due again (spaced repetition)."""
    from grader import render
    from grader.cli import ask, session
    from grader.review import due_items, install, next_due

    s = session(ctx)
    store = install(s.store)
    now = store.clock()
    report = due_items(store, s.course, s.lang, now, limit)
    if as_json:
        data = {
            "now": now.isoformat(timespec="seconds"),
            "total": report.total,
            "due": [{"item": d.item_id, "lesson": d.lesson, "due": d.due} for d in report.items],
            "notes": report.notes,
        }
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    for note in report.notes:
        click.echo(text(s.lang, "note", note=note))
    if not report.items:
        click.echo(_t(s.lang, "none"))
        upcoming = next_due(store)
        if upcoming:
            click.echo(_t(s.lang, "next", due=upcoming))
        return
    if interactive is None:
        interactive = sys.stdin.isatty()
    if not interactive:
        click.echo(_t(s.lang, "due", total=report.total))
        for d in report.items:
            click.echo(f"  {d.item_id}")
        if report.total > len(report.items):
            click.echo(_t(s.lang, "more", n=report.total - len(report.items)))
        click.echo(_t(s.lang, "answer_with"))
        return
    out = render.console()
    right = 0
    for n, d in enumerate(report.items, start=1):
        shown = s.shown_item(d.item_id, review=True)  # a new order each review
        render.item(out, shown, s.lang, f"{n}/{len(report.items)}")
        verdict = ask(s, d.item_id, shown)
        render.verdict(out, verdict, s.lang)
        right += verdict.correct
        click.echo()
    click.echo(_t(s.lang, "done", right=right, total=len(report.items)))


@click.command(cls=Command)
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.pass_context
def stats(ctx: click.Context, as_json: bool) -> None:
    """Your accuracy per lesson, tag and day, and your exercise attempts."""
    from grader import render
    from grader import stats as stats_mod
    from grader.cli import session

    s = session(ctx)
    data = stats_mod.compute(s.store, s.course, s.lang)
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        stats_mod.render(render.console(), data, s.lang)


def register(group: click.Group) -> None:
    group.add_command(review)
    group.add_command(stats)
