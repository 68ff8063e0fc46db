"""End-to-end tests of grader.grading: real submissions graded in the real sandbox.

`tests/submissions/<exercise>/ok_*.py` are correct solutions written in different styles; each must
get full marks. `bad_*.py` are known learner mistakes; each must lose points, and a failed check
must name the mistake (the keyword in the table).
"""

from __future__ import annotations

import os
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from grader.course import load_course
from grader.errors import SandboxError
from grader.exercises import LimitSpec
from grader.grading import PRELOAD, Grader, GradeResult
from grader.sandbox import Sandbox

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parent.parent
SUBMISSIONS = Path(__file__).resolve().parent / "submissions"
# Cleanup kills every process of a sandbox's uid: keep clear of the default slot 0 (a learner or
# instructor may be grading on this machine) and of test_sandbox.py's slots (100 + pid % 800 ...).
FIRST_SLOT = 1000 + os.getpid() % 700


@pytest.fixture(scope="module")
def grader(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Grader]:
    """One warm grader for the whole module (TensorFlow is imported once, in the zygote)."""
    course = load_course(REPO)
    cache = tmp_path_factory.mktemp("grader-cache")
    sandbox = None
    for slot in range(FIRST_SLOT, FIRST_SLOT + 20):
        candidate = Sandbox(preload=PRELOAD, slot=slot)
        try:
            candidate.start()
        except SandboxError as exc:
            candidate.close()
            if "in use" not in str(exc):
                raise
            continue
        sandbox = candidate
        break
    assert sandbox is not None, "no free sandbox slot"
    g = Grader(course, cache, "en", sandbox=sandbox)
    try:
        yield g
    finally:
        g.close()
        sandbox.close()


_graded: dict[tuple[str, str], GradeResult] = {}


@pytest.fixture(scope="module")
def grade_file(grader: Grader) -> Callable[[str, str], GradeResult]:
    """Grade tests/submissions/<exercise>/<name> once; later tests reuse the result."""

    def grade(exercise: str, name: str) -> GradeResult:
        key = (exercise, name)
        if key not in _graded:
            _graded[key] = grader.grade(exercise, (SUBMISSIONS / exercise / name).read_bytes())
        return _graded[key]

    return grade


def describe(result: GradeResult) -> str:
    lines = [f"{result.exercise_id}: {result.score:g}/{result.max_score:g} {result.problems}"]
    lines += [f"  [{'x' if c.passed else ' '}] {c.id}: {c.message}" for c in result.checks]
    return "\n".join(lines)


# -- the table: one row per submission file --------------------------------------------------------
OK = True
BAD = False


ROWS = [
    # exercise, file, full marks?, keyword a failed check's message must contain
    ("compile-multiclass", "ok_strings.py", OK, None),
    ("compile-multiclass", "ok_tf_keras_objects.py", OK, None),
    ("compile-multiclass", "ok_loss_function_acc.py", OK, None),
    ("compile-multiclass", "ok_positional.py", OK, None),
    ("compile-multiclass", "ok_settings_dict.py", OK, None),
    ("compile-multiclass", "ok_sparse_accuracy_string.py", OK, None),
    ("compile-multiclass", "ok_loss_list.py", OK, None),
    ("compile-multiclass", "ok_own_loss_function.py", OK, None),
    ("compile-multiclass", "ok_own_loss_class.py", OK, None),
    ("compile-multiclass", "ok_lambda_loss.py", OK, None),
    ("compile-multiclass", "bad_own_mse_on_classes.py", BAD, "mse is a regression loss"),
    ("compile-multiclass", "bad_own_loss_other.py", BAD, "does not compute"),
    ("compile-multiclass", "bad_categorical_ce.py", BAD, "one-hot"),
    ("compile-multiclass", "bad_from_logits.py", BAD, "from_logits"),
    ("compile-multiclass", "bad_mse.py", BAD, "regression loss"),
    ("compile-multiclass", "bad_binary_ce.py", BAD, "two classes"),
    ("compile-multiclass", "bad_sgd.py", BAD, "SGD"),
    ("compile-multiclass", "bad_no_metric.py", BAD, "add the accuracy metric"),
    ("compile-multiclass", "bad_categorical_accuracy.py", BAD, "categorical_accuracy"),
    ("compile-multiclass", "bad_not_compiled.py", BAD, "not compiled"),
    ("compile-multiclass", "bad_exact_accuracy.py", BAD, "does not compute"),
    ("compile-multiclass", "bad_returns_none.py", BAD, "returned None"),
    ("binary-classifier", "ok_sequential_strings.py", OK, None),
    ("binary-classifier", "ok_functional_tf.py", OK, None),
    ("binary-classifier", "ok_subclassed.py", OK, None),
    ("binary-classifier", "ok_activation_layer.py", OK, None),
    ("binary-classifier", "ok_dropout_two_hidden.py", OK, None),
    ("binary-classifier", "ok_positional_compile.py", OK, None),
    ("binary-classifier", "ok_nested_head.py", OK, None),
    ("binary-classifier", "ok_ops_sigmoid.py", OK, None),
    ("binary-classifier", "ok_own_binary_ce.py", OK, None),
    ("binary-classifier", "ok_subclassed_own_loss.py", OK, None),  # both from exported graphs
    ("binary-classifier", "bad_two_softmax.py", BAD, "has 2 units"),
    ("binary-classifier", "bad_subclassed_no_sigmoid.py", BAD, "sigmoid"),
    ("binary-classifier", "bad_no_sigmoid.py", BAD, "sigmoid"),
    ("binary-classifier", "bad_sparse_ce.py", BAD, "one output unit per class"),
    ("binary-classifier", "bad_from_logits.py", BAD, "from_logits"),
    ("binary-classifier", "bad_mse.py", BAD, "regression loss"),
    ("binary-classifier", "bad_sgd.py", BAD, "SGD"),
    ("binary-classifier", "bad_no_metric.py", BAD, "add the accuracy metric"),
    ("binary-classifier", "bad_not_compiled.py", BAD, "not compiled"),
    ("binary-classifier", "bad_returns_none.py", BAD, "returned None"),
    ("regressor", "ok_sequential_mse.py", OK, None),
    ("regressor", "ok_functional_huber.py", OK, None),
    ("regressor", "ok_mae_linear.py", OK, None),
    ("regressor", "ok_subclassed.py", OK, None),
    ("regressor", "ok_loss_functions.py", OK, None),
    ("regressor", "ok_huber_positional.py", OK, None),
    ("regressor", "ok_mse_class.py", OK, None),
    ("regressor", "ok_activation_layer_linear.py", OK, None),
    ("regressor", "ok_own_mse.py", OK, None),
    ("regressor", "bad_sigmoid_output.py", BAD, "sigmoid squeezes"),
    ("regressor", "bad_relu_output.py", BAD, "relu cannot output negative"),
    ("regressor", "bad_subclassed_relu.py", BAD, "relu cannot output negative"),
    ("regressor", "bad_relu_layer.py", BAD, "relu cannot output negative"),
    ("regressor", "bad_binary_ce.py", BAD, "classification loss"),
    ("regressor", "bad_categorical_ce.py", BAD, "classification loss"),
    ("regressor", "bad_no_mae_metric.py", BAD, "add the mae metric"),
    ("regressor", "bad_two_outputs.py", BAD, "has 2 units"),
    ("regressor", "bad_not_compiled.py", BAD, "not compiled"),
    ("regressor", "bad_sgd.py", BAD, "the task asks for Adam"),
    ("fit-validation", "ok_callback_variable.py", OK, None),
    ("fit-validation", "ok_inline_tf.py", OK, None),
    ("fit-validation", "ok_positional.py", OK, None),
    ("fit-validation", "ok_manual_validation_data.py", OK, None),
    ("fit-validation", "ok_explicit_options.py", OK, None),
    ("fit-validation", "ok_model_history.py", OK, None),
    ("fit-validation", "ok_checkpoint_and_recompile.py", OK, None),
    ("fit-validation", "ok_logging_callbacks.py", OK, None),
    ("fit-validation", "ok_model_class_fit.py", OK, None),
    ("fit-validation", "bad_fit_eleven_times.py", BAD, "model.fit was called more than 10 times"),
    ("fit-validation", "ok_own_early_stopping.py", OK, None),
    ("fit-validation", "ok_subclass_early_stopping.py", OK, None),
    ("fit-validation", "bad_custom_callback.py", BAD, "StopWhenBored does not behave as"),
    ("fit-validation", "bad_own_no_restore.py", BAD, "ends with the weights of epoch"),
    ("fit-validation", "bad_own_patience_off_by_one.py", BAD, "stops it after epoch"),
    ("fit-validation", "bad_subclass_patience_5.py", BAD, "a subclass of EarlyStopping"),
    ("fit-validation", "bad_no_early_stopping.py", BAD, "no EarlyStopping"),
    ("fit-validation", "bad_monitor_loss.py", BAD, "monitors 'loss'"),
    ("fit-validation", "bad_no_restore.py", BAD, "restore_best_weights"),
    ("fit-validation", "bad_split_0_1.py", BAD, "validation share 10%"),
    ("fit-validation", "bad_patience_10.py", BAD, "patience is 10"),
    ("fit-validation", "bad_returns_model.py", BAD, "must return the History"),
    ("fit-validation", "bad_batch_64.py", BAD, "batch_size 64"),
    ("fit-validation", "bad_epochs_20.py", BAD, "epochs 20"),
    ("fit-validation", "bad_returns_none.py", BAD, "returned None"),
    ("fit-validation", "bad_first_fifth_validation.py", BAD, "not the last 20%"),
    ("evaluate-predict", "ok_reference_style.py", OK, None),
    ("evaluate-predict", "ok_method_argmax.py", OK, None),
    ("evaluate-predict", "ok_axis1_return_dict.py", OK, None),
    ("evaluate-predict", "ok_tf_argmax.py", OK, None),
    ("evaluate-predict", "ok_python_lists.py", OK, None),
    ("evaluate-predict", "ok_keras_ops.py", OK, None),
    ("evaluate-predict", "ok_numpy_scores.py", OK, None),
    ("evaluate-predict", "bad_argmax_axis0.py", BAD, "axis 0"),
    ("evaluate-predict", "bad_probabilities.py", BAD, "probabilities"),
    ("evaluate-predict", "bad_swapped.py", BAD, "swapped"),
    ("evaluate-predict", "bad_return_dict.py", BAD, "returned a dict"),
    ("evaluate-predict", "bad_scores_none.py", BAD, "returned None"),
    ("evaluate-predict", "bad_max_not_argmax.py", BAD, "fractions"),
    ("evaluate-predict", "bad_loss_only.py", BAD, "two numbers"),
    ("lr-schedule", "ok_keywords_tf_keras.py", OK, None),
    ("lr-schedule", "ok_positional.py", OK, None),
    ("lr-schedule", "ok_tf_staircase_false.py", OK, None),
    ("lr-schedule", "ok_from_imports.py", OK, None),
    ("lr-schedule", "ok_extra_adam_args.py", OK, None),
    ("lr-schedule", "ok_own_schedule_class.py", OK, None),
    ("lr-schedule", "bad_own_schedule_staircase.py", BAD, "staircase"),
    ("lr-schedule", "bad_staircase.py", BAD, "staircase"),
    ("lr-schedule", "bad_decay_rate_0_5.py", BAD, "lr at step 1000"),
    ("lr-schedule", "bad_decay_steps_100.py", BAD, "lr at step 1000"),
    ("lr-schedule", "bad_initial_0_1.py", BAD, "lr at step 0: 0.1 "),
    ("lr-schedule", "bad_inverse_time_decay.py", BAD, "lr at step 1000"),
    ("lr-schedule", "bad_constant_lr.py", BAD, "constant"),
    ("lr-schedule", "bad_sgd.py", BAD, "SGD"),
    ("lr-schedule", "bad_returns_schedule.py", BAD, "schedule itself"),
    ("lr-schedule", "bad_returns_none.py", BAD, "returned None"),
    ("compile-onehot", "ok_object_and_strings.py", OK, None),
    ("compile-onehot", "ok_tf_keras_objects.py", OK, None),
    ("compile-onehot", "ok_positional.py", OK, None),
    ("compile-onehot", "ok_settings_dict.py", OK, None),
    ("compile-onehot", "ok_explicit_defaults.py", OK, None),
    ("compile-onehot", "ok_compile_then_print.py", OK, None),
    ("compile-onehot", "bad_sparse_ce.py", BAD, "one-hot"),
    ("compile-onehot", "bad_adam_string.py", BAD, "learning_rate"),
    ("compile-onehot", "bad_learning_rate_0_005.py", BAD, "learning_rate"),
    ("compile-onehot", "bad_adam_class.py", BAD, "Could not interpret optimizer"),
    ("compile-onehot", "bad_sgd.py", BAD, "SGD"),
    ("compile-onehot", "bad_from_logits.py", BAD, "from_logits"),
    ("compile-onehot", "bad_binary_ce.py", BAD, "two classes"),
    ("compile-onehot", "bad_sparse_accuracy.py", BAD, "sparse_categorical_accuracy"),
    ("compile-onehot", "bad_no_metric.py", BAD, "add the accuracy metric"),
    ("compile-onehot", "bad_returns_none.py", BAD, "returned None"),
    ("fit-validation-data", "ok_keywords.py", OK, None),
    ("fit-validation-data", "ok_positional.py", OK, None),
    ("fit-validation-data", "ok_model_history.py", OK, None),
    ("fit-validation-data", "ok_options_dict.py", OK, None),
    ("fit-validation-data", "ok_best_epoch_from_history.py", OK, None),
    ("fit-validation-data", "ok_tf_keras_logger.py", OK, None),
    ("fit-validation-data", "ok_steps_in_variables.py", OK, None),
    ("fit-validation-data", "bad_validation_split.py", BAD, "validation_data"),
    ("fit-validation-data", "bad_no_validation.py", BAD, "no validation"),
    ("fit-validation-data", "bad_trains_on_val.py", BAD, "also training rows"),
    ("fit-validation-data", "bad_swapped_sets.py", BAD, "validation_data"),
    ("fit-validation-data", "bad_batch_32.py", BAD, "batch_size 32"),
    ("fit-validation-data", "bad_epochs_10.py", BAD, "epochs 10"),
    ("fit-validation-data", "bad_positional_swapped.py", BAD, "batch_size 20"),
    ("fit-validation-data", "bad_returns_model.py", BAD, "must return the History"),
    ("fit-validation-data", "bad_returns_none.py", BAD, "returned None"),
    ("fit-validation-data", "bad_reads_then_fits_again.py", BAD, "called 2 times"),
    ("checkpoint", "ok_callback_variables.py", OK, None),
    ("checkpoint", "ok_positional_filepath.py", OK, None),
    ("checkpoint", "ok_tf_keras.py", OK, None),
    ("checkpoint", "ok_explicit_settings.py", OK, None),
    ("checkpoint", "ok_model_history.py", OK, None),
    ("checkpoint", "ok_helper_function.py", OK, None),
    ("checkpoint", "ok_reports_stop_epoch.py", OK, None),
    ("checkpoint", "ok_own_early_stopping.py", OK, None),
    ("checkpoint", "ok_subclass_checkpoint.py", OK, None),
    ("checkpoint", "ok_own_checkpoint.py", OK, None),
    ("checkpoint", "bad_no_checkpoint.py", BAD, "no ModelCheckpoint"),
    ("checkpoint", "bad_own_checkpoint_every_epoch.py", BAD, "the file at path ends up holding"),
    ("checkpoint", "bad_no_save_best_only.py", BAD, "save_best_only"),
    ("checkpoint", "bad_checkpoint_monitor_loss.py", BAD, "monitors 'loss'"),
    ("checkpoint", "bad_own_file_name.py", BAD, "path"),
    ("checkpoint", "bad_weights_only.py", BAD, "save_weights_only"),
    ("checkpoint", "bad_no_early_stopping.py", BAD, "no EarlyStopping"),
    ("checkpoint", "bad_no_restore.py", BAD, "restore_best_weights"),
    ("checkpoint", "bad_patience_5.py", BAD, "patience is 5"),
    ("checkpoint", "bad_forged_checkpoint.py", BAD, "no ModelCheckpoint"),
    ("checkpoint", "bad_forged_record.py", BAD, "no ModelCheckpoint"),
    ("sgd-momentum", "ok_keywords.py", OK, None),
    ("sgd-momentum", "ok_positional.py", OK, None),
    ("sgd-momentum", "ok_tf_keras.py", OK, None),
    ("sgd-momentum", "ok_default_learning_rate.py", OK, None),
    ("sgd-momentum", "ok_module_constants.py", OK, None),
    ("sgd-momentum", "ok_get_by_name.py", OK, None),
    ("sgd-momentum", "bad_no_momentum.py", BAD, "momentum"),
    ("sgd-momentum", "bad_nesterov.py", BAD, "nesterov"),
    ("sgd-momentum", "bad_learning_rate_0_1.py", BAD, "learning_rate"),
    ("sgd-momentum", "bad_swapped_positional.py", BAD, "learning_rate"),
    ("sgd-momentum", "bad_momentum_0_09.py", BAD, "momentum"),
    ("sgd-momentum", "bad_adam.py", BAD, "SGD"),
    ("sgd-momentum", "bad_rmsprop_momentum.py", BAD, "SGD"),
    ("sgd-momentum", "bad_string.py", BAD, "got str"),
    ("sgd-momentum", "bad_class_not_instance.py", BAD, "class"),
    ("sgd-momentum", "bad_returns_none.py", BAD, "returned None"),
    ("early-stop-epoch", "ok_numpy.py", OK, None),
    ("early-stop-epoch", "ok_list_index.py", OK, None),
    ("early-stop-epoch", "ok_keras_callback.py", OK, None),
    ("early-stop-epoch", "ok_numpy_ints.py", OK, None),
    ("early-stop-epoch", "ok_enumerate_tuple.py", OK, None),
    ("early-stop-epoch", "bad_zero_based.py", BAD, "off by one"),
    ("early-stop-epoch", "bad_last_on_tie.py", BAD, "tie"),
    ("early-stop-epoch", "bad_equal_is_improvement.py", BAD, "the reference's gives"),
    ("early-stop-epoch", "bad_patience_off_by_one.py", BAD, "patience"),
    ("early-stop-epoch", "bad_best_plus_patience.py", BAD, "patience"),
    ("early-stop-epoch", "bad_monitors_loss.py", BAD, "val_loss"),
    ("early-stop-epoch", "bad_stopped_epoch_attribute.py", BAD, "the reference's gives"),
    ("early-stop-epoch", "bad_never_stops_none.py", BAD, "returned None"),
    ("early-stop-epoch", "bad_returns_value.py", BAD, "epoch"),
    ("early-stop-epoch", "bad_returns_string.py", BAD, "(str of dtype <U7)"),
    ("rnn-rmsprop", "ok_simplernn_strings.py", OK, None),
    ("rnn-rmsprop", "ok_lstm_functional.py", OK, None),
    ("rnn-rmsprop", "ok_gru_tf_keras.py", OK, None),
    ("rnn-rmsprop", "ok_stacked_return_sequences.py", OK, None),
    ("rnn-rmsprop", "ok_any_length_lr.py", OK, None),
    ("rnn-rmsprop", "ok_subclassed.py", OK, None),
    ("rnn-rmsprop", "ok_subclassed_lstm.py", OK, None),
    ("rnn-rmsprop", "bad_adam.py", BAD, "RMSprop"),
    ("rnn-rmsprop", "bad_dense_only.py", BAD, "no SimpleRNN / LSTM / GRU layer"),
    ("rnn-rmsprop", "bad_subclassed_dense_named_gru.py", BAD, "layer names do not count"),
    ("rnn-rmsprop", "bad_subclassed_own_cell.py", BAD, "does not have the shape of one"),
    ("rnn-rmsprop", "bad_relu_output.py", BAD, "sigmoid"),
    ("rnn-rmsprop", "bad_mse.py", BAD, "regression loss"),
    ("rnn-rmsprop", "bad_two_softmax.py", BAD, "has 2 units"),
    ("rnn-rmsprop", "bad_from_logits.py", BAD, "from_logits"),
    ("rnn-rmsprop", "bad_no_metric.py", BAD, "add the accuracy metric"),
    ("rnn-rmsprop", "bad_swapped_input_shape.py", BAD, "shape"),
    ("rnn-rmsprop", "bad_not_compiled.py", BAD, "not compiled"),
]


def _row_key(row: object) -> tuple[str, str]:
    values = row.values if hasattr(row, "values") else row  # pytest.param or plain tuple
    return values[0], values[1]  # type: ignore[index]


def _row_id(row: object) -> str:
    exercise, name = _row_key(row)
    return f"{exercise}/{name}"


@pytest.mark.parametrize(
    ("exercise", "name", "full", "keyword"),
    [r if hasattr(r, "values") else pytest.param(*r, id=_row_id(r)) for r in ROWS],
)
def test_submission(
    grader: Grader,
    grade_file: Callable[[str, str], GradeResult],
    exercise: str,
    name: str,
    full: bool,
    keyword: str | None,
) -> None:
    assert name.startswith("ok_" if full else "bad_")
    result = grade_file(exercise, name)
    shown = describe(result)
    assert result.max_score == 100, shown
    assert [c.id for c in result.checks] == [c.id for c in grader.course.exercise(exercise).checks]
    if full:
        assert result.full_marks, shown
        assert all(c.passed for c in result.checks), shown
        assert result.problems == [], shown
        return
    assert not result.full_marks, shown
    assert result.score < result.max_score, shown
    failed = [c.message for c in result.checks if not c.passed]
    assert keyword is not None
    assert any(keyword in m for m in failed), f"{keyword!r} in no failed check:\n{shown}"


@pytest.mark.parametrize(
    ("exercise", "name", "said"),
    [
        ("fit-validation", "bad_fit_eleven_times.py", "model.fit が 10 回を超えて呼び出されました"),
        ("early-stop-epoch", "bad_returns_string.py", "（str、dtype <U7）"),
    ],
)
def test_the_grader_s_own_limits_in_japanese(
    grader: Grader, exercise: str, name: str, said: str
) -> None:
    """A limit met in the learner's job is handed back as a catalogue key and said in the
    learner's language (the English text is the row's keyword above)."""
    ja = Grader(grader.course, grader.cache_dir, "ja", sandbox=grader.sandbox)
    result = ja.grade(exercise, (SUBMISSIONS / exercise / name).read_bytes())
    failed = [c.message for c in result.checks if not c.passed]
    assert failed and said in failed[0], describe(result)


def test_every_submission_file_is_in_the_table() -> None:
    on_disk = {(p.parent.name, p.name) for p in SUBMISSIONS.glob("*/*.py")}
    in_table = [_row_key(r) for r in ROWS]
    assert len(in_table) == len(set(in_table)), "a file is listed twice"
    assert on_disk == set(in_table)
    for exercise in {e for e, _ in on_disk}:
        names = [n for e, n in on_disk if e == exercise]
        assert sum(n.startswith("ok_") for n in names) >= 5, exercise
        assert sum(n.startswith("bad_") for n in names) >= 5, exercise


# -- feedback that must stay precise beyond a single row ----------------------------------
def test_wrong_initial_rate_costs_only_the_initial_check(
    grade_file: Callable[[str, str], GradeResult],
) -> None:
    result = grade_file("lr-schedule", "bad_initial_0_1.py")
    failed = [c.id for c in result.checks if not c.passed]
    assert failed == ["initial"], describe(result)


def test_restored_weights_are_not_blamed_for_a_wrong_split(
    grade_file: Callable[[str, str], GradeResult],
) -> None:
    result = grade_file("fit-validation", "bad_split_0_1.py")
    messages = [c.message for c in result.checks]
    assert not any("weights not restored" in m for m in messages), describe(result)


# -- determinism -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("exercise", "name"),
    [
        ("fit-validation", "ok_callback_variable.py"),
        ("regressor", "ok_sequential_mse.py"),
        ("binary-classifier", "ok_subclassed.py"),  # trained from its exported graph
        ("compile-multiclass", "ok_own_loss_function.py"),  # its loss probed from its graph
    ],
)
def test_grading_is_deterministic(
    grader: Grader, grade_file: Callable[[str, str], GradeResult], exercise: str, name: str
) -> None:
    first = grade_file(exercise, name)  # the table's grading, when it ran already
    second = grader.grade(exercise, (SUBMISSIONS / exercise / name).read_bytes())
    assert second is not first
    assert first.full_marks, describe(first)
    assert first.score == second.score
    assert [(c.id, c.passed, c.message) for c in first.checks] == [
        (c.id, c.passed, c.message) for c in second.checks
    ]
    assert first.learner_curve == second.learner_curve


# -- system failures: the submission never hands anything back -------------------------------------
def src(text: str) -> bytes:
    return textwrap.dedent(text).lstrip("\n").encode()


FAILURES = [
    pytest.param(
        "compile-multiclass",
        src(
            """
            def compile_model(model)
                return model
            """
        ),
        ("SyntaxError", "line 1"),
        id="syntax-error",
    ),
    pytest.param(
        "lr-schedule",
        src(
            """
            import keras_helpers_nobody_wrote


            def make_optimizer():
                return keras_helpers_nobody_wrote.adam()
            """
        ),
        ("could not be run", "No module named 'keras_helpers_nobody_wrote'", "line 1"),
        id="missing-module",
    ),
    pytest.param(
        "compile-multiclass",
        src(
            """
            def compile(model):
                model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
                return model
            """
        ),
        ("define a function named compile_model",),
        id="missing-entry-point",
    ),
    pytest.param(
        "evaluate-predict",
        src(
            """
            def predict_labels(model, x):
                return model.predict(x, verbose=0).argmax(-1)


            def scores(model, x, y):
                return model.evaluate(x, y, verbose=0)
            """
        ),
        ("define a function named test_scores",),
        id="missing-second-entry-point",
    ),
    pytest.param(
        "binary-classifier",
        src(
            """
            def build_model(input_dim):
                data = bytearray(20 * 1024**3)
                return data
            """
        ),
        ("memory",),
        id="memory-bomb",
    ),
    pytest.param(
        "regressor",
        src(
            """
            import keras


            def build_model(input_dim):
                model = keras.Sequential([keras.Input((input_dim,)), keras.layers.Dense(1)])
                raise ValueError("which loss should I use?")
                return model
            """
        ),
        ("build_model raised ValueError: which loss should I use?", "line 6"),
        id="exception",
    ),
    pytest.param(
        "compile-multiclass",
        src(
            """
            import sys


            def compile_model(model):
                sys.exit(0)
            """
        ),
        ("SystemExit", "line 5"),
        id="sys-exit-in-entry-point",
    ),
    pytest.param(
        "lr-schedule",
        src(
            """
            import sys

            sys.exit(0)
            """
        ),
        ("could not be run", "SystemExit"),
        id="sys-exit-at-import",
    ),
    pytest.param(
        "lr-schedule",
        src(
            """
            import os


            def make_optimizer():
                os._exit(0)
            """
        ),
        ("ended before reporting", "os._exit()"),
        id="os-exit-in-entry-point",
    ),
]


def assert_zero(result: GradeResult, keywords: tuple[str, ...]) -> None:
    shown = describe(result)
    assert result.score == 0, shown
    assert not any(c.passed for c in result.checks), shown
    first = result.checks[0].message
    for keyword in keywords:
        assert keyword in first, f"{keyword!r} not in the first check's message:\n{shown}"


@pytest.mark.parametrize(("exercise", "source", "keywords"), FAILURES)
def test_system_failure(
    grader: Grader, exercise: str, source: bytes, keywords: tuple[str, ...]
) -> None:
    result = grader.grade(exercise, source)
    if exercise == "evaluate-predict":  # two entry points: only the missing one fails
        shown = describe(result)
        assert result.score < result.max_score, shown
        assert keywords[0] in result.checks[1].message, shown
        return
    assert_zero(result, keywords)


def test_endless_loop_hits_the_time_limit(grader: Grader, monkeypatch: pytest.MonkeyPatch) -> None:
    exercise = "lr-schedule"
    spec = grader.course.exercise(exercise)
    grader.reference(spec)  # cached with the exercise's real limits
    fast = spec.model_copy(
        update={"limits": LimitSpec(wall_seconds=8, cpu_seconds=60, memory_mb=2048)}
    )
    monkeypatch.setitem(grader.course.exercises, exercise, fast)
    source = src(
        """
        def make_optimizer():
            while True:
                pass
        """
    )
    result = grader.grade(exercise, source)
    assert_zero(result, ("time limit of 8 s exceeded", "endless loop"))
    assert result.execution_time < 60
