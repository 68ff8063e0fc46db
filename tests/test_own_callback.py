"""The probe curves for a callback of the learner's own class (grader/curves.py) and the driver
that runs a callback through them (grader/jobs/owncallback.py), outside the sandbox.

The curves must tell EarlyStopping's settings apart: Keras' own EarlyStopping with any setting
but the reference's (another patience, no restore, a min_delta, another monitor) leaves a trace
that differs on some curve, whatever the secret and the submission's hash; the same submission
always gets the same curves, and another submission other ones.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from grader import curves

slow = pytest.mark.slow  # imports Keras

KEYS = ["loss", "accuracy", "val_loss", "val_accuracy"]
REFERENCE = {
    "monitor": "val_loss",
    "mode": "min",
    "min_delta": -0.0,
    "patience": 3,
    "baseline": None,
    "restore_best_weights": True,
    "start_from_epoch": 0,
}
GIVEN = Path(__file__).resolve().parent.parent / "exercises" / "fit-validation" / "given.py"


def test_curves_are_deterministic_per_submission_and_secret() -> None:
    one = curves.draw(b"secret", "fit-validation", "aa", KEYS, "val_loss", 3)
    assert one == curves.draw(b"secret", "fit-validation", "aa", KEYS, "val_loss", 3)
    assert one != curves.draw(b"secret", "fit-validation", "ab", KEYS, "val_loss", 3)
    assert one != curves.draw(b"other", "fit-validation", "aa", KEYS, "val_loss", 3)
    assert [c["kind"] for c in one] == list(curves.KINDS)
    for c in one:
        lengths = {len(v) for v in c["logs"].values()}
        assert len(lengths) == 1 and lengths.pop() >= 3 + 8, c["kind"]
        assert set(c["logs"]) == set(KEYS)
        assert all(0 < v < 1 for v in c["logs"]["accuracy"])  # higher is better: mirrored


def test_plateau_and_tie_curves_repeat_their_best_value_exactly() -> None:
    drawn = {
        c["kind"]: c["logs"]["val_loss"] for c in curves.draw(b"s", "x", "d", KEYS, "val_loss", 3)
    }
    for kind in ("plateau", "tie"):
        values = drawn[kind]
        assert values.count(min(values)) >= 2, kind


@pytest.fixture(scope="module")
def stand_in(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    import keras

    folder = tmp_path_factory.mktemp("stand-in")
    namespace: dict[str, Any] = {}
    exec(compile(GIVEN.read_text(), str(GIVEN), "exec"), namespace)  # noqa: S102
    keras.utils.set_random_seed(1)
    namespace["model"]((12,), 4).save(folder / "given.keras")
    here = os.getcwd()
    os.chdir(folder)
    try:
        from grader.jobs import owncallback

        yield owncallback
    finally:
        os.chdir(here)


OTHER_SETTINGS = [
    {"patience": 2},
    {"patience": 4},
    {"patience": 5},
    {"patience": 0},
    {"restore_best_weights": False},
    {"min_delta": 0.001},
    {"monitor": "loss"},
    {"monitor": "val_accuracy", "mode": "max"},
    {"start_from_epoch": 2},
]


@slow
@pytest.mark.parametrize("digest", [f"digest-{i}" for i in range(8)])
def test_every_other_setting_is_told_apart(stand_in: Any, digest: str) -> None:
    drawn = curves.draw(digest.encode(), "fit-validation", digest, KEYS, "val_loss", 3)
    logs = [c["logs"] for c in drawn]
    want = stand_in.expected("EarlyStopping", REFERENCE, logs)
    assert all(t["error"] is None for t in want)
    assert stand_in.first_difference(want, want, drawn, REFERENCE) is None
    for change in OTHER_SETTINGS:
        got = stand_in.expected("EarlyStopping", REFERENCE | change, logs)
        assert stand_in.first_difference(got, want, drawn, REFERENCE) is not None, change


@slow
def test_a_subclass_with_the_settings_matches_and_an_off_by_one_does_not(stand_in: Any) -> None:
    import keras

    class Chatty(keras.callbacks.EarlyStopping):
        def on_epoch_end(self, epoch: int, logs: Any = None) -> None:
            super().on_epoch_end(epoch, logs)

    class Late(keras.callbacks.Callback):
        def on_train_begin(self, logs: Any = None) -> None:
            self.best, self.weights, self.wait = float("inf"), None, 0

        def on_epoch_end(self, epoch: int, logs: Any = None) -> None:
            if logs["val_loss"] < self.best:
                self.best, self.weights, self.wait = logs["val_loss"], self.model.get_weights(), 0
            else:
                self.wait += 1
                self.model.stop_training = self.wait > 3

        def on_train_end(self, logs: Any = None) -> None:
            self.model.set_weights(self.weights)

    drawn = curves.draw(b"s", "fit-validation", "d", KEYS, "val_loss", 3)
    logs = [c["logs"] for c in drawn]
    want = stand_in.expected("EarlyStopping", REFERENCE, logs)
    ok = Chatty(monitor="val_loss", patience=3, restore_best_weights=True)
    assert stand_in.first_difference(stand_in.drive(ok, logs, True), want, drawn, REFERENCE) is None
    late = stand_in.first_difference(stand_in.drive(Late(), logs, True), want, drawn, REFERENCE)
    assert late is not None and late["what"] == "stop" and late["got"] == late["want"] + 1


@slow
def test_an_endless_hook_is_stopped_and_reported(stand_in: Any) -> None:
    import keras

    class Endless(keras.callbacks.Callback):
        def on_epoch_end(self, epoch: int, logs: Any = None) -> None:
            while True:
                pass

    drawn = curves.draw(b"s", "fit-validation", "d", KEYS, "val_loss", 3)
    traces = stand_in.drive(Endless(), [c["logs"] for c in drawn], True, seconds=0.5)
    assert traces == [{"stopped": None, "weights": None, "error": "overtime"}]


@slow
def test_counting_a_repeat_as_better_is_told_on_a_plateau(stand_in: Any) -> None:
    import keras

    class Lenient(keras.callbacks.Callback):
        def on_train_begin(self, logs: Any = None) -> None:
            self.best, self.weights, self.wait = float("inf"), None, 0

        def on_epoch_end(self, epoch: int, logs: Any = None) -> None:
            if logs["val_loss"] <= self.best:  # a repeat counts: Keras' does not
                self.best, self.weights, self.wait = logs["val_loss"], self.model.get_weights(), 0
            else:
                self.wait += 1
                self.model.stop_training = self.wait >= 3

        def on_train_end(self, logs: Any = None) -> None:
            self.model.set_weights(self.weights)

    for digest in ("x", "y"):
        drawn = curves.draw(b"s", "fit-validation", digest, KEYS, "val_loss", 3)
        logs = [c["logs"] for c in drawn]
        want = stand_in.expected("EarlyStopping", REFERENCE, logs)
        found = stand_in.first_difference(
            stand_in.drive(Lenient(), logs, True), want, drawn, REFERENCE
        )
        assert found is not None and found["kind"] in ("plateau", "tie"), found


# -- the feedback, rendered on the scoring side from what the inspector reports -------------------
def _runs(own: dict[str, Any]) -> tuple[Any, Any]:
    from grader.facts import FitRun

    ref = FitRun.model_validate(
        {"callbacks": [{"class": "EarlyStopping", "keras": True, "run": True, "config": REFERENCE}]}
    )
    return FitRun.model_validate({"callbacks": [own]}), ref


BEHAVIOUR = {
    "as": "EarlyStopping",
    "config": REFERENCE,
    "curve": 0,
    "kind": "best_then_worse",
    "monitor": "val_loss",
    "epochs": 20,
    "best": 4,
}


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize(
    ("what", "shown"),
    [
        ({"what": "stop", "got": 6, "want": 7}, ["6", "7", "patience=3"]),
        ({"what": "stop", "got": None, "want": 7}, ["7"]),
        ({"what": "stop", "got": 9, "want": None}, ["9"]),
        ({"what": "weights", "got": 10, "want": 4}, ["10", "4", "restore_best_weights=True"]),
        ({"what": "weights", "got": 0, "want": 4}, ["4"]),
        ({"what": "weights", "got": None, "want": 4}, ["4"]),
        ({"what": "error", "error": "KeyError: 'val_loss'"}, ["KeyError: 'val_loss'"]),
        ({"what": "error", "error": "overtime"}, ["10"]),
        ({"what": "missing"}, []),
    ],
)
def test_every_difference_is_named(lang: str, what: dict[str, Any], shown: list[str]) -> None:
    from grader.kinds.fit import _callbacks_verdict

    own = {"class": "MyStop", "keras": False, "behaviour": BEHAVIOUR | what}
    ok, message = _callbacks_verdict(*_runs(own), lang)
    assert not ok
    assert "MyStop" in message and "EarlyStopping(monitor='val_loss'" in message, message
    for part in shown:
        assert part in message, message
    if what["what"] in ("stop", "weights"):
        assert "val_loss" in message and "4" in message  # the curve: its best epoch


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_a_subclass_and_a_match_are_named(lang: str) -> None:
    from grader.kinds.fit import _callbacks_verdict

    sub = {"class": "Sub", "bases": ["EarlyStopping"], "behaviour": BEHAVIOUR | {"what": "missing"}}
    ok, message = _callbacks_verdict(*_runs(sub), lang)
    assert not ok and "Sub" in message and "EarlyStopping" in message
    matched = {
        "class": "EarlyStopping",
        "keras": True,
        "run": True,
        "config": REFERENCE,
        "own_class": "MyStop",
    }
    ok, message = _callbacks_verdict(*_runs(matched), lang)
    assert ok and "MyStop" in message, message


def test_an_unknown_curve_kind_is_malformed() -> None:
    from pydantic import ValidationError

    from grader.facts import Behaviour

    Behaviour.model_validate(BEHAVIOUR | {"what": "missing"})
    with pytest.raises(ValidationError):
        Behaviour.model_validate(BEHAVIOUR | {"what": "missing", "kind": "__class__"})


CHECKPOINT = {
    "monitor": "val_loss",
    "mode": "min",
    "save_best_only": True,
    "save_weights_only": False,
    "save_freq": "epoch",
    "suffix": ".keras",
    "filepath": "path",
}


@slow
def test_an_own_checkpoint_is_judged_by_the_file_it_leaves(stand_in: Any) -> None:
    import keras

    class BestOnly(keras.callbacks.Callback):
        def __init__(self, path: str, every: bool = False) -> None:
            super().__init__()
            self.path, self.every = path, every

        def on_train_begin(self, logs: Any = None) -> None:
            self.best = float("inf")

        def on_epoch_end(self, epoch: int, logs: Any = None) -> None:
            if self.every or logs["val_loss"] < self.best:
                self.best = min(self.best, logs["val_loss"])
                self.model.save(self.path)

    drawn = curves.draw(b"s", "checkpoint", "d", KEYS, "val_loss", 3)[:4]
    logs = [c["logs"] for c in drawn]
    want = stand_in.expected("ModelCheckpoint", CHECKPOINT, logs)
    assert all(t["saved"] is not None for t in want), want
    path = "mine/best.keras"
    Path("mine").mkdir(exist_ok=True)
    got = stand_in.drive(BestOnly(path), logs, True, file=path)
    assert stand_in.first_difference(got, want, drawn, CHECKPOINT) is None
    every = stand_in.drive(BestOnly(path, every=True), logs, True, file=path)
    found = stand_in.first_difference(every, want, drawn, CHECKPOINT)
    assert found is not None and found["what"] == "saved" and found["got"] == found["epochs"]
    # and an EarlyStopping is not a checkpoint: it leaves no file
    stop = stand_in.expected("EarlyStopping", REFERENCE, logs)
    assert stand_in.first_difference(stop, want, drawn, CHECKPOINT) is not None
