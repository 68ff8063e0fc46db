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
from grader.messages import text
from grader.reports import export


def export_only(out_dir: str, lang: str) -> None:
    db = Path(out_dir) / "gradebook.db"
    if not db.is_file():
        raise UsageError(key="err_no_gradebook", db=db)
    book = Gradebook(db)
    try:
        paths = export(book, Path(out_dir), lang)
    finally:
        book.close()
    click.echo(text(lang, "grade_wrote", n=len(paths), out=out_dir))


def run_grade(
    opts: dict[str, Any],
    submissions: str,
    out_dir: str,
    workers: int | None,
    regrade: bool,
    scheduler: str | None,
    lang: str,
) -> int:
    if not scheduler:  # Keras' import in the sandboxes' template overlaps finding the class
        from grader.grading import PRELOAD
        from grader.sandbox import warm_template

        warm_template(PRELOAD)
    course = load_course(course_root(opts.get("course")))
    out = Path(out_dir)
    book = Gradebook(out / "gradebook.db")
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
            ),
            lang,
        )
        export(book, out, lang)
    finally:
        book.close()
    click.echo(
        text(
            lang,
            "grade_done",
            graded=outcome.graded,
            seconds=f"{outcome.seconds:.1f}",
            skipped=outcome.skipped,
            errors=outcome.errors,
            summary=out / "summary.md",
        )
    )
    if outcome.interrupted:
        click.echo(text(lang, "grade_interrupted"), err=True)
        return 130
    return 0


def _with_progress(run, lang: str):  # type: ignore[no-untyped-def]
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
        TextColumn(text(lang, "grade_progress")),
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
