"""`learn grade`: the instructor's run, with a progress display, then the reports."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click

from grader.batch import Job, grade_class
from grader.course import course_root, load_course
from grader.errors import UsageError
from grader.gradebook import Gradebook, Row
from grader.reports import export


def export_only(out_dir: str) -> None:
    db = Path(out_dir) / "gradebook.db"
    if not db.is_file():
        raise UsageError(f"{db}: no gradebook here (run `learn grade SUBMISSIONS --out OUT`)")
    book = Gradebook(db)
    try:
        paths = export(book, Path(out_dir))
    finally:
        book.close()
    click.echo(f"Wrote {len(paths)} files under {out_dir}")


def run_grade(
    opts: dict[str, Any],
    submissions: str,
    out_dir: str,
    workers: int | None,
    regrade: bool,
    scheduler: str | None,
) -> int:
    course = load_course(course_root(opts.get("course")))
    out = Path(out_dir)
    book = Gradebook(out / "gradebook.db")
    lang = opts.get("lang") or "en"
    try:
        outcome = _with_progress(
            lambda progress: grade_class(
                course,
                Path(submissions),
                book,
                out / "cache",
                workers=workers or os.cpu_count() or 1,
                regrade=regrade,
                scheduler=scheduler,
                lang=lang,
                progress=progress,
            )
        )
        export(book, out)
    finally:
        book.close()
    click.echo(
        f"Graded {outcome.graded} submission(s) in {outcome.seconds:.1f} s "
        f"({outcome.skipped} unchanged, {outcome.errors} could not be graded). "
        f"Reports: {out / 'summary.md'}"
    )
    if outcome.interrupted:
        click.echo("Interrupted: run the same command again to grade what is missing.", err=True)
        return 130
    return 0


def _with_progress(run):  # type: ignore[no-untyped-def]
    if not sys.stdout.isatty():

        def plain(job: Job, row: Row, n: int, total: int) -> None:
            click.echo(
                f"[{n}/{total}] {job.student}/{job.exercise}: {row.score:g}/{row.max_score:g}"
            )

        return run(plain)
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    columns = (
        TextColumn("grading"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]}"),
        TimeRemainingColumn(),
    )
    with Progress(*columns) as bar:
        task = bar.add_task("grade", total=None, rate="")

        def fancy(job: Job, row: Row, n: int, total: int) -> None:
            elapsed = bar.tasks[0].elapsed or 1.0
            bar.update(task, completed=n, total=total, rate=f"{n / elapsed * 60:.1f}/min")

        return run(fancy)
