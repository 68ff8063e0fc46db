"""Every user-facing UI string, by key, from one gettext catalogue per language:
`grader/locale/<lang>/LC_MESSAGES/messages.po` (msgid: the key, msgstr: the text). A new language
is a new catalogue, no code change. The catalogue is read by a small parser of the subset of the
.po format that Babel writes (Babel's own reader costs more start-up than the whole of `learn
next` may; tests check that both read the same)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from pathlib import Path

LOCALE = Path(__file__).resolve().parent / "locale"


@cache
def languages() -> tuple[str, ...]:
    """Every language with a catalogue, e.g. ('en', 'ja')."""
    return tuple(sorted(p.parent.parent.name for p in LOCALE.glob("*/LC_MESSAGES/messages.po")))


@cache
def catalogue(lang: str) -> dict[str, str]:
    """key -> text for one language (no header, no untranslated or fuzzy entries)."""
    return parse_po((LOCALE / lang / "LC_MESSAGES" / "messages.po").read_text(encoding="utf-8"))


def parse_po(source: str) -> dict[str, str]:
    entries: dict[str, str] = {}
    field: str | None = None
    parts: dict[str, list[str]] = {}
    fuzzy = False

    def flush() -> None:
        nonlocal fuzzy
        msgid, msgstr = "".join(parts.get("msgid", [])), "".join(parts.get("msgstr", []))
        if msgid and msgstr and not fuzzy:
            entries[msgid] = msgstr
        parts.clear()
        fuzzy = False

    for line in source.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            if field == "msgstr":
                flush()
                field = None
            if line.startswith("#,") and "fuzzy" in line:
                fuzzy = True
            continue
        if line.startswith('"'):
            if field is not None:
                parts[field].append(_unquote(line))
            continue
        keyword, _, rest = line.partition(" ")
        if keyword == "msgid" and field == "msgstr":
            flush()
        field = keyword
        parts[field] = [_unquote(rest)]
    if field == "msgstr":
        flush()
    return entries


_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}


def _unquote(quoted: str) -> str:
    """The C-style string literal of a .po line, unescaped."""
    return re.sub(r"\\(.)", lambda m: _ESCAPES[m.group(1)], quoted.strip()[1:-1])


def text(lang: str, key: str, /, **fields: object) -> str:
    """The text of `key` in `lang`, its {placeholders} filled in."""
    return catalogue(lang)[key].format(**fields)


def one_of(lang: str, items: Sequence[str], *, sep: str = "list_or", last: str = "list_or") -> str:
    """Items as one phrase ('a or b', 'a, b or c'): each joined to those before it by the
    catalogue's `sep` entry, the last one by `last` (entries with {first} and {then})."""
    if not items:
        return ""
    out = items[0]
    for i, item in enumerate(items[1:], 2):
        out = text(lang, last if i == len(items) else sep, first=out, then=item)
    return out
