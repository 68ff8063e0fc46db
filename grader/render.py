"""Terminal presentation: lessons, quiz items, instructions and feedback (Markdown, wrapped at
phrase boundaries by grader.wrap), status tables."""

from __future__ import annotations

import json
import re
import sys
import types
from collections.abc import Callable, Iterator
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, Group, RenderableType
from rich.padding import Padding
from rich.segment import Segment, Segments
from rich.style import Style
from rich.table import Table
from rich.text import Text
from rich.theme import Theme

from grader.messages import text
from grader.wrap import NOBREAK_STYLE, WrapText, as_wrap, is_wide

if TYPE_CHECKING:
    from grader.grading import GradeResult
    from grader.learner import UnitStatus
    from grader.quizzes import Shown, Verdict

LABELS = "ABCDEFGH"  # as in grader.quizzes, which this module does not import (pydantic)
# Inline code stays on one line: its style carries the meta that grader.wrap never breaks.
THEME = Theme({"markdown.code": Style.parse("bold cyan on black") + NOBREAK_STYLE})


def console(width: int | None = None, **kw: Any) -> Console:
    return Console(highlight=False, soft_wrap=False, theme=THEME, width=width, **kw)


def _import_rich_markdown() -> None:
    """Import rich.markdown without importing Pygments before a code block is drawn in colour.

    rich.markdown imports rich.syntax (and with it Pygments, a tenth of `learn next`) only to
    make a Syntax for a code block; without colours our CodeBlock makes none. While
    rich.markdown is imported, rich.syntax is a stand-in whose Syntax imports the real module
    when one is made; anything importing rich.syntax afterwards gets the real one."""
    if "rich.markdown" in sys.modules or "rich.syntax" in sys.modules:
        return

    class Syntax:
        def __new__(cls, *args: Any, **kw: Any) -> Any:
            from rich.syntax import Syntax as real

            return real(*args, **kw)

    stand_in = types.ModuleType("rich.syntax")
    setattr(stand_in, "Syntax", Syntax)  # noqa: B010 (a module made here)
    sys.modules["rich.syntax"] = stand_in
    try:
        import rich.markdown  # noqa: F401
    finally:
        if sys.modules.get("rich.syntax") is stand_in:
            del sys.modules["rich.syntax"]


@lru_cache(maxsize=1)
def _markdown_class() -> Any:
    _import_rich_markdown()
    from rich import markdown as md

    class Paragraph(md.Paragraph):
        def on_enter(self, context: md.MarkdownContext) -> None:
            super().on_enter(context)
            self.text = WrapText(justify="left")

    class Heading(md.Heading):
        def __rich_console__(self, console: Console, options: Any) -> Any:
            for part in super().__rich_console__(console, options):
                yield as_wrap(part) if isinstance(part, md.Text) else part

    class Cell(md.TableDataElement):
        def __init__(self, justify: Any) -> None:
            super().__init__(justify)
            self.content = WrapText("", justify=justify)

    class ListItem(md.ListItem):
        """rich's list item, without padding every line to the full width with spaces."""

        def render_bullet(self, console: Console, options: ConsoleOptions) -> Any:
            yield from self._hang(console, options, " • ", 3)

        def render_number(
            self, console: Console, options: ConsoleOptions, number: int, last_number: int
        ) -> Any:
            width = len(str(last_number)) + 2
            yield from self._hang(console, options, f"{number}".rjust(width - 1) + " ", width)

        def _hang(self, console: Console, options: ConsoleOptions, label: str, width: int) -> Any:
            inner = options.update(width=options.max_width - width)
            lines = console.render_lines(self.elements, inner, style=self.style, pad=False)
            for n, line in enumerate(lines):
                yield Segment(label if n == 0 else " " * width)
                yield from line
                yield Segment.line()

    class CodeBlock(md.CodeBlock):
        def __rich_console__(self, console: Console, options: ConsoleOptions) -> Any:
            if console.color_system is None:
                # No colours to show: the text as Syntax lays it out (padding 1, wrapped,
                # tabs of 4), without Pygments or Syntax (a sixth of `learn next` piped).
                code = str(self.text).rstrip().expandtabs(4)
                yield Padding(Text(code, overflow="fold"), 1)
                return
            yield from super().__rich_console__(console, options)

    class Markdown(md.Markdown):
        elements = {
            **md.Markdown.elements,
            "fence": CodeBlock,
            "code_block": CodeBlock,
            "list_item_open": ListItem,
            "paragraph_open": Paragraph,
            "heading_open": Heading,
            "td_open": Cell,
            "th_open": Cell,
        }

    return Markdown


def markdown(text: str) -> RenderableType:
    """Markdown rendered like a lesson: phrase-aware wrapping, code stays whole."""
    return _markdown_class()(  # type: ignore[no-any-return]
        join_japanese_lines(text), code_theme="monokai", justify="default"
    )


def join_japanese_lines(text: str) -> str:
    """Undo source line breaks between two Japanese characters (outside code fences).

    Markdown turns such a break into a space, which Japanese text does not have."""
    parts = re.split(r"(^```.*?^```[^\n]*$)", text, flags=re.MULTILINE | re.DOTALL)
    for n in range(0, len(parts), 2):
        parts[n] = _join(parts[n])
    return "".join(parts)


def _join(text: str) -> str:
    return re.sub(
        r"(?<=.)\n[ \t]*(?=.)",
        lambda m: "" if is_wide(text[m.start() - 1]) and is_wide(text[m.end()]) else m.group(),
        text,
    )


def say(out: Console, text: str, style: str | None = None) -> None:
    """A plain message, wrapped at phrase boundaries (never parsed as markup); a path longer
    than a line is kept whole, so that it can be copied."""
    # In a Group: Console.print would merge a bare Text into a plain one, losing WrapText.
    out.print(Group(WrapText(text, style=style or "", overflow="ignore")), crop=False)


_SECTION = re.compile(r"^## ", re.MULTILINE)


def sections(text: str) -> list[str]:
    """A lesson cut before each `## ` heading that is not inside a code fence."""
    cuts = [0]
    fenced = False
    pos = 0
    for line in text.splitlines(keepends=True):
        if line.startswith("```"):
            fenced = not fenced
        elif not fenced and _SECTION.match(line) and pos:
            cuts.append(pos)
        pos += len(line)
    parts = [text[a:b] for a, b in zip(cuts, [*cuts[1:], len(text)], strict=True)]
    if len(parts) > 1 and len([x for x in parts[0].splitlines() if x.strip()]) <= 1:
        parts[:2] = [parts[0] + parts[1]]  # the title alone is not a screen
    return parts


def lesson(out: Console, text: str, more: Callable[[int, int], bool] | None = None) -> bool:
    """Print a lesson; with `more`, a lesson taller than the screen goes one section at a time,
    asking more(n, total) before each next one. True when the learner reached the end."""
    parts = sections(text)
    if more is None or len(parts) == 1:
        out.print(markdown(text))
        return True
    screens = [out.render_lines(markdown(part), out.options, pad=False) for part in parts]
    if sum(len(lines) for lines in screens) <= out.height:
        out.print(markdown(text))
        return True
    for n, lines in enumerate(screens, start=1):
        if n > 1:
            out.print()
        out.print(Segments(segment for line in lines for segment in (*line, Segment.line())))
        if n < len(screens) and not more(n, len(screens)):
            return False
    return True


class Hanging:
    """A label, then the body; the body's wrapped lines are indented under its first line."""

    def __init__(self, label: str, body: RenderableType) -> None:
        self.label = label
        self.body = body

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator[Segment]:
        indent = cell_len(self.label)
        inner = options.update(width=max(1, options.max_width - indent))
        for n, line in enumerate(console.render_lines(self.body, inner, pad=False)):
            yield Segment(self.label if n == 0 else " " * indent)
            yield from line
            yield Segment.line()


def item(out: Console, shown: Shown, lang: str, position: str = "") -> None:
    head = f"\\[{position}] " if position else ""
    out.print(markdown(f"{head}{shown.item.prompt.rstrip()}"))
    for i, option in enumerate(shown.options):
        out.print(Hanging(f"  {LABELS[i]}) ", markdown(option)))
    say(out, text(lang, f"answer_hint_{_hint_kind(shown)}"))


def _hint_kind(shown: Shown) -> str:
    kind = shown.item.type
    return "choice" if kind == "single" else kind


def verdict(out: Console, v: Verdict, lang: str) -> None:
    head = text(lang, "correct") if v.correct else text(lang, "wrong")
    say(out, head, style="bold green" if v.correct else "bold red")
    if not v.general:  # a verdict built without structure
        out.print(markdown(v.explanation.rstrip()))
        return
    if not v.correct:
        say(out, text(lang, "key", answer=v.key))
    for note in v.notes:
        if v.correct:
            out.print(markdown(note.text))
        else:
            out.print(markdown(text(lang, f"note_{note.kind}", label=note.label, text=note.text)))
    if v.general.strip() not in {n.text.strip() for n in v.notes}:
        out.print(markdown(v.general.rstrip()))


def verdict_json(v: Verdict) -> str:
    return json.dumps(
        {
            "item": v.item_id,
            "correct": v.correct,
            "answer": v.answer,
            "correct_answer": v.key,
            "explanation": v.explanation,
        },
        ensure_ascii=False,
    )


STATE_STYLE = {"done": "green", "started": "yellow", "new": "dim"}


def status_table(out: Console, rows: list[UnitStatus], title: str, lang: str) -> None:
    table = Table(title=title)
    for col in ("unit", "title", "state", "detail"):
        # Long titles fold at phrase boundaries (WrapText) rather than being cut short.
        table.add_column(
            text(lang, f"status_{col}"), overflow="ellipsis" if col == "unit" else "fold"
        )
    for r in rows:
        state = text(lang, f"state_{r.state}")
        table.add_row(
            r.unit.id, WrapText(r.title), f"[{STATE_STYLE[r.state]}]{state}[/]", WrapText(r.detail)
        )
    out.print(table)


def status_json(rows: list[UnitStatus]) -> str:
    return json.dumps(
        [
            {
                "unit": r.unit.id,
                "kind": r.unit.kind,
                "title": r.title,
                "state": r.state,
                "detail": r.detail,
            }
            for r in rows
        ],
        ensure_ascii=False,
        indent=2,
    )


BARS = "▁▂▃▄▅▆▇█"


def sparkline(values: list[float | None], lo: float, hi: float) -> str:
    span = (hi - lo) or 1.0
    return "".join(
        " " if v is None else BARS[min(7, max(0, int((v - lo) / span * 7.999)))] for v in values
    )


def grade_result(out: Console, result: GradeResult, lang: str) -> None:
    table = Table(title=result.exercise_id, expand=True)
    for col in ("check", "points", "", "message"):
        # a word longer than the column (sparse_categorical_crossentropy) folds, never cut short
        table.add_column(text(lang, f"grade_{col}") if col else "", overflow="fold")
    passed, failed = text(lang, "grade_pass"), text(lang, "grade_fail")
    for c in result.checks:
        mark = f"[green]{passed}[/]" if c.passed else f"[red]{failed}[/]"
        table.add_row(WrapText(c.title), f"{c.score:g}/{c.max_score:g}", mark, WrapText(c.message))
    out.print(table)
    _curves(out, result, lang)
    if result.output.strip():
        say(out, text(lang, "output"))
        out.print(result.output.strip()[-1500:], markup=False)
    say(out, text(lang, "total", score=f"{result.score:g}", max=f"{result.max_score:g}"))
    key = "full_marks" if result.full_marks else "not_full"
    say(out, text(lang, key, ex=result.exercise_id))


def _curves(out: Console, result: GradeResult, lang: str) -> None:
    mine, ref = result.learner_curve or {}, result.reference_curve or {}
    for key in ("loss", "val_loss"):
        if key not in mine or key not in ref:
            continue
        values = [v for v in mine[key] + ref[key] if v is not None]
        if not values:
            continue
        lo, hi = min(values), max(values)
        say(out, text(lang, "curve", metric=key))
        labels = {"you": text(lang, "curve_you"), "ref": text(lang, "curve_ref")}
        width = max(cell_len(label) for label in labels.values())
        for who, series in (("you", mine[key]), ("ref", ref[key])):
            label = labels[who]
            numbers = text(
                lang,
                "curve_line",
                first=f"{series[0]:.3f}",
                last=f"{series[-1]:.3f}",
                epochs=len(series),
            )
            pad = " " * (width - cell_len(label))
            out.print(f"  {pad}{label} {sparkline(series, lo, hi)}  {numbers}", markup=False)


def numbered(out: Console, texts: list[str]) -> None:
    """`1. text` per entry, wrapped lines indented under the text (hints)."""
    for n, hint in enumerate(texts, 1):
        out.print(Hanging(f"{n}. ", markdown(hint)))
