"""Answer checking for every item type: one row per case."""

from __future__ import annotations

import pytest

from grader.errors import UsageError
from grader.quizzes import (
    Choice,
    MultipleItem,
    NumericItem,
    OrderingItem,
    ShortItem,
    SingleItem,
    TrueFalseItem,
    check,
    show,
)

BASE = {"tags": ["fit-arguments"], "prompt": "q", "explanation": "general"}
SINGLE = SingleItem(
    id="l/single",
    type="single",
    **BASE,
    choices=[
        Choice(text="2%", explanation="too small"),
        Choice(text="20%", correct=True, explanation="yes"),
        Choice(text="80%", explanation="that is training"),
    ],
)
MULTI = MultipleItem(
    id="l/multi",
    type="multiple",
    **BASE,
    choices=[
        Choice(text="adam", correct=True, explanation="an optimizer"),
        Choice(text="sgd", correct=True, explanation="an optimizer"),
        Choice(text="mse", explanation="a loss, not an optimizer"),
    ],
)
NUMERIC = NumericItem(
    id="l/num",
    type="numeric",
    **BASE,
    answer=0.0081,
    tolerance=0.00001,
    mistakes=[{"value": 0.009, "explanation": "decayed once only"}],
)
ORDER = OrderingItem(id="l/order", type="ordering", **BASE, steps=["compile", "fit", "evaluate"])
TF = TrueFalseItem(id="l/tf", type="truefalse", **BASE, answer=False)
SHORT = ShortItem(
    id="l/short",
    type="short",
    **BASE,
    accept=["sparse_categorical_crossentropy", "SparseCategoricalCrossentropy"],
    mistakes=[{"answer": "categorical_crossentropy", "explanation": "one-hot"}],
)


def label_of(item, text: str, learner: str = "me") -> str:
    shown = show(item, learner)
    return "ABCDEFGH"[shown.options.index(text)]


@pytest.mark.parametrize(
    ("item", "answer", "correct", "explains"),
    [
        (SINGLE, ["20%"], True, "yes"),
        (SINGLE, ["2%"], False, "too small"),
        (SINGLE, [" 80% "], False, "that is training"),
        (MULTI, ["adam", "sgd"], True, "general"),
        (MULTI, ["adam"], False, "an optimizer"),
        (MULTI, ["adam,sgd,mse"], False, "a loss, not an optimizer"),
        (NUMERIC, ["0.0081"], True, "general"),
        (NUMERIC, ["8.1e-3"], True, "general"),
        (NUMERIC, ["０．００８１"], True, "general"),
        (NUMERIC, ["0.009"], False, "decayed once only"),
        (ORDER, ["compile", "fit", "evaluate"], True, "general"),
        (ORDER, ["fit", "compile", "evaluate"], False, "general"),
        (TF, ["false"], True, "general"),
        (TF, ["いいえ"], True, "general"),
        (TF, ["yes"], False, "general"),
        (SHORT, ["SparseCategoricalCrossentropy"], True, "general"),
        (SHORT, ["'sparse_categorical_crossentropy'"], True, "general"),
        (SHORT, ["categorical_crossentropy"], False, "one-hot"),
    ],
    ids=lambda v: v.id if hasattr(v, "id") else None,
)
def test_check_by_text(item, answer, correct, explains) -> None:
    verdict = check(show(item, "me"), answer)
    assert verdict.correct is correct
    assert explains in verdict.explanation


def test_labels_follow_the_learners_shuffle() -> None:
    label = label_of(SINGLE, "20%")
    assert check(show(SINGLE, "me"), [label]).correct
    assert check(show(SINGLE, "me"), [label.lower()]).correct


def test_multiple_by_joined_labels() -> None:
    labels = label_of(MULTI, "adam") + label_of(MULTI, "sgd")
    assert check(show(MULTI, "me"), [labels]).correct


def test_ordering_by_labels() -> None:
    labels = [label_of(ORDER, s) for s in ("compile", "fit", "evaluate")]
    assert check(show(ORDER, "me"), labels).correct


@pytest.mark.parametrize("learner", [f"learner-{n}" for n in range(20)])
def test_shuffle_is_stable_and_never_presolves_ordering(learner: str) -> None:
    assert show(SINGLE, learner) == show(SINGLE, learner)
    assert list(show(ORDER, learner).options) != ORDER.steps


def test_answer_key_is_not_positional() -> None:
    positions = {show(SINGLE, f"l{n}").options.index("20%") for n in range(30)}
    assert len(positions) > 1


@pytest.mark.parametrize(
    ("item", "answer", "message"),
    [
        (SINGLE, ["E"], "'E' is not one of the choices A-C"),
        (SINGLE, ["42%"], "'42%' is not one of the choices A-C"),
        (SINGLE, ["A", "B"], "this item takes exactly one choice"),
        (NUMERIC, ["abc"], "'abc' is not a number"),
        (ORDER, ["A", "A", "B"], "give every step exactly once, in order, e.g. A B C"),
        (TF, ["maybe"], "'maybe' is not true or false"),
        (SHORT, ["  "], "no answer given"),
    ],
)
def test_invalid_answers(item, answer, message) -> None:
    with pytest.raises(UsageError) as e:
        check(show(item, "me"), answer)
    assert str(e.value) == message


# -- the bundled course's quiz content ------------------------------------------------------------
def _bundled_items():
    from grader.course import course_root, load_course

    course = load_course(course_root(None))
    return [
        (lang, item)
        for by_lang in course.quizzes.values()
        for lang, quiz in by_lang.items()
        for item in quiz.items
    ]


def test_no_choice_explanation_opens_as_a_verdict() -> None:
    """A missed correct choice shows its explanation too: it must not say "correct" first."""
    openings = ("正解です", "正解。", "Correct", "Right")
    for _, item in _bundled_items():
        for choice in getattr(item, "choices", []):
            assert not choice.explanation.startswith(openings), (item.id, choice.text)


def test_review_items_stand_alone() -> None:
    """Review shows one item at a time, so none may lean on another."""
    for _, item in _bundled_items():
        text = item.prompt + item.explanation
        for phrase in ("前の問題", "同じスケジュール", "previous question", "same schedule"):
            assert phrase not in text, (item.id, phrase)


def test_content_facts_pinned_by_review() -> None:
    items = {(lang, item.id): item for lang, item in _bundled_items()}
    split = {lang: items[(lang, "training-basics/validation-split")] for lang in ("ja", "en")}
    assert split["ja"].choices[3].text == "検証データは使われない"
    assert split["en"].choices[3].text == "No validation data is used"
    # an optimizer class (no parentheses) raises ValueError in compile: never a right answer
    for lang in ("ja", "en"):
        names = items[(lang, "training-basics/optimizer-names")]
        by_text = {c.text: c.correct for c in names.choices}
        assert by_text["keras.optimizers.Adam"] is False
        tempting = items[(lang, "training-basics/integer-labels-not-categorical")]
        assert [c.text for c in tempting.choices if not c.correct][0] == "categorical_crossentropy"
        kept = items[(lang, "losses-optimizers/integer-labels-loss")]
        assert [c.text for c in kept.choices] == [
            "binary_crossentropy",
            "mse",
            "sparse_categorical_crossentropy",
            "huber",
        ]


@pytest.mark.parametrize("item", [SINGLE, MULTI, ORDER], ids=["single", "multiple", "ordering"])
def test_every_review_round_shows_a_new_order(item) -> None:  # type: ignore[no-untyped-def]
    repeats = []
    for n in range(300):
        orders = [show(item, f"l{n}", round_).order for round_ in range(8)]
        repeats += [
            (n, r) for r, (a, b) in enumerate(zip(orders, orders[1:], strict=False)) if a == b
        ]
    assert repeats == []
