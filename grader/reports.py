"""What the instructor reads: grades.csv, per-student feedback, summary.md and summary.png.
Everything here is derived from the gradebook, so `learn grade --export` can rewrite it."""

from __future__ import annotations

import csv
import json
import os
import re
import statistics
from collections import Counter
from pathlib import Path

from grader.errors import LearnError
from grader.gradebook import Gradebook, Row
from grader.messages import languages, text


def export(book: Gradebook, out: Path, lang: str = "en") -> list[Path]:
    """Write every report; a full disk becomes a clear error (the gradebook is untouched)."""
    try:
        return [
            _csv(book, out),
            *_feedback(book, out, lang),
            _summary(book, out, lang),
            _plot(book, out, lang),
        ]
    except OSError as e:
        raise LearnError(key="err_reports", out=out, reason=e.strerror) from None


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8", newline="") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    tmp.replace(path)
    return path


def _csv(book: Gradebook, out: Path) -> Path:
    exercises = list(book.exercises())
    scores = {(r.student, r.exercise): r.score for r in book.rows()}
    lines: list[list[str]] = [["student", *exercises, "total"]]
    for s in book.students():
        cells = [scores.get((s, e)) for e in exercises]
        total = sum(c for c in cells if c is not None)
        lines.append([s, *("" if c is None else f"{c:g}" for c in cells), f"{total:g}"])
    path = out / "grades.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_suffix(".tmp"), "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(lines)
    path.with_suffix(".tmp").replace(path)
    return path


# -- learner text in Markdown -----------------------------------------------------------------------
# Hardening (hostile suite): messages and printed output come from the learner's code. In the
# reports they must stay text: no closed code fence, no forged table row, no live link or image,
# no terminal escape sequence.
_ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]")  # a terminal escape sequence (colours, cursor)
_HIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")
_MARKDOWN = re.compile(r"([\\`*_\[\]()#+\-!|<>~])")
_AUTOLINK = re.compile(r"://|www\.", re.IGNORECASE)


def visible(text: str) -> str:
    """Text without terminal escape sequences and control characters (newlines and tabs kept)."""
    return _HIDDEN.sub("", _ANSI.sub("", text))


def inline(text: str) -> str:
    """Learner text as one line of inert Markdown: control characters dropped, Markdown
    punctuation backslash-escaped, nothing a renderer would turn into a link."""
    text = _MARKDOWN.sub(r"\\\1", " ".join(visible(text).split()))
    return _AUTOLINK.sub(lambda m: m.group().replace("/", "\\/").replace(".", "\\."), text)


def fenced(text: str) -> str:
    """Learner text as a code block whose fence is longer than any backtick run inside it."""
    text = visible(text)
    longest = max((len(run) for run in re.findall("`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}text\n{text}\n{fence}"


def feedback_markdown(row: Row, lang: str = "en") -> str:
    data = row.result
    lines = [f"# {row.exercise}: {row.score:g}/{row.max_score:g}", ""]
    if row.status == "error":
        lines += [text(lang, "report_not_graded", reason=inline(row.reason)), ""]
    lines += [text(lang, "report_feedback_header"), "|---|---|---|---|"]
    for t in data.get("tests", []):
        name, status, msg = (inline(str(t[k])) for k in ("name", "status", "output"))
        lines.append(f"| {name} | {t['score']:g}/{t['max_score']:g} | {status} | {msg} |")
    output = str(data.get("output", "")).strip()
    if output:
        lines += ["", text(lang, "report_output"), "", fenced(output[-3000:])]
    return "\n".join(lines) + "\n"


def _feedback(book: Gradebook, out: Path, lang: str) -> list[Path]:
    paths = []
    for row in book.rows():
        base = out / "feedback" / row.student / row.exercise
        paths.append(
            _write(base.with_suffix(".json"), json.dumps(row.result, ensure_ascii=False, indent=2))
        )
        paths.append(_write(base.with_suffix(".md"), feedback_markdown(row, lang)))
    return paths


def _summary(book: Gradebook, out: Path, lang: str) -> Path:
    rows = book.rows()
    none = [text(lang, "report_none")]
    lines = [
        text(lang, "report_title"),
        "",
        text(lang, "report_counts", students=len(book.students()), submissions=len(rows)),
        "",
        text(lang, "report_stats_header"),
        "|---|---|---|---|---|---|---|",
    ]
    for ex, max_score in book.exercises().items():
        scores = [r.score for r in rows if r.exercise == ex]
        if not scores:
            continue
        full = sum(s >= max_score for s in scores)
        lines.append(
            f"| {ex} | {len(scores)} | {statistics.mean(scores):.1f} | "
            f"{statistics.median(scores):g} | {min(scores):g} | {max(scores):g} | "
            f"{full} |"
        )
    lines += [
        "",
        text(lang, "report_distribution"),
        "",
        text(lang, "report_distribution_header"),
        "|---|---|---|---|---|---|---|",
    ]
    for ex, max_score in book.exercises().items():
        bins = Counter(
            min(5, int(r.score / max_score * 5)) if r.score < max_score else 5
            for r in rows
            if r.exercise == ex
        )
        if bins:
            lines.append(f"| {ex} | " + " | ".join(str(bins.get(i, 0)) for i in range(6)) + " |")
    lines += ["", text(lang, "report_mistakes"), ""]
    mistakes = book.failed_checks(_not_checked())[:15]
    lines += [
        text(lang, "report_mistake", exercise=ex, check=check, n=n) for ex, check, n in mistakes
    ] or none
    failures = [r for r in rows if r.status in ("failed", "error")]
    lines += ["", text(lang, "report_failures"), ""]
    lines += [f"- {r.student} / {r.exercise}: {_one_line(r.reason)}" for r in failures] or none
    below = [r for r in rows if r.score < r.max_score and r.status == "graded"]
    lines += ["", text(lang, "report_below"), ""]
    lines += [
        f"- {r.student} / {r.exercise}: {r.score:g}/{r.max_score:g}: {_one_line(r.reason)}"
        for r in below
    ] or none
    flooded = [(r, TRUNCATED.search(str(r.result.get("output", "")))) for r in rows]
    lines += ["", text(lang, "report_truncated"), ""]
    lines += [
        text(lang, "report_truncated_row", student=r.student, exercise=r.exercise, n=m.group(1))
        for r, m in flooded
        if m
    ] or none
    lines += ["", text(lang, "report_problems"), ""]
    lines += [f"- {inline(p)}: {inline(m)}" for p, m in book.problems()] or none
    lines += ["", text(lang, "report_histogram"), ""]
    return _write(out / "summary.md", "\n".join(lines))


def _not_checked() -> set[str]:
    """The message of a check not run because an earlier one failed, in every language."""
    from grader.checks import fail_all

    return {fail_all(["first", "later"], "", lang)["later"][1] for lang in languages()}


TRUNCATED = re.compile(r"\[output truncated: (\d+) bytes in all\]")


def _one_line(text: str) -> str:
    return inline(" ".join(text.split())[:300])


def _plot(book: Gradebook, out: Path, lang: str) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    exercises = book.exercises()
    totals: dict[str, float] = {}
    for r in book.rows():
        totals[r.student] = totals.get(r.student, 0.0) + r.score
    fig, ax = plt.subplots(figsize=(6, 3.5), dpi=100)
    ax.hist(
        list(totals.values()),
        bins=10,
        range=(0, sum(exercises.values()) or 1),
        color="#4c72b0",
        edgecolor="white",
    )
    # Matplotlib's default font has no Japanese glyphs: the chart's labels stay English.
    ax.set_xlabel("total score")
    ax.set_ylabel("students")
    ax.set_title("Total scores")
    fig.tight_layout()
    path = out / "summary.png"
    fig.savefig(path)
    plt.close(fig)
    return path
