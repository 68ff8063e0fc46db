"""Instructor batch grading: discover a class's submissions, grade them in parallel over warm
sandboxes (or a Dask cluster), commit each result to the gradebook as it completes."""

from __future__ import annotations

import contextlib
import re
import threading
import time
import zipfile
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path

from grader.course import Course
from grader.errors import LearnError, UsageError
from grader.gradebook import Gradebook, Row
from grader.grading import MAX_SOURCE_BYTES, Grader, content_hash
from grader.messages import text

STUDENT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


@dataclass(frozen=True)
class Job:
    student: str
    exercise: str
    source: bytes
    origin: str

    @property
    def key(self) -> tuple[str, str]:
        return (self.student, self.exercise)


@dataclass
class Found:
    jobs: list[Job] = field(default_factory=list)
    students: dict[str, str] = field(default_factory=dict)  # id -> where it came from
    problems: list[tuple[str, str]] = field(default_factory=list)  # (path, message)
    lang: str = "en"

    def problem(self, origin: str, key: str, **fields: object) -> None:
        self.problems.append((origin, text(self.lang, key, **fields)))


def _add_file(
    found: Found, student: str, name: str, data: bytes, origin: str, exercises: set[str]
) -> None:
    stem, dot, ext = name.rpartition(".")
    if not dot or ext != "py" or stem not in exercises:
        found.problem(origin, "batch_unknown_file")
        return
    if len(data) > MAX_SOURCE_BYTES:
        found.problem(origin, "batch_too_large", n=MAX_SOURCE_BYTES)
        return
    if b"\x00" in data:
        found.problem(origin, "batch_binary")
        return
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        found.problem(origin, "batch_not_utf8")
        return
    found.jobs.append(Job(student, stem, data, origin))


def _read_zip(found: Found, student: str, path: Path, exercises: set[str]) -> None:
    try:
        with zipfile.ZipFile(path) as zf:
            members = [m for m in zf.infolist() if not m.is_dir()]
            for m in members:
                parts = [p for p in m.filename.split("/") if p]
                if len(parts) == 2 and parts[0] == student:
                    parts = parts[1:]  # LMS exports often nest <student>/<file>
                origin = f"{path.name}:{m.filename}"
                if len(parts) != 1 or m.file_size > MAX_SOURCE_BYTES:
                    found.problem(origin, "batch_zip_entry")
                    continue
                _add_file(found, student, parts[0], zf.read(m), origin, exercises)
            if not members:
                found.problem(path.name, "batch_zip_empty")
    except (zipfile.BadZipFile, OSError) as e:
        found.problem(path.name, "batch_zip_unreadable", reason=e)


def discover(root: Path, exercises: set[str], lang: str = "en") -> Found:
    """Every (student, exercise) submission under root, and every problem found on the way."""
    if not root.is_dir():
        raise UsageError(key="err_submissions", root=root)
    found = Found(lang=lang)
    for entry in sorted(root.iterdir()):
        student = entry.stem if entry.suffix == ".zip" else entry.name
        if entry.is_file() and entry.suffix != ".zip":
            found.problem(entry.name, "batch_not_student")
            continue
        if not STUDENT_ID.match(student):
            found.problem(entry.name, "batch_student_id")
            continue
        if student in found.students:
            found.problem(
                entry.name, "batch_duplicate", student=student, used=found.students[student]
            )
            continue
        found.students[student] = entry.name
        before = len(found.jobs)
        if entry.is_dir():
            for f in sorted(entry.iterdir()):
                if f.is_file() and not f.is_symlink():
                    _add_file(
                        found, student, f.name, f.read_bytes(), f"{entry.name}/{f.name}", exercises
                    )
                else:
                    found.problem(f"{entry.name}/{f.name}", "batch_not_regular")
            if not any(entry.iterdir()):
                found.problem(entry.name, "batch_empty_folder")
        else:
            _read_zip(found, student, entry, exercises)
        if len(found.jobs) == before and entry.is_dir() and any(entry.iterdir()):
            found.problem(entry.name, "batch_nothing")
    return found


@dataclass
class Outcome:
    graded: int = 0
    skipped: int = 0
    errors: int = 0
    interrupted: bool = False
    seconds: float = 0.0


Progress = Callable[[Job, Row, int, int], None]


def error_row(job: Job, course: Course, reason: str, seconds: float) -> Row:
    """A submission that could not be graded: recorded with the reason, graded again next run."""
    return Row(
        job.student,
        job.exercise,
        content_hash(job.source),
        0.0,
        course.exercise(job.exercise).max_score,
        "error",
        reason,
        seconds,
        {"score": 0.0, "tests": [], "output": reason},
    )


def exception_reason(exc: BaseException) -> str:
    """An exception as one reason: a LearnError's own message, else its type and message."""
    try:
        text = str(exc) if isinstance(exc, LearnError) else f"{type(exc).__name__}: {exc}"
    except Exception:  # noqa: BLE001 (an exception whose str() fails)
        text = type(exc).__name__
    return text[:2000]


def _row(job: Job, grader: Grader) -> Row:
    started = time.monotonic()
    try:
        result = grader.grade(job.exercise, job.source)
    except Exception as e:  # noqa: BLE001 (one submission never stops the run; Ctrl-C still does)
        return error_row(job, grader.course, exception_reason(e), time.monotonic() - started)
    data = result.to_gradescope()
    failed = [t["output"] for t in data["tests"] if t["status"] == "failed"]
    status = "error" if result.unjudged else "failed" if result.failure else "graded"
    return Row(
        job.student,
        job.exercise,
        result.content_hash,
        result.score,
        result.max_score,
        status,
        result.failure or (failed[0] if failed else ""),
        time.monotonic() - started,
        data,
    )


def grade_class(
    course: Course,
    submissions: Path,
    book: Gradebook,
    cache_dir: Path,
    *,
    workers: int,
    regrade: bool = False,
    scheduler: str | None = None,
    lang: str = "en",
    progress: Progress | None = None,
) -> Outcome:
    """Grade what is missing or changed; commit each result as it completes."""
    found = discover(submissions, set(course.exercises), lang)
    book.register(
        found.students,
        {e.id: float(e.max_score) for e in course.exercises.values()},
        found.problems,
    )
    known = book.hashes()
    errors = {(r.student, r.exercise) for r in book.rows() if r.status == "error"}
    todo = [
        j
        for j in found.jobs
        if regrade or j.key in errors or known.get(j.key) != content_hash(j.source)
    ]
    outcome = Outcome(skipped=len(found.jobs) - len(todo))
    started = time.monotonic()

    def done(job: Job, row: Row) -> None:
        book.record(row)
        outcome.graded += 1
        outcome.errors += row.status == "error"
        if progress:
            progress(job, row, outcome.graded, len(todo))

    try:
        # Paths no job may see, besides the course's own (see Grader.hide).
        hide = [submissions.resolve(), book.path.resolve().parent, cache_dir.resolve()]
        if scheduler:
            from grader.distributed import grade_on_cluster

            grade_on_cluster(scheduler, course, todo, cache_dir, lang, done, hide)
        else:
            _grade_local(course, todo, cache_dir, lang, max(1, workers), done, hide)
    except KeyboardInterrupt:
        outcome.interrupted = True
    outcome.seconds = time.monotonic() - started
    return outcome


def _grade_local(
    course: Course,
    todo: list[Job],
    cache_dir: Path,
    lang: str,
    workers: int,
    done: Callable[[Job, Row], None],
    hide: list[Path],
) -> None:
    """N threads, each owning a warm Grader (its own zygote and uid); results come back here."""
    local = threading.local()
    graders: list[Grader] = []
    lock = threading.Lock()
    stop = threading.Event()

    def grader() -> Grader:
        if not hasattr(local, "grader"):
            local.grader = Grader(course, cache_dir, lang, hide=hide)
            with lock:
                graders.append(local.grader)
        g: Grader = local.grader
        return g

    def reference(exercise: str) -> None:
        grader().reference(course.exercise(exercise))

    def work(job: Job) -> Row | None:
        return None if stop.is_set() else _row(job, grader())

    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="grade")
    try:
        # References first, once per exercise, in parallel; then the submissions.
        needed = sorted({j.exercise for j in todo})
        for ref in [pool.submit(reference, e) for e in needed]:
            with contextlib.suppress(Exception):  # its submissions then record the error
                ref.result()
        # Longest first (by how long the exercise's reference took), so that no worker is left
        # with one long submission while the others have finished (bench/RESULTS.md, session 7).
        if graders:  # one of the workers' graders (each reads the same cache)
            cost = {e: graders[0].reference_seconds(course.exercise(e)) for e in needed}
            todo = sorted(todo, key=lambda j: -cost[j.exercise])
        pending: dict[Future[Row | None], Job] = {pool.submit(work, j): j for j in todo}
        while pending:
            finished, _ = wait(pending, timeout=0.5, return_when=FIRST_COMPLETED)
            for f in finished:
                job = pending.pop(f)
                row = f.result()
                if row is not None:
                    done(job, row)
    except KeyboardInterrupt:
        stop.set()  # in-flight submissions finish (seconds); queued ones are dropped
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        for g in graders:
            g.close()
