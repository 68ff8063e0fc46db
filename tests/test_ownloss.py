"""A loss of the learner's own, in process: which losses count as the learner's own
(grader/jobs/ownloss.py), and what the inspector makes of the graph one traces to
(grader/jobs/lossprobe.py): the Keras loss it matches, none, or a refusal with its reason.
The end-to-end variants are rows of tests/test_grader.py and tests/hostile/."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

keras = pytest.importorskip("keras")
tf = pytest.importorskip("tensorflow")

from grader.jobs import lossprobe, ownloss  # noqa: E402 (after the skips)
from grader.jobs.exported import NotCheckable  # noqa: E402

ops = keras.ops


def own_ce(y_true: Any, y_pred: Any) -> Any:
    labels = ops.cast(ops.reshape(y_true, (-1,)), "int32")
    picked = ops.take_along_axis(y_pred, ops.expand_dims(labels, -1), axis=-1)
    return -ops.log(ops.clip(ops.squeeze(picked, -1), 1e-7, 1.0))


class OwnCE(keras.losses.Loss):
    def call(self, y_true: Any, y_pred: Any) -> Any:
        return own_ce(y_true, y_pred)


def _wrapped_own() -> Any:
    from keras.src.losses.losses import LossFunctionWrapper

    return LossFunctionWrapper(own_ce)


def _mse_running_own() -> Any:
    loss = keras.losses.MeanSquaredError()
    loss.fn = own_ce  # a Keras class, but it runs the learner's function
    return loss


KERAS_OWN: list[Callable[[], Any]] = [
    lambda: "sparse_categorical_crossentropy",
    lambda: keras.losses.sparse_categorical_crossentropy,
    lambda: keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    lambda: tf.keras.losses.MeanSquaredError(),
    lambda: [keras.losses.Huber()],
    lambda: {"out": "mse"},
    lambda: None,
]
LEARNERS: list[Callable[[], Any]] = [
    lambda: own_ce,
    lambda: lambda y, p: keras.losses.sparse_categorical_crossentropy(y, p),
    lambda: OwnCE(),
    _wrapped_own,
    _mse_running_own,
    lambda: [own_ce],
    lambda: {"out": OwnCE()},
]


class _Compiled:
    def __init__(self, loss: Any) -> None:
        self.loss = loss


@pytest.mark.parametrize("make", KERAS_OWN)
def test_keras_losses_are_not_the_learners(make: Callable[[], Any]) -> None:
    assert ownloss.own_loss(_Compiled(make())) is None


@pytest.mark.parametrize("make", LEARNERS)
def test_the_learners_losses_are_recognised(make: Callable[[], Any]) -> None:
    loss = make()
    assert ownloss.own_loss(_Compiled(loss)) is ownloss.single(loss)


# -- the inspector's side, on a tiny exercise: 3 classes, integer labels ------------------------
@pytest.fixture
def exercise(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.chdir(tmp_path)
    rng = np.random.default_rng(0)
    np.save("x_train.npy", rng.normal(size=(70, 4)).astype("float32"))
    np.save("y_train.npy", rng.integers(0, 3, 70))
    np.save("x_test.npy", rng.normal(size=(20, 4)).astype("float32"))
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, activation="softmax")])
    model.compile(optimizer="adam", loss=keras.losses.MeanSquaredError(name=ownloss.STANDIN))
    return model


def _judge(model: Any, loss: Any) -> tuple[Any, dict[str, Any]]:
    ownloss.export(loss, np.load("y_train.npy"), (3,), lossprobe.FOLDER)
    assert lossprobe.stands_in(model)
    return lossprobe.judge(model, "softmax", [1, 2])


def test_an_own_cross_entropy_is_keras_own(exercise: Any) -> None:
    loss, facts = _judge(exercise, OwnCE())
    assert facts["matched"] == "sparse_categorical_crossentropy"
    assert isinstance(loss, keras.losses.SparseCategoricalCrossentropy)
    assert facts["own"] == pytest.approx(facts["keras"]["sparse_categorical_crossentropy"])
    assert lossprobe.described(facts["matched"])["class_name"] == "SparseCategoricalCrossentropy"


def test_from_logits_is_told_apart(exercise: Any) -> None:
    def logits_ce(y: Any, p: Any) -> Any:
        return keras.losses.sparse_categorical_crossentropy(y, p, from_logits=True)

    _, facts = _judge(exercise, logits_ce)
    assert facts["matched"] == "sparse_categorical_crossentropy:from_logits"


def test_another_loss_is_trained_as_its_graph(exercise: Any) -> None:
    loss, facts = _judge(exercise, lambda y, p: -own_ce(y, p))
    assert facts["matched"] is None
    assert facts["own"] == pytest.approx(-facts["keras"]["sparse_categorical_crossentropy"])
    assert isinstance(loss, lossprobe.GraphLoss)
    assert lossprobe.described(None) == {"class_name": "OwnLoss", "config": {}}
    lossprobe.compile_with(exercise, exercise.get_compile_config(), loss)
    x, y = np.load("x_train.npy"), np.load("y_train.npy")
    history = exercise.fit(x, y, epochs=1, batch_size=32, verbose=0)
    assert np.isfinite(history.history["loss"][0])


def test_a_loss_right_only_off_the_batch_size_of_training_is_caught(exercise: Any) -> None:
    def sly(y: Any, p: Any) -> Any:
        return tf.cond(tf.shape(p)[0] == 32, lambda: 0.0 * own_ce(y, p), lambda: own_ce(y, p))

    _, facts = _judge(exercise, sly)
    assert facts["matched"] is None


@pytest.mark.parametrize(
    ("body", "key"),
    [
        (lambda y, p: own_ce(y, p) + tf.random.uniform(()), "inspect_own_loss_stateful"),
        (
            lambda y, p: (
                own_ce(y, p) + 0.0 * tf.cast(tf.strings.length(tf.io.read_file("x")), "float32")
            ),
            "inspect_own_loss_side_effects",
        ),
    ],
)
def test_a_graph_with_state_or_side_effects_is_refused(exercise: Any, body: Any, key: str) -> None:
    with pytest.raises(NotCheckable) as caught:
        _judge(exercise, body)
    assert caught.value.key == key


def test_no_graph_is_not_checkable(exercise: Any) -> None:
    with pytest.raises(NotCheckable) as caught:
        lossprobe.judge(exercise, "softmax", [1, 2])
    assert caught.value.key == "inspect_own_loss_no_graph"


def test_a_loss_that_stops_once_the_model_is_sure_is_caught(exercise: Any) -> None:
    def unsure_only(y: Any, p: Any) -> Any:
        return tf.where(tf.reduce_max(p, axis=-1) > 0.9999, 0.0 * own_ce(y, p), own_ce(y, p))

    _, facts = _judge(exercise, unsure_only)
    assert facts["matched"] is None
