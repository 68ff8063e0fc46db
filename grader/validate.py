"""`learn validate`: every problem in a course, each located (file:line: field: message)."""

from __future__ import annotations

from grader.course import course_root, load_course
from grader.errors import ContentError, Problem, UsageError
from grader.yamlsource import at


def validate_course(course_dir: str | None, *, grade: bool = False) -> list[str]:
    """Return the list of problems (empty when the course is sound)."""
    try:
        root = course_root(course_dir)
    except UsageError as e:
        return [Problem(e.key, **e.fields) if e.key else str(e)]
    try:
        course = load_course(root)
    except ContentError as e:
        return e.problems
    problems: list[str] = []
    for unit in course.units:
        if unit.kind == "exercise":
            ex = course.exercises[unit.ref]
            if not any(u.kind == "lesson" and u.ref == ex.lesson for u in course.units):
                unknown = Problem("content_unknown_lesson", lesson=ex.lesson)
                problems.append(at(f"exercises/{ex.id}/exercise.yaml", unknown, "lesson"))
    if grade and not problems:
        from grader.selfcheck import check_exercises

        problems.extend(check_exercises(course))
    return problems
