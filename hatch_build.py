"""Wheel build hook: ship the validated course's cache with the course (grader/_course/.course-cache),
so that a learner's very first `learn next` after installing reads JSON instead of importing
pydantic and YAML to validate the course. grader.catalog.open_course uses the file only while its
key (every course file's name and bytes, and the validating code's) is that of the installed
course, and its seal matches; otherwise it validates as without it."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CourseCacheHook(BuildHookInterface):  # type: ignore[misc]
    PLUGIN_NAME = "course-cache"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel":
            return
        sys.path.insert(0, self.root)  # the grader of this tree validates its course
        try:
            from grader.catalog import SHIPPED, shipped_cache
        finally:
            sys.path.remove(self.root)
        name, blob = shipped_cache(Path(self.root))  # a course that is not valid: no wheel
        folder = Path(tempfile.mkdtemp(prefix="learn-keras-course-cache-"))
        (folder / name).write_bytes(blob)
        build_data["force_include"][str(folder / name)] = f"grader/_course/{SHIPPED}/{name}"
