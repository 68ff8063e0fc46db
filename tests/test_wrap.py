"""Line breaking: golden renderings at 60, 80 and 120 columns, and the properties behind them."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
import yaml
from rich.cells import cell_len

from grader import render
from grader.quizzes import SingleItem, show
from grader.wrap import break_points

GOLDEN = Path(__file__).resolve().parent / "golden"
WIDTHS = (60, 80, 120)
CASES = ("ja_paragraph", "quiz_item", "en_paragraph")


def rendering(case: str, width: int) -> str:
    buf = io.StringIO()
    out = render.console(width=width, file=buf)
    if case == "quiz_item":
        data = yaml.safe_load((GOLDEN / "quiz_item.yaml").read_text(encoding="utf-8"))
        render.item(out, show(SingleItem.model_validate(data), "golden-learner"), "ja", "3/12")
    else:
        render.lesson(out, (GOLDEN / f"{case}.md").read_text(encoding="utf-8"))
    return "".join(line.rstrip() + "\n" for line in buf.getvalue().splitlines())


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("case", CASES)
def test_golden(case: str, width: int) -> None:
    expected = (GOLDEN / f"{case}.{width}.txt").read_text(encoding="utf-8")
    assert rendering(case, width) == expected


def _source(case: str) -> str:
    """The text a case shows (for the quiz item: its prompt and choices)."""
    if case != "quiz_item":
        return (GOLDEN / f"{case}.md").read_text(encoding="utf-8")
    data = yaml.safe_load((GOLDEN / "quiz_item.yaml").read_text(encoding="utf-8"))
    return " ".join([data["prompt"], *(c["text"] for c in data["choices"])])


def _words(text: str) -> set[str]:
    """Latin words and identifiers of the source (backticks and quotes dropped)."""
    return set(re.findall(r"[A-Za-z_][A-Za-z0-9_]{3,}", text))


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("case", CASES)
def test_properties(case: str, width: int) -> None:
    text = rendering(case, width)
    lines = text.splitlines()
    for line in lines:
        assert cell_len(line) <= width, line
        assert not re.match(r"\s*[、。）」』，．]", line), line
        assert not re.search(r"[（「『]$", line), line
    source = _source(case)
    joined = " ".join(lines)
    for word in _words(source):
        assert re.search(rf"(?<![A-Za-z0-9_]){word}(?![A-Za-z0-9_])", joined), word
    for counted in ("20 個", "1 バッチ", "12,000 件", "3 クラス"):
        if counted in source:
            assert counted in text, counted


def test_quiz_choices_hang_under_their_text() -> None:
    lines = rendering("quiz_item", 60).splitlines()
    first = next(n for n, line in enumerate(lines) if line.startswith("  A) "))
    assert lines[first + 1].startswith("     ") and not lines[first + 1].startswith("      ")


@pytest.mark.parametrize(
    ("text", "points"),
    [
        pytest.param("Keras でモデルを", [7], id="latin-word-with-particle"),
        pytest.param("20 個の特徴量", [5], id="number-and-counter"),
        pytest.param("a restore_best_weights b", [2, 23], id="identifier-whole"),
        pytest.param("学習します。次へ", [6], id="after-full-stop"),
        pytest.param("「過学習」を", [], id="brackets"),
    ],
)
def test_break_points(text: str, points: list[int]) -> None:
    assert break_points(text) == points


def test_inline_code_is_never_broken() -> None:
    text = "使い方は `model.fit(x, y, epochs=5)` です"
    inside = range(text.index("`") + 1, text.rindex("`"))
    assert not set(break_points(text)) & set(inside)
