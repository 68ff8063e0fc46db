"""The exercise part of `learn validate`: the reference scores full marks, the starter less."""

from __future__ import annotations

from grader.course import Course
from grader.errors import LearnError
from grader.recipes import RECIPES


def check_exercises(course: Course, cache_dir=None) -> list[str]:  # type: ignore[no-untyped-def]
    """Grade every exercise's reference and starter; report what does not hold."""
    import tempfile
    from pathlib import Path

    from grader.grading import Grader

    problems: list[str] = []
    for ex in course.exercises.values():
        where = f"exercises/{ex.id}/exercise.yaml"
        recipe = RECIPES.get(ex.task)
        if recipe is None:
            problems.append(
                f"{where}: task: unknown task {ex.task!r} (known: {', '.join(RECIPES)})"
            )
            continue
        ids = [c.id for c in ex.checks]
        if sorted(ids) != sorted(recipe.checks):
            problems.append(
                f"{where}: checks: ids {ids} do not match the task's checks {list(recipe.checks)}"
            )
        entry = {
            "compile-multiclass": ["compile_model"],
            "binary-classifier": ["build_model"],
            "regressor": ["build_model"],
            "fit-validation": ["train"],
            "evaluate-predict": ["predict_labels", "test_scores"],
            "lr-schedule": ["make_optimizer"],
        }[ex.task]
        if ex.entry_points != entry:
            problems.append(f"{where}: entry_points: {ex.entry_points} but the task calls {entry}")
    if problems:
        return problems
    with (
        tempfile.TemporaryDirectory() as tmp,
        Grader(course, Path(cache_dir or tmp), "en") as grader,
    ):
        for ex in course.exercises.values():
            folder = course.exercise_dir(ex.id)
            try:
                ref = grader.grade(ex.id, (folder / "reference.py").read_bytes())
                starter = grader.grade(ex.id, (folder / "starter.py").read_bytes())
            except LearnError as e:
                problems.append(str(e))
                continue
            if not ref.full_marks:
                failed = "; ".join(f"{c.id}: {c.message}" for c in ref.checks if not c.passed)
                problems.append(
                    f"exercises/{ex.id}/reference.py: scores {ref.score:g}/"
                    f"{ref.max_score:g}, not full marks ({failed})"
                )
            if starter.full_marks:
                problems.append(
                    f"exercises/{ex.id}/starter.py: the untouched starter already scores full marks"
                )
    return problems
