"""Mutation testing of the checks (`learn validate`): classic mistakes planted in each reference."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from grader.course import load_course
from grader.mutants import mutants
from grader.selfcheck import check_exercises

REPO = Path(__file__).resolve().parent.parent

EXPECTED = [
    # exercise, mistakes its reference must give mutants for
    ("compile-multiclass", {"loss categorical_crossentropy", "from_logits=True", "no metric"}),
    ("binary-classifier", {"loss mse", "optimizer sgd", "output activation relu"}),
    ("regressor", {"loss binary_crossentropy", "output activation relu", "no metric"}),
    ("fit-validation", {"patience 10", "monitor 'loss'", "batch_size 64", "a callback dropped"}),
    ("evaluate-predict", {"returned values swapped", "argmax over axis 0"}),
    ("lr-schedule", {"staircase=True", "decay_rate 0.45", "optimizer SGD"}),
    ("compile-onehot", {"loss sparse_categorical_crossentropy", "learning_rate 0.005"}),
    ("checkpoint", {"save_best_only False", "a callback dropped", "monitor 'loss'"}),
    ("sgd-momentum", {"momentum 0.45", "learning_rate 0.1", "optimizer Adam"}),
    ("early-stop-epoch", {"counted from 0", "comparison wait >= patience changed"}),
    ("rnn-rmsprop", {"optimizer Adam", "loss mse", "output activation relu"}),
    ("fit-validation-data", {"batch_size 128", "epochs 4"}),
]


@pytest.mark.parametrize(("exercise", "labels"), EXPECTED, ids=[e for e, _ in EXPECTED])
def test_reference_gives_the_classic_mutants(exercise: str, labels: set[str]) -> None:
    source = (REPO / "exercises" / exercise / "reference.py").read_text()
    found = mutants(source)
    assert labels <= {m.label for m in found}
    for m in found:
        assert m.source != source, m.label
        compile(m.source, "reference.py", "exec")  # every mutant is valid Python


def test_a_mutant_names_its_line() -> None:
    source = "import keras\n\n\ndef f():\n    return keras.callbacks.EarlyStopping(patience=3)\n"
    (only,) = mutants(source)
    assert (only.label, only.line) == ("patience 10", 5)
    assert "patience=10" in only.source


@pytest.mark.slow
def test_bundled_checks_catch_every_mutant() -> None:
    course = load_course(REPO)
    assert (
        check_exercises(
            course,
            only={
                "compile-multiclass",
                "lr-schedule",
                "evaluate-predict",
                "compile-onehot",
                "sgd-momentum",
                "early-stop-epoch",
            },
        )
        == []
    )


@pytest.mark.slow
def test_a_blind_check_is_reported_with_file_and_line(tmp_path: Path) -> None:
    for part in ("course.yaml", "lessons", "quizzes", "exercises"):
        src = REPO / part
        (shutil.copytree if src.is_dir() else shutil.copyfile)(src, tmp_path / part)
    spec = tmp_path / "exercises" / "binary-classifier" / "exercise.yaml"
    spec.write_text(spec.read_text() + "accept: {loss: [mse]}\n")  # mse now counts as right
    problems = check_exercises(load_course(tmp_path), only={"binary-classifier"})
    assert (
        'exercises/binary-classifier/exercise.yaml: checks are blind to "loss mse" '
        "(mutant of reference.py:12)"
    ) in problems, problems
