"""Quiz files: the item types, how they are shown (shuffled per learner) and how answers are checked."""

from __future__ import annotations

import random
import re
import unicodedata
from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from grader.errors import UsageError
from grader.messages import catalogue


def invalid(key: str, **fields: object) -> PydanticCustomError:
    """A validation error whose message is a catalogue key: shown in the reader's language."""
    return PydanticCustomError(key, catalogue("en")[key], fields)  # type: ignore[arg-type]


ITEM_ID = r"^[a-z0-9][a-z0-9-]*/[a-z0-9][a-z0-9-]*$"
LABELS = "ABCDEFGH"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Choice(Strict):
    text: str = Field(min_length=1)
    correct: bool = False
    explanation: str = Field(min_length=1)


class Mistake(Strict):
    value: float
    explanation: str = Field(min_length=1)


class ShortMistake(Strict):
    answer: str = Field(min_length=1)
    explanation: str = Field(min_length=1)


class ItemBase(Strict):
    id: str = Field(pattern=ITEM_ID)
    tags: list[str] = Field(min_length=1, max_length=3)
    prompt: str = Field(min_length=1)
    explanation: str = Field(min_length=1)


class _ChoiceItem(ItemBase):
    choices: list[Choice] = Field(min_length=2, max_length=len(LABELS))

    @field_validator("choices")
    @classmethod
    def _distinct(cls, v: list[Choice]) -> list[Choice]:
        texts = [c.text for c in v]
        dupes = sorted({t for t in texts if texts.count(t) > 1})
        if dupes:
            raise invalid("content_choices_distinct", repeated=", ".join(dupes))
        return v


class SingleItem(_ChoiceItem):
    type: Literal["single"]

    @model_validator(mode="after")
    def _one_correct(self) -> SingleItem:
        n = sum(c.correct for c in self.choices)
        if n != 1:
            raise invalid("content_one_correct", n=n)
        return self


class MultipleItem(_ChoiceItem):
    type: Literal["multiple"]

    @model_validator(mode="after")
    def _some_correct(self) -> MultipleItem:
        if not any(c.correct for c in self.choices):
            raise invalid("content_some_correct")
        return self


class NumericItem(ItemBase):
    type: Literal["numeric"]
    answer: float
    tolerance: float = Field(ge=0)
    mistakes: list[Mistake] = []


class OrderingItem(ItemBase):
    type: Literal["ordering"]
    steps: list[str] = Field(min_length=2, max_length=len(LABELS))

    @field_validator("steps")
    @classmethod
    def _distinct(cls, v: list[str]) -> list[str]:
        if len(set(v)) != len(v):
            raise invalid("content_steps_distinct")
        return v


class TrueFalseItem(ItemBase):
    type: Literal["truefalse"]
    answer: bool


class ShortItem(ItemBase):
    type: Literal["short"]
    accept: list[str] = Field(min_length=1)
    mistakes: list[ShortMistake] = []


Item = Annotated[
    SingleItem | MultipleItem | NumericItem | OrderingItem | TrueFalseItem | ShortItem,
    Field(discriminator="type"),
]


class QuizFile(Strict):
    schema_: Literal[1] = Field(alias="schema")
    lesson: str
    lang: Literal["ja", "en"]
    title: str = Field(min_length=1)
    items: list[Item] = Field(min_length=1)

    @model_validator(mode="after")
    def _ids(self) -> QuizFile:
        seen: set[str] = set()
        for i, item in enumerate(self.items):
            if not item.id.startswith(self.lesson + "/"):
                raise invalid("content_id_prefix", n=i, id=item.id, prefix=self.lesson + "/")
            if item.id in seen:
                raise invalid("content_id_twice", n=i, id=item.id)
            seen.add(item.id)
        return self


AnyItem = SingleItem | MultipleItem | NumericItem | OrderingItem | TrueFalseItem | ShortItem


@dataclass(frozen=True)
class Shown:
    """An item as one learner sees it: options in that learner's order, labelled A, B, ..."""

    item: AnyItem
    options: tuple[str, ...]  # choice texts or steps, shuffled; empty for free-answer items
    order: tuple[int, ...]  # index into item.choices / item.steps for each shown option


@dataclass(frozen=True)
class Note:
    """An explanation of one shown choice: why it should (not) have been chosen."""

    label: str
    kind: Literal["chosen", "missed", "extra", "right"]
    text: str


@dataclass(frozen=True)
class Verdict:
    item_id: str
    correct: bool
    answer: str  # the answer normalised for storage, e.g. "20%" or "B A C"
    explanation: str
    key: str = ""  # the right answer as this learner sees it: "D", "A C", "B A C", "30"
    notes: tuple[Note, ...] = ()  # per-choice explanations, labelled
    general: str = ""  # the item's own explanation


def _order(item: AnyItem, n: int, seed: str) -> list[int]:
    order = list(range(n))
    random.Random(seed).shuffle(order)
    if isinstance(item, OrderingItem) and order == sorted(order):
        order.reverse()  # never show an ordering item already solved
    return order


def show(item: AnyItem, learner_id: str, round_: int = 0) -> Shown:
    """Shuffle options deterministically per learner and item (str seeds are stable across runs).

    `round_` > 0 (a review) gives another order than round_ - 1, so a review is never a replay.
    """
    if isinstance(item, SingleItem | MultipleItem):
        texts = [c.text for c in item.choices]
    elif isinstance(item, OrderingItem):
        texts = list(item.steps)
    else:
        return Shown(item, (), ())
    seed = f"{learner_id}:{item.id}"
    order = _order(item, len(texts), seed)
    # Each round is compared with the order the previous round really showed (itself perhaps
    # rotated), not with that round's draw: otherwise two rounds in a row can look the same.
    for n in range(1, round_ + 1):
        before, order = order, _order(item, len(texts), f"{seed}:{n}")
        if order == before:
            order = order[1:] + order[:1]
            if isinstance(item, OrderingItem) and order == sorted(order):
                order = order[1:] + order[:1]
    return Shown(item, tuple(texts[i] for i in order), tuple(order))


def _norm(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).strip().strip("\"'`").strip()
    return re.sub(r"\s+", " ", text).casefold()


def _label_range(n: int) -> str:
    return f"{LABELS[0]}-{LABELS[n - 1]}"


def _pick(shown: Shown, token: str) -> int:
    """Map a label (A, b) or the exact text of an option to its shown position."""
    t = _norm(token)
    n = len(shown.options)
    if len(t) == 1 and t.upper() in LABELS:
        pos = LABELS.index(t.upper())
        if pos < n:
            return pos
    for pos, option in enumerate(shown.options):
        if _norm(option) == t:
            return pos
    raise UsageError(key="err_not_a_choice", token=token, labels=_label_range(n))


def _tokens(shown: Shown, answers: list[str]) -> list[str]:
    """Split 'A,C' or 'BAC' into labels when the answer is not itself an option's text."""
    joined = " ".join(answers)
    if any(_norm(joined) == _norm(o) for o in shown.options):
        return [joined]
    parts = [p for a in answers for p in re.split(r"[,\s、，]+", a) if p]
    if len(parts) == 1 and re.fullmatch(r"[A-Ha-h]{2,8}", parts[0]):
        return list(parts[0])
    return parts


TRUE_WORDS = {"true", "t", "yes", "y", "○", "はい", "正", "正しい", "1"}
FALSE_WORDS = {"false", "f", "no", "n", "×", "いいえ", "誤", "誤り", "0"}


def parse_number(text: str) -> float:
    t = unicodedata.normalize("NFKC", text).strip().replace(",", "").replace("_", "")
    try:
        return float(t)
    except ValueError:
        raise UsageError(key="err_not_number", text=text) from None


def check(shown: Shown, answers: list[str]) -> Verdict:
    """Judge an answer; an answer that cannot be understood raises UsageError (nothing stored)."""
    item = shown.item
    if not answers or not " ".join(answers).strip():
        raise UsageError(key="err_no_answer")
    if isinstance(item, SingleItem):
        tokens = _tokens(shown, answers)
        if len(tokens) != 1:
            raise UsageError(key="err_one_choice")
        pos = _pick(shown, tokens[0])
        choice = item.choices[shown.order[pos]]
        right = next(p for p, i in enumerate(shown.order) if item.choices[i].correct)
        notes = [Note(LABELS[pos], "right" if choice.correct else "chosen", choice.explanation)]
        if not choice.correct:
            notes.append(Note(LABELS[right], "right", item.choices[shown.order[right]].explanation))
        return Verdict(
            item.id,
            choice.correct,
            choice.text,
            _explain(choice.explanation, item),
            LABELS[right],
            _clean_notes(notes),
            item.explanation,
        )
    if isinstance(item, MultipleItem):
        picked = sorted({shown.order[_pick(shown, t)] for t in _tokens(shown, answers)})
        wanted = [i for i, c in enumerate(item.choices) if c.correct]
        wrong = [p for p, i in enumerate(shown.order) if (i in picked) != (i in wanted)]
        notes = [
            Note(
                LABELS[p],
                "missed" if shown.order[p] in wanted else "extra",
                item.choices[shown.order[p]].explanation,
            )
            for p in wrong
        ]
        text = " | ".join(item.choices[i].text for i in picked)
        key = " ".join(LABELS[p] for p, i in enumerate(shown.order) if i in wanted)
        return Verdict(
            item.id,
            picked == wanted,
            text,
            _explain(" ".join(n.text for n in notes), item),
            key,
            _clean_notes(notes),
            item.explanation,
        )
    if isinstance(item, OrderingItem):
        tokens = _tokens(shown, answers)
        positions = [_pick(shown, t) for t in tokens]
        if sorted(positions) != list(range(len(shown.options))):
            raise UsageError(key="err_ordering", example=" ".join(LABELS[: len(shown.options)]))
        given = [shown.order[p] for p in positions]
        ok = given == list(range(len(item.steps)))
        key = " ".join(LABELS[shown.order.index(i)] for i in range(len(item.steps)))
        answer = " ".join(LABELS[p] for p in positions)
        return Verdict(item.id, ok, answer, item.explanation, key, (), item.explanation)
    if isinstance(item, NumericItem):
        value = parse_number(" ".join(answers))
        ok = abs(value - item.answer) <= item.tolerance + 1e-12
        note = next((m.explanation for m in item.mistakes if abs(m.value - value) <= 1e-12), "")
        return Verdict(
            item.id,
            ok,
            f"{value:g}",
            _explain(note, item),
            f"{item.answer:g}",
            (),
            _explain(note, item),
        )
    if isinstance(item, TrueFalseItem):
        word = _norm(" ".join(answers))
        if word not in TRUE_WORDS | FALSE_WORDS:
            raise UsageError(key="err_not_bool", text=" ".join(answers))
        value = word in TRUE_WORDS
        return Verdict(
            item.id,
            value == item.answer,
            str(value).lower(),
            item.explanation,
            str(item.answer).lower(),
            (),
            item.explanation,
        )
    text = " ".join(answers)
    ok = _norm(text) in {_norm(a) for a in item.accept}
    note = next((m.explanation for m in item.mistakes if _norm(m.answer) == _norm(text)), "")
    return Verdict(
        item.id, ok, text.strip(), _explain(note, item), item.accept[0], (), _explain(note, item)
    )


def _explain(specific: str, item: AnyItem) -> str:
    if specific and specific != item.explanation:
        return f"{specific}\n{item.explanation}"
    return item.explanation


# A choice's explanation written for whoever picked it; shown for a missed choice, it must not
# open with "Correct" (the learner was not).
_PRAISE = re.compile(r"^\s*(正解です[。！!]?|正解[。：:]|(Correct|Right)[.!:,])\s*")


def _clean_notes(notes: list[Note]) -> tuple[Note, ...]:
    return tuple(Note(n.label, n.kind, _PRAISE.sub("", n.text, count=1)) for n in notes)


def public_view(shown: Shown) -> dict[str, object]:
    """The item without its answer key (for `learn quiz --json`)."""
    item = shown.item
    view: dict[str, object] = {"id": item.id, "type": item.type, "prompt": item.prompt}
    if shown.options:
        name = "steps" if isinstance(item, OrderingItem) else "choices"
        view[name] = [{"label": LABELS[i], "text": t} for i, t in enumerate(shown.options)]
    view["tags"] = list(item.tags)
    return view
