"""Write the golden renderings (run by hand after a deliberate change; review the diff)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.test_wrap import CASES, WIDTHS, rendering  # noqa: E402

if __name__ == "__main__":
    here = Path(__file__).resolve().parent
    for case in CASES:
        for width in WIDTHS:
            (here / f"{case}.{width}.txt").write_text(rendering(case, width), encoding="utf-8")
    from tests.test_clihelp import CASES, GOLDEN
    from tests.test_clihelp import rendering as help_rendering

    for lang, command, width in CASES:
        text = help_rendering(lang, command, width)
        (GOLDEN / f"{command}.{lang}.{width}.txt").write_text(text, encoding="utf-8")
