"""`learn validate` on broken copies of the bundled course: every defect reported, located."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from grader.cli import main


def edit(rel: str, old: str, new: str) -> Callable[[Path], None]:
    def apply(root: Path) -> None:
        path = root / rel
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {rel}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    return apply


def remove(rel: str) -> Callable[[Path], None]:
    return lambda root: (root / rel).unlink()


DEFECTS = [
    (
        "malformed-yaml",
        edit("quizzes/en/training-basics.yaml", "items:", "items: [\n"),
        "quizzes/en/training-basics.yaml:",
    ),
    (
        "unknown-field",
        edit(
            "quizzes/ja/training-basics.yaml",
            "    type: single",
            "    type: single\n    colour: red",
        ),
        "quizzes/ja/training-basics.yaml:",
        "colour: Extra inputs are not permitted",
    ),
    (
        "no-correct-choice",
        edit("quizzes/en/losses-optimizers.yaml", "correct: true", "correct: false"),
        "quizzes/en/losses-optimizers.yaml:",
        "exactly one correct choice, found 0",
    ),
    (
        "missing-lesson",
        remove("lessons/en/training-basics.md"),
        "course.yaml: units[0]: lesson file lessons/en/training-basics.md is missing",
    ),
    (
        "unknown-tag",
        edit("quizzes/ja/losses-optimizers.yaml", "tags: [", "tags: [colours, "),
        "quizzes/ja/losses-optimizers.yaml: items[0].tags: unknown tag 'colours'",
    ),
    (
        "bad-schema-version",
        edit("course.yaml", "schema: 1", "schema: 9"),
        "course.yaml:1: schema: version 9 is newer than this release understands (1)",
    ),
    (
        "missing-reference",
        remove("exercises/regressor/reference.py"),
        "exercises/regressor/reference.py: file not found",
    ),
    (
        "exercise-negative-points",
        edit("exercises/regressor/exercise.yaml", "points: 10", "points: -1"),
        "exercises/regressor/exercise.yaml:",
        "checks[0].points: Input should be greater than 0",
    ),
    (
        "unknown-unit-kind",
        edit(
            "course.yaml",
            "  - lesson: training-basics",
            "  - lesson: training-basics\n  - video: intro",
        ),
        "course.yaml:",
        "units[1].video: Extra inputs are not permitted",
    ),
]


@pytest.mark.parametrize(
    ("name", "breaks", *["expected"]),
    [(d[0], d[1], d[2:]) for d in DEFECTS],
    ids=[d[0] for d in DEFECTS],
)
def test_each_defect_is_reported(name: str, breaks, expected, course_copy: Path) -> None:
    breaks(course_copy)
    result = CliRunner().invoke(main, ["validate", str(course_copy)])
    assert result.exit_code == 1
    for text in expected:
        assert text in result.output
    assert "Traceback" not in result.output
    assert result.output.rstrip().endswith("problem(s) found")


def test_several_defects_all_reported(course_copy: Path) -> None:
    for _, breaks, *_ in DEFECTS[1:5]:
        breaks(course_copy)
    result = CliRunner().invoke(main, ["validate", str(course_copy)])
    lines = result.output.splitlines()
    assert lines[-1] == f"Error: {len(lines) - 1} problem(s) found"
    assert len(lines) - 1 >= 4


def test_line_numbers_point_at_the_field(course_copy: Path) -> None:
    path = course_copy / "quizzes/en/training-basics.yaml"
    text = path.read_text(encoding="utf-8").replace("tolerance: 0\n", "tolerance: -1\n", 1)
    path.write_text(text, encoding="utf-8")
    line = next(n for n, t in enumerate(text.splitlines(), 1) if "tolerance: -1" in t)
    result = CliRunner().invoke(main, ["validate", str(course_copy)])
    assert f"quizzes/en/training-basics.yaml:{line}: items[" in result.output
    assert ".tolerance: Input should be greater than or equal to 0" in result.output


def test_bundled_course_is_valid() -> None:
    result = CliRunner().invoke(main, ["validate"])
    assert result.output == "course OK\n"
    assert result.exit_code == 0


def test_not_a_course(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["validate", str(tmp_path)])
    assert (
        result.output == f"{tmp_path}: not a course (no course.yaml)\nError: 1 problem(s) found\n"
    )


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "en",
            "quizzes/ja/training-basics.yaml:1: items[0].id 'other/workflow-order' must start "
            "with 'training-basics/'\n"
            "exercises/regressor/starter.py: file not found\n"
            "Error: 2 problem(s) found\n",
        ),
        (
            "ja",
            "quizzes/ja/training-basics.yaml:1：items[0].id 'other/workflow-order' は "
            "'training-basics/' で始まらなければなりません\n"
            "exercises/regressor/starter.py：ファイルがありません\n"
            "エラー：問題が 2 件見つかりました\n",
        ),
    ],
)
def test_problems_in_the_chosen_language(course_copy: Path, lang: str, expected: str) -> None:
    (course_copy / "exercises/regressor/starter.py").unlink()
    quiz = course_copy / "quizzes/ja/training-basics.yaml"
    quiz.write_text(
        quiz.read_text(encoding="utf-8").replace(
            "id: training-basics/workflow-order", "id: other/workflow-order", 1
        ),
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["validate", str(course_copy), "--no-grade", "--lang", lang])
    assert (result.output, result.exit_code) == (expected, 1)


def test_not_a_course_in_japanese(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["validate", str(tmp_path), "--lang", "ja"])
    assert result.output == (
        f"{tmp_path}：コースではありません（course.yaml がありません）\nエラー：問題が 1 件見つかりました\n"
    )


@pytest.mark.parametrize(
    ("listed", "missing_from"),
    [("schema", "registry"), ("registry", "schema")],
)
def test_check_kind_names_agree(listed: str, missing_from: str) -> None:
    """The schema's CheckKind names (what exercise.yaml may say) and the registry of judges
    (grader/kinds) are written twice: a kind in one and not the other fails here, not when an
    exercise first uses it."""
    from grader.exercises import CHECK_KINDS
    from grader.kinds import KINDS

    names = {"schema": set(CHECK_KINDS), "registry": set(KINDS)}
    assert names[listed] - names[missing_from] == set()
