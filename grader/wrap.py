"""Line breaking for the terminal: Japanese between phrases (BudouX), Latin text at spaces.

Rich breaks lines only at spaces, which in Japanese text are the spaces beside Latin words:
`Keras` ends up alone on a line, `20 個` is cut from its counter, a line starts with `。`.
`break_points` lists where a line may start instead, and `WrapText` (a rich Text) wraps at
exactly those points, so it can stand wherever rich wraps text (Markdown paragraphs, table
cells, plain messages). Inline code (the `nobreak` style meta, or backticks in plain text) is
never cut, nor is a Latin word, a number with its counter, or kinsoku punctuation.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from rich.cells import cell_len, chop_cells
from rich.measure import Measurement
from rich.style import Style
from rich.text import Lines, Text

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, JustifyMethod, OverflowMethod

# Kinsoku shori: characters a line must not start with, and characters it must not end with.
NO_START = frozenset(
    "、。，．,.:;!?)]}）」』】〕〉》］｝！？：；ー々ゝゞ…‥・"
    "ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ"
)
NO_END = frozenset("([{（「『【〔〈《［｛")
# Punctuation after which a Latin word may start a line (between Japanese, BudouX decides).
BREAK_AFTER = frozenset("、。，．・：；！？）」』】〕〉》］｝")
# The style meta that marks text which must stay on one line (inline code in Markdown).
NOBREAK = "nobreak"
NOBREAK_STYLE = Style(meta={NOBREAK: True})
_SPACES = re.compile(r"\s+")
_BACKTICKS = re.compile(r"`[^`\n]+`")


def is_wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F")


@lru_cache(maxsize=1)
def _parser() -> Any:
    import budoux  # only when Japanese text is wrapped

    return budoux.load_default_japanese_parser()


@lru_cache(maxsize=4096)
def _phrase_starts(text: str) -> frozenset[int]:
    """Where BudouX starts a phrase; a start on a space moves past the spaces."""
    if text.isascii() or not any(is_wide(ch) for ch in text):
        return frozenset()
    starts: set[int] = set()
    pos = 0
    for phrase in _parser().parse(text):
        pos += len(phrase)
        end = pos
        while end < len(text) and text[end].isspace():
            end += 1
        starts.add(end)
    return frozenset(starts)


def break_points(text: str, protected: Iterable[tuple[int, int]] = ()) -> list[int]:
    """Indices where a new line may start (never 0 or len(text))."""
    return list(_break_points(text, tuple(protected)))


@lru_cache(maxsize=4096)
def _break_points(text: str, protected: tuple[tuple[int, int], ...]) -> tuple[int, ...]:
    n = len(text)
    inside = [False] * (n + 1)
    for a, b in (*protected, *(m.span() for m in _BACKTICKS.finditer(text))):
        for i in range(a + 1, b):
            inside[i] = True
    wide = [False] * n if text.isascii() else [is_wide(ch) for ch in text]
    if not any(wide):  # Latin text: after each run of spaces, as rich does
        return tuple(
            i
            for m in _SPACES.finditer(text)
            if m.start() > 0
            and (i := m.end()) < n
            and not inside[i]
            and text[i] not in NO_START
            and text[m.start() - 1] not in NO_END
        )
    phrases = _phrase_starts(text)
    points = []
    last = -1  # the last non-space character before i
    for i in range(1, n):
        if not text[i - 1].isspace():
            last = i - 1
        ch = text[i]
        if ch.isspace() or ch in NO_START or inside[i] or last < 0 or text[last] in NO_END:
            continue
        spaced = last < i - 1
        if not wide[last] and not wide[i]:
            if spaced:
                points.append(i)  # a space between Latin words
            continue
        if text[last] in BREAK_AFTER and not wide[i]:
            points.append(i)  # a Latin word after punctuation: `基本：compile・fit・evaluate`
            continue
        if spaced and text[last].isdigit() and wide[i]:
            continue  # a number and its counter: `20 個`, `1 バッチ`
        if i in phrases or (spaced and last + 1 in phrases):
            points.append(i)
    return tuple(points)


def divide(text: str, width: int, points: list[int], fold: bool = True) -> list[int]:
    """Greedy line filling at the given break points; a chunk wider than a line is folded
    (or, with fold=False, left whole on a line of its own: a path stays copyable)."""
    offsets: list[int] = []
    bounds = [0, *points, len(text)]
    used = 0
    for start, end in zip(bounds, bounds[1:], strict=False):
        chunk = text[start:end]
        need = cell_len(chunk.rstrip())
        if used + need <= width:
            used += cell_len(chunk)
            continue
        if used:
            offsets.append(start)
        if need <= width or not fold:
            used = cell_len(chunk)
            continue
        inner = [m.end() for m in _SPACES.finditer(chunk) if m.start() > 0 and m.end() < len(chunk)]
        if inner:  # inline code wider than a line: at its own spaces first, then folded
            offsets.extend(start + o for o in divide(chunk, width, inner, fold))
            used = cell_len(text[max(start, offsets[-1] if offsets else 0) : end])
            continue
        pieces = chop_cells(chunk, width)
        pos = start
        for piece in pieces[:-1]:
            pos += len(piece)
            offsets.append(pos)
        used = cell_len(pieces[-1])
    return offsets


def _protected(line: Text) -> list[tuple[int, int]]:
    return [
        (s.start, s.end)
        for s in line.spans
        if isinstance(s.style, Style) and s.style.meta.get(NOBREAK)
    ]


class WrapText(Text):
    """A rich Text that wraps at `break_points` instead of at every space."""

    def wrap(
        self,
        console: Console,
        width: int,
        *,
        justify: JustifyMethod | None = None,
        overflow: OverflowMethod | None = None,
        tab_size: int = 8,
        no_wrap: bool | None = None,
    ) -> Lines:
        if no_wrap or self.no_wrap:
            return super().wrap(
                console, width, justify=justify, overflow=overflow, tab_size=tab_size, no_wrap=True
            )
        wrap_justify = justify or self.justify or "default"
        wrap_overflow = overflow or self.overflow or "fold"
        lines = Lines()
        for line in self.split(allow_blank=True):
            if "\t" in line:
                line.expand_tabs(tab_size)
            plain = line.plain
            if cell_len(plain) <= width:
                new_lines = Lines([line])  # the common case: nothing to break
            else:
                points = break_points(plain, _protected(line))
                new_lines = line.divide(divide(plain, width, points, wrap_overflow == "fold"))
            for part in new_lines:
                part.rstrip()
            new_lines.justify(console, width, justify=wrap_justify, overflow=wrap_overflow)
            for part in new_lines:
                part.truncate(width, overflow=wrap_overflow)
            lines.extend(new_lines)
        return lines

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        widest = 0
        longest = 0
        for line in self.split(allow_blank=True):
            plain = line.plain
            bounds = [0, *break_points(plain, _protected(line)), len(plain)]
            chunks = [plain[a:b].rstrip() for a, b in zip(bounds, bounds[1:], strict=False)]
            widest = max([widest, *(cell_len(c) for c in chunks)])
            longest = max(longest, cell_len(plain))
        return Measurement(widest, longest)


def as_wrap(text: Text) -> WrapText:
    """The same text, styles and spans, wrapped at phrase boundaries."""
    out = WrapText(
        text.plain,
        style=text.style,
        justify=text.justify,
        overflow=text.overflow,
        no_wrap=text.no_wrap,
        end=text.end,
    )
    out.spans = list(text.spans)
    return out
