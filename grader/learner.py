"""The learner's course flow: what comes next, answering quiz items, status, reset, starters."""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass, replace
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from grader.catalog import Course, Unit, course_root, open_course, shared_cache_dir
from grader.errors import UsageError
from grader.messages import text
from grader.progress import Store
from grader.settings import Settings, learn_home, resolve

if TYPE_CHECKING:
    from grader.grading import GradeResult
    from grader.quizzes import Shown, Verdict
    from grader.sandbox import Sandbox


@dataclass(frozen=True)
class UnitStatus:
    unit: Unit
    title: str
    state: str  # "new" | "started" | "done"
    detail: str  # e.g. "7/12 answered, 6 right" or "best 70/100"


class Session:
    """One learner working through one course."""

    def __init__(self, course: Course, settings: Settings) -> None:
        self.course = course
        self.settings = settings

    @classmethod
    def open(cls, course_dir: str | None, lang: str | None, workspace: str | None) -> Session:
        root = course_root(course_dir)
        home = learn_home()
        own = [] if home.is_file() else [home / "cache"]
        course = open_course(root, [*own, shared_cache_dir()])
        return cls(course, resolve(lang, workspace, course.default_lang))

    @cached_property
    def store(self) -> Store:
        store = Store(self.settings.progress_db(self.course.id))
        store.on_answer = _schedule  # every answer also updates the review schedule
        return store

    @property
    def lang(self) -> str:
        return self.settings.lang

    # -- navigation -------------------------------------------------------------------------
    def next_unit(self) -> Unit | None:
        """The first unit not done; a started exercise counts unless it was skipped."""
        statuses = self.store.statuses()
        for unit in self.course.units:
            state = statuses.get(unit.id)
            if state == "done" or (state == "started" and self.skipped(unit)):
                continue
            return unit
        return None

    def started(self, unit: Unit) -> bool:
        return self.store.statuses().get(unit.id) == "started"

    def skipped(self, unit: Unit) -> bool:
        return self.store.meta(f"skipped:{unit.id}") is not None

    def skip(self, unit: Unit) -> None:
        """Move on from a started exercise; `learn start` comes back to it."""
        self.store.set_meta(f"skipped:{unit.id}", "1")

    def pending_exercises(self) -> list[str]:
        statuses = self.store.statuses()
        return [
            u.ref
            for u in self.course.units
            if u.kind == "exercise" and statuses.get(u.id) != "done"
        ]

    def title(self, unit: Unit) -> str:
        if unit.kind == "lesson":
            return self.course.lesson_title(unit.ref, self.lang)
        if unit.kind == "quiz":
            return self.course.quiz(unit.ref, self.lang).title
        return str(self.course.data["exercises"][unit.ref]["title"][self.lang])

    def instructions(self, exercise_id: str) -> str:
        self.course.check_exercise(exercise_id)
        return str(self.course.data["exercises"][exercise_id]["instructions"][self.lang])

    # -- lessons ----------------------------------------------------------------------------
    def lesson_text(self, lesson: str) -> str:
        unit = self.course.unit(f"lesson:{lesson}")
        return self.course.lesson_path(unit.ref, self.lang).read_text(encoding="utf-8")

    def finish_lesson(self, lesson: str) -> None:
        self.store.set_status(f"lesson:{lesson}", "done")

    # -- quizzes ----------------------------------------------------------------------------
    def quiz_items(self, lesson: str) -> list[Shown]:
        from grader.quizzes import show

        quiz = self.course.quiz(self.course.unit(f"quiz:{lesson}").ref, self.lang)
        learner = self.store.learner_id()
        return [show(item, learner) for item in quiz.items]

    def unanswered(self, lesson: str) -> list[Shown]:
        done = self.store.answered_items()
        return [s for s in self.quiz_items(lesson) if s.item.id not in done]

    def quiz_score(self, lesson: str) -> tuple[int, int]:
        """(right, total) over the whole quiz, by each item's latest answer."""
        ids = [i.id for i in self.course.quiz(lesson, self.lang).items]
        last = self.store.last_results()
        return sum(last.get(i, False) for i in ids), len(ids)

    def shown_item(self, item_id: str, review: bool = False) -> Shown:
        """The item as this learner sees it; in a review, in a new order each time."""
        from grader.quizzes import show

        item = self.course.item(item_id, self.lang)
        rounds = sum(1 for a in self.store.answers() if a[0] == item_id) if review else 0
        return show(item, self.store.learner_id(), rounds)

    def answer(self, item_id: str, answers: list[str], shown: Shown | None = None) -> Verdict:
        """Check and record one answer (nothing is stored when the answer is invalid)."""
        from grader.quizzes import check

        shown = shown or self.shown_item(item_id)
        verdict = check(shown, answers)
        lesson = item_id.split("/", 1)[0]
        items = [i.id for i in self.course.quiz(lesson, self.lang).items]
        self.store.record_answer(
            item_id, self.lang, verdict.answer, verdict.correct, f"quiz:{lesson}", items
        )
        return verdict

    # -- exercises --------------------------------------------------------------------------
    @property
    def workspace(self) -> Path:
        """The chosen workspace, else the one this learner's exercises were written to."""
        if self.settings.workspace_chosen:
            return self.settings.workspace
        saved = self.store.meta("workspace")
        return Path(saved) if saved else self.settings.workspace

    def workspace_file(self, exercise_id: str) -> Path:
        self.course.check_exercise(exercise_id)
        return self.workspace / f"{exercise_id}.py"

    def start_exercise(self, exercise_id: str, force: bool = False) -> tuple[Path, bool]:
        """Copy the starter into the workspace; never overwrite edits unless forced."""
        target = self.workspace_file(exercise_id)
        written = False
        if force or not target.exists():
            import shutil

            try:
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(self.course.exercise_dir(exercise_id) / "starter.py", target)
            except OSError as e:
                where = e.filename or target
                raise UsageError(key="err_workspace", path=where, reason=e.strerror) from None
            written = True
        self.store.set_meta("workspace", str(target.parent))
        self.store.set_meta(f"skipped:exercise:{exercise_id}", None)
        self.store.set_status(f"exercise:{exercise_id}", "started")
        return target, written

    def reveal_hint(self, exercise_id: str) -> tuple[list[str], bool]:
        """All hints revealed so far, and whether this call revealed a new one."""
        hints = self.course.exercise(exercise_id).hints.get(self.lang)
        before, after = self.store.reveal_hint(exercise_id, len(hints))
        return hints[:after], after > before

    def submission(self, exercise_id: str, file: str | None) -> tuple[Path, bytes]:
        """The file to grade and its bytes; every argument checked before any grading starts."""
        self.course.check_exercise(exercise_id)
        path = Path(file).absolute() if file else self.workspace_file(exercise_id)
        return path, read_submission(path)

    def submit(
        self, exercise_id: str, file: str | None, sandbox: Sandbox | None = None
    ) -> GradeResult:
        """Grade a file (default: the workspace copy) and record best and latest attempts."""
        path, source = self.submission(exercise_id, file)
        return self.grade(exercise_id, path, source, sandbox)

    def grade(
        self, exercise_id: str, path: Path, source: bytes, sandbox: Sandbox | None = None
    ) -> GradeResult:
        from grader.grading import Grader

        with Grader(self.course, self.settings.cache_dir, self.lang, sandbox) as grader:
            result = name_file(grader.grade(exercise_id, source), path)
        self.store.record_submission(
            exercise_id, result.score, result.max_score, result.content_hash, result.to_gradescope()
        )
        return result

    # -- overview ---------------------------------------------------------------------------
    def status(self) -> list[UnitStatus]:
        statuses = self.store.statuses()
        last = self.store.last_results()
        rows = []
        for unit in self.course.units:
            state = statuses.get(unit.id, "new")
            detail = ""
            if unit.kind == "quiz":
                ids = [i.id for i in self.course.quiz(unit.ref, self.lang).items]
                answered = [i for i in ids if i in last]
                right = sum(last[i] for i in answered)
                detail = text(
                    self.lang, "status_quiz", answered=len(answered), total=len(ids), right=right
                )
            elif unit.kind == "exercise":
                best, latest = self.store.best_and_latest(unit.ref)
                if best and latest:
                    detail = text(
                        self.lang,
                        "status_exercise",
                        best=f"{best.score:g}",
                        max=f"{best.max_score:g}",
                        latest=f"{latest.score:g}",
                    )
            rows.append(UnitStatus(unit, self.title(unit), state, detail))
        return rows

    def reset(self, name: str | None) -> list[str]:
        """Forget progress for one unit id or name (both lesson and quiz match a bare name)."""
        if name is None:
            self.store.reset(None, [], [])
            return [u.id for u in self.course.units]
        units = self.course.units_matching(name)
        quizzes = [u.ref for u in units if u.kind == "quiz"]
        exercises = [u.ref for u in units if u.kind == "exercise"]
        self.store.reset([u.id for u in units], quizzes, exercises)
        return [u.id for u in units]


def _schedule(db: sqlite3.Connection, item_id: str, correct: bool, now: datetime) -> None:
    from grader.review import schedule  # fsrs is imported only when an answer is recorded

    schedule(db, item_id, correct, now)


# The sandbox runs every file as submission.py; the learner knows it by its own name.
_SANDBOX_NAME = re.compile(r"(?<![\w./-])submission\.py\b")


def name_file(result: GradeResult, path: Path) -> GradeResult:
    """The result with the sandbox's file name replaced by the learner's path."""

    def sub(text: str) -> str:
        return _SANDBOX_NAME.sub(lambda _: str(path), text)

    return replace(
        result,
        checks=[replace(c, message=sub(c.message)) for c in result.checks],
        output=sub(result.output),
        problems=[sub(p) for p in result.problems],
        failure=sub(result.failure) if result.failure else result.failure,
    )


def read_submission(path: Path) -> bytes:
    """The learner's file, or a clear UsageError (exit 2: could not grade)."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise UsageError(key="err_no_file", path=path) from None
    except IsADirectoryError:
        raise UsageError(key="err_is_dir", path=path) from None
    except OSError as e:
        raise UsageError(key="err_unreadable", path=path, reason=e.strerror) from None
