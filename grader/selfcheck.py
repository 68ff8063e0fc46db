"""The exercise part of `learn validate`: the reference scores full marks, the starter less."""

from __future__ import annotations

from typing import Any

from grader.course import Course
from grader.errors import LearnError


def check_exercises(  # type: ignore[no-untyped-def]
    course: Course, cache_dir=None, only: set[str] | None = None, mutate: bool = True
) -> list[str]:
    """Grade every exercise's reference, starter and the reference's mutants (grader/mutants.py);
    report what does not hold: a reference below full marks, a starter at full marks, a mutant
    that keeps full marks (a blind check) or whose feedback does not name its mistake."""
    import tempfile
    from pathlib import Path

    from grader.grading import Grader

    problems: list[str] = []
    with (
        tempfile.TemporaryDirectory() as tmp,
        Grader(course, Path(cache_dir or tmp), "en") as grader,
    ):
        for ex in course.exercises.values():
            if only is not None and ex.id not in only:
                continue
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
            if mutate and ref.full_marks:
                source = (folder / "reference.py").read_text(encoding="utf-8")
                problems.extend(_check_mutants(grader, ex.id, source))
    return problems


def _check_mutants(grader: Any, exercise: str, source: str) -> list[str]:
    from grader.mutants import mutants

    where = f"exercises/{exercise}/exercise.yaml"
    problems = []
    for m in mutants(source):
        what = f'"{m.label}" (mutant of reference.py:{m.line})'
        result = grader.grade(exercise, m.source.encode())
        if result.full_marks:
            problems.append(f"{where}: checks are blind to {what}")
            continue
        failed = [c.message for c in result.checks if not c.passed]
        if not any(n.lower() in msg.lower() for msg in failed for n in m.names):
            shown = "; ".join(failed)[:300]
            problems.append(f"{where}: feedback does not name {what}: {shown}")
    return problems
