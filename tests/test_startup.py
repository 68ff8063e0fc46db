"""What `learn next` imports: no Pygments until a code block is drawn in colour, and then the
same colours as with rich's own import."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.test_cli import this_checkout

LESSON = "# A lesson\n\nSome `code` inline.\n\n```python\nmodel.fit(x, y, epochs=3)\n```\n"
RENDER = """
import io, json, sys
if sys.argv[1] == "eager":
    import rich.syntax  # rich's own import order: Pygments first
from grader import render
out = render.console(width=60, file=io.StringIO(), force_terminal=True, color_system="truecolor")
out.print(render.markdown(sys.argv[2]))
print(json.dumps([out.file.getvalue(), "pygments" in sys.modules]))
"""


def run(code: str, *args: str, env: dict[str, str] | None = None) -> str:
    found = subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        env=env or this_checkout(),
        check=True,
    )
    return found.stdout


def test_a_piped_lesson_imports_no_pygments(tmp_path: Path) -> None:
    code = (
        "import sys\nfrom grader.cli import main\n"
        "try:\n    main(['--lang', 'en', 'next'])\nexcept SystemExit:\n    pass\n"
        "print('LOADED', sorted(m for m in ('pygments', 'rich.syntax', 'rich.markdown')"
        " if m in sys.modules))\n"
    )
    env = {**this_checkout(), "LEARN_HOME": str(tmp_path / "home")}
    out = run(code, env=env)
    assert "model.compile(" in out  # the lesson's code blocks are there, as plain text
    assert out.splitlines()[-1] == "LOADED ['rich.markdown']"


def test_code_in_colour_is_drawn_as_with_rich_s_own_import() -> None:
    lazy, lazy_loaded = json.loads(run(RENDER, "lazy", LESSON))
    eager, _ = json.loads(run(RENDER, "eager", LESSON))
    assert lazy == eager
    assert "\x1b[" in lazy and "model" in lazy
    assert lazy_loaded  # the code block in colour did import Pygments, when it was drawn
