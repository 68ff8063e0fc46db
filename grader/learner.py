"""The learner's course flow: what comes next, answering quiz items, status, reset, starters."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from grader.course import Course, Unit, course_root, load_course
from grader.errors import UsageError
from grader.progress import Store
from grader.quizzes import AnyItem, Shown, Verdict, check, show
from grader.settings import Settings, resolve

if TYPE_CHECKING:
    from grader.grading import GradeResult
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
        course = load_course(root)
        return cls(course, resolve(lang, workspace, course.spec.default_lang))

    @cached_property
    def store(self) -> Store:
        from grader import review  # every answer also updates the review schedule

        return review.install(Store(self.settings.progress_db(self.course.id)))

    @property
    def lang(self) -> str:
        return self.settings.lang

    # -- navigation -------------------------------------------------------------------------
    def next_unit(self) -> Unit | None:
        """The first lesson or quiz not done, or exercise not yet started."""
        statuses = self.store.statuses()
        for unit in self.course.units:
            state = statuses.get(unit.id)
            if unit.kind == "exercise":
                if state is None:
                    return unit
            elif state != "done":
                return unit
        return None

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
        return self.course.exercise(unit.ref).title.get(self.lang)

    # -- lessons ----------------------------------------------------------------------------
    def lesson_text(self, lesson: str) -> str:
        unit = self.course.unit(f"lesson:{lesson}")
        return self.course.lesson_path(unit.ref, self.lang).read_text(encoding="utf-8")

    def finish_lesson(self, lesson: str) -> None:
        self.store.set_status(f"lesson:{lesson}", "done")

    # -- quizzes ----------------------------------------------------------------------------
    def quiz_items(self, lesson: str) -> list[Shown]:
        quiz = self.course.quiz(self.course.unit(f"quiz:{lesson}").ref, self.lang)
        learner = self.store.learner_id()
        return [show(item, learner) for item in quiz.items]

    def unanswered(self, lesson: str) -> list[Shown]:
        done = self.store.answered_items()
        return [s for s in self.quiz_items(lesson) if s.item.id not in done]

    def shown_item(self, item_id: str) -> Shown:
        item: AnyItem = self.course.item(item_id, self.lang)
        return show(item, self.store.learner_id())

    def answer(self, item_id: str, answers: list[str]) -> Verdict:
        """Check and record one answer (nothing is stored when the answer is invalid)."""
        shown = self.shown_item(item_id)
        verdict = check(shown, answers)
        lesson = item_id.split("/", 1)[0]
        items = [i.id for i in self.course.quiz(lesson, self.lang).items]
        self.store.record_answer(
            item_id, self.lang, verdict.answer, verdict.correct, f"quiz:{lesson}", items
        )
        return verdict

    # -- exercises --------------------------------------------------------------------------
    def workspace_file(self, exercise_id: str) -> Path:
        self.course.exercise(exercise_id)
        return self.settings.workspace / f"{exercise_id}.py"

    def start_exercise(self, exercise_id: str, force: bool = False) -> tuple[Path, bool]:
        """Copy the starter into the workspace; never overwrite edits unless forced."""
        target = self.workspace_file(exercise_id)
        written = False
        if force or not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(self.course.exercise_dir(exercise_id) / "starter.py", target)
            written = True
        self.store.set_status(f"exercise:{exercise_id}", "started")
        return target, written

    def reveal_hint(self, exercise_id: str) -> tuple[list[str], bool]:
        """All hints revealed so far, and whether this call revealed a new one."""
        hints = self.course.exercise(exercise_id).hints.get(self.lang)
        before, after = self.store.reveal_hint(exercise_id, len(hints))
        return hints[:after], after > before

    def submit(
        self, exercise_id: str, file: str | None, sandbox: Sandbox | None = None
    ) -> GradeResult:
        """Grade a file (default: the workspace copy) and record best and latest attempts."""
        from grader.grading import Grader

        self.course.exercise(exercise_id)
        path = Path(file) if file else self.workspace_file(exercise_id)
        source = read_submission(path)
        with Grader(self.course, self.settings.cache_dir, self.lang, sandbox) as grader:
            result = grader.grade(exercise_id, source)
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
                detail = f"{len(answered)}/{len(ids)} answered, {right} right"
            elif unit.kind == "exercise":
                best, latest = self.store.best_and_latest(unit.ref)
                if best and latest:
                    detail = f"best {best.score:g}/{best.max_score:g}, latest {latest.score:g}"
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


def read_submission(path: Path) -> bytes:
    """The learner's file, or a clear UsageError (exit 2: could not grade)."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise UsageError(
            f"{path}: no such file (run `learn start` first, or name the file)"
        ) from None
    except IsADirectoryError:
        raise UsageError(f"{path}: is a directory, not a Python file") from None
    except OSError as e:
        raise UsageError(f"{path}: cannot be read ({e.strerror})") from None
