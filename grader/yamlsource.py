"""Read YAML files into pydantic models, reporting every problem as `file:line: field: message`."""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from grader.errors import ContentError, Problem

M = TypeVar("M", bound=BaseModel)
# libyaml's safe loader when PyYAML was built with it (10x faster), else the pure-Python one.
FastLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
Loc = tuple[str | int, ...]


def _line_map(node: yaml.Node, path: Loc, out: dict[Loc, int]) -> None:
    out[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            child = (*path, str(key.value))
            _line_map(value, child, out)
            out[(*child, "__key__")] = key.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for i, value in enumerate(node.value):
            _line_map(value, (*path, i), out)


def format_loc(loc: Loc) -> str:
    """Render ('items', 2, 'answer') as items[2].answer."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _data_path(data: Any, loc: Loc) -> Loc:
    """Drop loc parts that are not in the data (pydantic adds union tags such as 'single')."""
    path: list[str | int] = []
    cur: Any = data
    for part in loc:
        found = (isinstance(cur, dict) and part in cur) or (
            isinstance(cur, list) and isinstance(part, int) and 0 <= part < len(cur)
        )
        if found:
            cur = cur[part]  # type: ignore[index]
            path.append(part)
        elif isinstance(cur, dict) and isinstance(part, str) and not _is_tag(part):
            path.append(part)  # a missing or extra field: name it, line of its parent
            cur = None
    return tuple(path)


def _is_tag(part: str) -> bool:
    return part.startswith("function-") or part in {
        "single",
        "multiple",
        "numeric",
        "ordering",
        "truefalse",
        "short",
    }


def _message(err: Any) -> str:
    """Our own validators' errors carry a catalogue key (see grader.quizzes); pydantic's own
    messages are English."""
    if err["type"].startswith("content_"):
        return Problem(err["type"], **err.get("ctx", {}))
    return _clean(err["msg"])


def _clean(msg: str) -> str:
    for prefix in ("Value error, ", "Assertion failed, "):
        if msg.startswith(prefix):
            return msg[len(prefix) :]
    return msg


def read_yaml(path: Path, display: str, with_lines: bool = True) -> tuple[Any, dict[Loc, int]]:
    """Parse a YAML file safely; syntax errors become located ContentErrors."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ContentError([at(display, Problem("content_file_not_found"))]) from None
    except UnicodeDecodeError as e:
        raise ContentError([at(display, Problem("content_not_utf8", reason=e.reason))]) from None
    try:
        data = yaml.load(text, Loader=FastLoader)  # noqa: S506 (a safe loader)
        node = yaml.compose(text, Loader=FastLoader) if with_lines else None
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line = f":{mark.line + 1}" if mark else ""
        problem = Problem("content_invalid_yaml", problem=e.problem or e.context)
        raise ContentError([at(f"{display}{line}", problem)]) from None
    except yaml.YAMLError as e:
        raise ContentError([at(display, Problem("content_invalid_yaml", problem=e))]) from None
    lines: dict[Loc, int] = {}
    if node is not None:
        _line_map(node, (), lines)
    return data, lines


def at(where: str, message: str, field: str = "") -> Problem:
    """`where: field: message` (or `where: message`), in any language."""
    if field:
        return Problem("content_at_field", where=where, field=field, message=message)
    return Problem("content_at", where=where, message=message)


def locate(display: str, lines: dict[Loc, int], loc: Loc, message: str) -> str:
    """One located problem line; the line of the deepest known part of loc."""
    for n in range(len(loc), -1, -1):
        key_line = lines.get((*loc[:n], "__key__")) if n == len(loc) else None
        line = key_line or lines.get(loc[:n])
        if line:
            where = f"{display}:{line}"
            break
    else:
        where = display
    return at(where, message, format_loc(loc))


def load_model(model: type[M], path: Path, display: str, *, schema: int = 1) -> M:
    """Load and validate one YAML file against a pydantic model."""
    data, lines = read_yaml(path, display, with_lines=False)  # line numbers only on error
    if not isinstance(data, dict):
        lines = read_yaml(path, display)[1]
        raise ContentError([at(f"{display}:1", Problem("content_not_mapping"))])
    version = data.get("schema")
    if isinstance(version, int) and version > schema:
        lines = read_yaml(path, display)[1]
        newer = Problem("content_schema_newer", version=version, schema=schema)
        raise ContentError([at(f"{display}:{lines.get(('schema',), 1)}", newer, "schema")])
    try:
        return model.model_validate(data)
    except ValidationError as e:
        lines = read_yaml(path, display)[1]
        problems = []
        for err in e.errors():
            loc = _data_path(data, tuple(err["loc"]))
            problems.append(locate(display, lines, loc, _message(err)))
        raise ContentError(problems) from None
