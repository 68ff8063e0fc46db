"""The scale-out path: the same grading on an existing Dask cluster; results come back to the
one gradebook writer (the caller)."""

from __future__ import annotations

import atexit
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from grader.course import Course, load_course

if TYPE_CHECKING:
    from grader.batch import Job
    from grader.gradebook import Row

_graders: dict[tuple[str, str, str, tuple[str, ...], int], Any] = {}
_lock = threading.Lock()


def _worker_grader(course_root: str, cache_dir: str, lang: str, hide: tuple[str, ...] = ()) -> Any:
    """One warm Grader per Dask worker thread, closed when the worker exits. `hide`: the paths
    the local path hides too (the class's submissions, the gradebook folder, the cache)."""
    from grader.grading import Grader

    key = (course_root, cache_dir, lang, hide, threading.get_ident())
    with _lock:
        if key not in _graders:
            course = load_course(Path(course_root))
            grader = Grader(course, Path(cache_dir), lang, hide=[Path(p) for p in hide])
            _graders[key] = grader
            atexit.register(grader.close)
        return _graders[key]


def grade_task(
    course_root: str, cache_dir: str, lang: str, job: Job, hide: tuple[str, ...] = ()
) -> Row:
    """Runs on a Dask worker: grade one submission with that worker's warm Grader."""
    from grader.batch import _row

    return _row(job, _worker_grader(course_root, cache_dir, lang, hide))


def grade_on_cluster(
    scheduler: str,
    course: Course,
    todo: list[Job],
    cache_dir: Path,
    lang: str,
    done: Callable[[Job, Row], None],
    hide: Sequence[Path] = (),
) -> None:
    from distributed import Client, as_completed

    from grader.batch import error_row, exception_reason

    hidden = tuple(str(p) for p in hide)
    with Client(scheduler) as client:
        futures = {
            client.submit(
                grade_task, str(course.root), str(cache_dir), lang, job, hidden, pure=False
            ): job
            for job in todo
        }
        try:
            for future in as_completed(list(futures)):
                job = futures[future]
                try:
                    row = future.result()
                except Exception as e:  # noqa: BLE001 (a lost worker fails one task, not the run)
                    row = error_row(job, course, exception_reason(e), 0.0)
                done(job, row)
        except KeyboardInterrupt:
            client.cancel(list(futures))
            raise


def close_worker_graders() -> None:
    with _lock:
        for grader in _graders.values():
            grader.close()
        _graders.clear()
