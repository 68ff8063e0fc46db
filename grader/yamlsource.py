"""Read YAML files into pydantic models, reporting every problem as `file:line: field: message`."""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from grader.errors import ContentError

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
        raise ContentError([f"{display}: file not found"]) from None
    except UnicodeDecodeError as e:
        raise ContentError([f"{display}: not UTF-8 text ({e.reason})"]) from None
    try:
        data = yaml.load(text, Loader=FastLoader)  # noqa: S506 (a safe loader)
        node = yaml.compose(text, Loader=FastLoader) if with_lines else None
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line = f":{mark.line + 1}" if mark else ""
        raise ContentError([f"{display}{line}: invalid YAML: {e.problem or e.context}"]) from None
    except yaml.YAMLError as e:
        raise ContentError([f"{display}: invalid YAML: {e}"]) from None
    lines: dict[Loc, int] = {}
    if node is not None:
        _line_map(node, (), lines)
    return data, lines


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
    field = format_loc(loc)
    return f"{where}: {field}: {message}" if field else f"{where}: {message}"


def load_model(model: type[M], path: Path, display: str, *, schema: int = 1) -> M:
    """Load and validate one YAML file against a pydantic model."""
    data, lines = read_yaml(path, display, with_lines=False)  # line numbers only on error
    if not isinstance(data, dict):
        lines = read_yaml(path, display)[1]
        raise ContentError([f"{display}:1: expected a mapping at the top level"])
    version = data.get("schema")
    if isinstance(version, int) and version > schema:
        lines = read_yaml(path, display)[1]
        raise ContentError(
            [
                f"{display}:{lines.get(('schema',), 1)}: schema: version {version} is newer than "
                f"this release understands ({schema}); upgrade learn-keras"
            ]
        )
    try:
        return model.model_validate(data)
    except ValidationError as e:
        lines = read_yaml(path, display)[1]
        problems = []
        for err in e.errors():
            loc = _data_path(data, tuple(err["loc"]))
            problems.append(locate(display, lines, loc, _clean(err["msg"])))
        raise ContentError(problems) from None
