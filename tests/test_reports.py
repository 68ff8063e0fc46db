"""summary.md's "most common mistakes": only checks that ran and failed, in graded submissions."""

from __future__ import annotations

from pathlib import Path

import pytest

from grader.gradebook import Gradebook, Row
from grader.reports import export

SKIPPED = {"en": "not checked (see above)", "ja": "未確認（上記参照）"}


def check(cid: str, passed: bool, message: str = "") -> dict[str, object]:
    return {
        "name": f"{cid}: {cid}",
        "score": 1.0 if passed else 0.0,
        "max_score": 1.0,
        "status": "passed" if passed else "failed",
        "output": message,
    }


def row(student: str, status: str, tests: list[dict[str, object]], reason: str = "") -> Row:
    score = sum(float(t["score"]) for t in tests)  # type: ignore[arg-type]
    return Row(student, "ex", "h" + student, score, 3.0, status, reason, 0.1, {"tests": tests})


def summary(tmp_path: Path, rows: list[Row], lang: str = "en") -> str:
    book = Gradebook(tmp_path / "out" / "gradebook.db")
    book.register({r.student: r.student for r in rows}, {"ex": 3.0}, [])
    for r in rows:
        book.record(r)
    export(book, tmp_path / "out", lang)
    book.close()
    text = (tmp_path / "out" / "summary.md").read_text(encoding="utf-8")
    start = text.index({"en": "## Most common mistakes", "ja": "## よくある誤り"}[lang])
    return text[start : text.index("\n## ", start + 1)]


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_only_checks_that_ran_and_failed_are_mistakes(tmp_path: Path, lang: str) -> None:
    skipped = SKIPPED[lang]
    rows = [
        # a real mistake in "loss", the later checks skipped after it
        row(
            "a",
            "graded",
            [
                check("loss", False, "use sparse"),
                *[check(c, False, skipped) for c in ("opt", "acc")],
            ],
        ),
        # "opt" failed on its own; "acc" passed
        row(
            "b",
            "graded",
            [check("loss", False, "mse"), check("opt", False, "sgd"), check("acc", True)],
        ),
        # a syntax error: every check fails, none of them is a mistake
        row(
            "c",
            "failed",
            [
                check("loss", False, "SyntaxError"),
                *[check(c, False, skipped) for c in ("opt", "acc")],
            ],
            "SyntaxError",
        ),
        # the grader could not judge it
        row("d", "error", [check("loss", False, "could not judge")], "could not judge"),
    ]
    assert summary(tmp_path, rows) == (
        "## Most common mistakes (failed checks)\n\n"
        "- ex / loss: 2 submission(s)\n"
        "- ex / opt: 1 submission(s)\n"
    )


def test_no_mistakes_says_none(tmp_path: Path) -> None:
    rows = [
        row(
            "a",
            "failed",
            [check("loss", False, "crash"), check("opt", False, SKIPPED["en"])],
            "crash",
        )
    ]
    assert summary(tmp_path, rows) == "## Most common mistakes (failed checks)\n\n- none\n"


def test_summary_in_japanese(tmp_path: Path) -> None:
    rows = [
        row("a", "graded", [check("loss", False, "mse"), check("opt", False, SKIPPED["ja"])]),
        row(
            "b",
            "failed",
            [check("loss", False, "crash"), check("opt", False, SKIPPED["ja"])],
            "crash",
        ),
    ]
    assert (
        summary(tmp_path, rows, "ja")
        == "## よくある誤り（不合格のチェック）\n\n- ex / loss：1 件\n"
    )
