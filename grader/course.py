"""Load a course directory (course.yaml, lessons/, quizzes/, exercises/) and validate it."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from grader.catalog import Course, Unit, bundled_course, course_root
from grader.errors import ContentError, Problem
from grader.exercises import ExerciseSpec, Text
from grader.quizzes import AnyItem, QuizFile, invalid
from grader.yamlsource import at, load_model

__all__ = ["Course", "CourseFile", "Unit", "bundled_course", "course_root", "load_course"]
LANGS = ("ja", "en")


class UnitSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    lesson: str | None = None
    quiz: str | None = None
    exercise: str | None = None

    @model_validator(mode="after")
    def _one(self) -> UnitSpec:
        given = [k for k in ("lesson", "quiz", "exercise") if getattr(self, k)]
        if len(given) != 1:
            raise invalid("content_one_unit_kind")
        return self


class CourseFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    schema_: Literal[1] = Field(alias="schema")
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: Text
    default_lang: Literal["ja", "en"] = "ja"
    tags: dict[str, Text] = Field(min_length=1)
    units: list[UnitSpec] = Field(min_length=1)


def _collect(problems: list[str], fn, *args):  # type: ignore[no-untyped-def]
    try:
        return fn(*args)
    except ContentError as e:
        problems.extend(e.problems)
        return None


def load_course(root: Path) -> Course:
    """Load every content file; raise one ContentError listing every problem found."""
    problems: list[str] = []
    spec = _collect(problems, load_model, CourseFile, root / "course.yaml", "course.yaml")
    if spec is None:
        raise ContentError(problems)
    units = [
        Unit(k, getattr(u, k))  # type: ignore[arg-type]
        for u in spec.units
        for k in ("lesson", "quiz", "exercise")
        if getattr(u, k)
    ]
    quizzes: dict[str, dict[str, QuizFile]] = {}
    exercises: dict[str, ExerciseSpec] = {}
    seen: set[str] = set()
    for n, unit in enumerate(units):
        where = f"units[{n}]"
        if unit.id in seen:
            problems.append(at("course.yaml", Problem("content_listed_twice", unit=unit.id), where))
        seen.add(unit.id)
        if unit.kind == "lesson":
            for lang in LANGS:
                path = root / "lessons" / lang / f"{unit.ref}.md"
                if not path.is_file():
                    missing = Problem("content_no_lesson", path=f"lessons/{lang}/{unit.ref}.md")
                    problems.append(at("course.yaml", missing, where))
        elif unit.kind == "quiz":
            quizzes[unit.ref] = {}
            for lang in LANGS:
                display = f"quizzes/{lang}/{unit.ref}.yaml"
                quiz = _collect(problems, load_model, QuizFile, root / display, display)
                if quiz is not None:
                    _check_quiz(quiz, unit.ref, lang, display, spec, problems)
                    quizzes[unit.ref][lang] = quiz
            _check_translations(quizzes[unit.ref], unit.ref, problems)
        else:
            display = f"exercises/{unit.ref}/exercise.yaml"
            ex = _collect(problems, load_model, ExerciseSpec, root / display, display)
            if ex is not None:
                if ex.id != unit.ref:
                    problems.append(at(display, Problem("content_id_folder", id=ex.id), "id"))
                files = ["starter.py", "reference.py"] + ([ex.given.model] if ex.given else [])
                for name in files:
                    if not (root / "exercises" / unit.ref / name).is_file():
                        where = f"exercises/{unit.ref}/{name}"
                        problems.append(at(where, Problem("content_file_not_found")))
                exercises[unit.ref] = ex
    if problems:
        raise ContentError(problems)
    data: dict[str, Any] = {
        "spec": _dump(spec),
        "quizzes": {ref: {lg: _dump(q) for lg, q in by.items()} for ref, by in quizzes.items()},
        "exercises": {ref: _dump(ex) for ref, ex in exercises.items()},
    }
    models = {"spec": spec, "quizzes": quizzes, "exercises": exercises}
    return Course(root, units, data, models)


def _dump(model: BaseModel) -> dict[str, Any]:
    return model.model_dump(mode="json", by_alias=True, exclude_defaults=False)


def _check_quiz(
    quiz: QuizFile, ref: str, lang: str, display: str, spec: CourseFile, problems: list[str]
) -> None:
    if quiz.lesson != ref:
        problems.append(at(display, Problem("content_lesson_file", lesson=quiz.lesson), "lesson"))
    if quiz.lang != lang:
        wrong = Problem("content_lang_folder", lang=quiz.lang, folder=lang)
        problems.append(at(display, wrong, "lang"))
    for i, item in enumerate(quiz.items):
        for tag in item.tags:
            if tag not in spec.tags:
                unknown = Problem("content_unknown_tag", tag=tag, tags=", ".join(spec.tags))
                problems.append(at(display, unknown, f"items[{i}].tags"))


def _signature(item: AnyItem) -> tuple[object, ...]:
    """What must agree between languages: type, tags and the answer key."""
    key: object
    if item.type in ("single", "multiple"):
        key = tuple(c.correct for c in item.choices)  # type: ignore[union-attr]
    elif item.type == "ordering":
        key = len(item.steps)  # type: ignore[union-attr]
    elif item.type in ("numeric", "truefalse"):
        key = item.answer  # type: ignore[union-attr]
    else:
        key = None
    return (item.type, tuple(item.tags), key)


def _check_translations(by_lang: dict[str, QuizFile], ref: str, problems: list[str]) -> None:
    if len(by_lang) != len(LANGS):
        return
    ja, en = by_lang["ja"], by_lang["en"]
    if [i.id for i in ja.items] != [i.id for i in en.items]:
        differ = Problem("content_ids_differ", other=f"quizzes/ja/{ref}.yaml")
        problems.append(at(f"quizzes/en/{ref}.yaml", differ, "items"))
        return
    for n, (a, b) in enumerate(zip(ja.items, en.items, strict=True)):
        if _signature(a) != _signature(b):
            differ = Problem("content_item_differs", item=b.id, other=f"quizzes/ja/{ref}.yaml")
            problems.append(at(f"quizzes/en/{ref}.yaml", differ, f"items[{n}]"))
