"""What a learner's code costs by itself, for the floors of bench/submit.py and bench/batch.py:
each entry point called once (once per probe), a returned model trained once and asked to
predict, in a process that has Keras imported already (no sandbox, no inspection, no files)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import keras

from grader.course import Course
from grader.datasets import Split
from grader.exercises import ExerciseSpec
from grader.jobs.harness import arguments


def given_model(course: Course, spec: ExerciseSpec, data: Split) -> Any:
    """The model the exercise hands over (the grader builds it once per exercise: not counted)."""
    if spec.given is None:
        return None
    ns: dict[str, Any] = {}
    path = course.exercise_dir(spec.id) / spec.given.model
    exec(compile(path.read_text(), str(path), "exec"), ns)  # noqa: S102 (course content)
    keras.utils.set_random_seed(spec.data.seed)
    model = ns["model"](data.x_train.shape[1:], spec.data.n_classes)
    if spec.given.train_epochs:
        model.fit(data.x_train, data.y_train, epochs=spec.given.train_epochs, verbose=0)
    return model


def work(source_path: str, spec: ExerciseSpec, data: Split, model: Any) -> None:
    ns: dict[str, Any] = {}
    keras.utils.set_random_seed(spec.data.seed)
    exec(compile(Path(source_path).read_text(), source_path, "exec"), ns)  # noqa: S102
    x, y = data.x_train, data.y_train
    given = arguments(x, y, spec.data.n_val, data.x_test) | {"model": model, "y_test": data.y_test}
    for entry in spec.entry_points:
        if entry.returns == "value" and spec.probes:
            for probe in spec.probes:
                ns[entry.name](*[probe.get(a, given.get(a)) for a in entry.args])
            continue
        out = ns[entry.name](*[given[a] for a in entry.args])
        if entry.returns == "model":
            out.fit(x, y, epochs=spec.data.epochs, batch_size=32, verbose=0)
            out.predict(data.x_test, verbose=0)
        elif entry.returns == "history":
            model.predict(data.x_test, verbose=0)
