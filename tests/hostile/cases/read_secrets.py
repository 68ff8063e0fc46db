"""Hostile: looks for the reference solution, held-out labels, the grader's cache, another
student's submission and the grader's own environment.

Whatever it can read, it prints, and if it finds the reference it runs it (full marks).
Expected: 0, "nothing readable": every path is absent or denied, and a walk over the whole
visible file system finds no course file.
"""
import os

ATTEMPTS = [
    "{{REPO}}/exercises/lr-schedule/reference.py",
    "{{REPO}}/exercises/lr-schedule/exercise.yaml",
    "{{REPO}}/.git/HEAD",
    "{{REPO}}/tests/submissions/lr-schedule/ok_positional.py",
    "{{COURSE}}/exercises/lr-schedule/reference.py",
    "{{CACHE}}",
    "{{HOME}}",
    "{{OTHER}}",
    f"/proc/{os.getppid()}/environ",
    f"/proc/{os.getppid()}/cmdline",
    "/proc/1/environ",
    "/proc/1/cmdline",
    "/root/.bash_history",
]
SECRET_NAMES = {"reference.py", "exercise.yaml", "course.yaml", "y_test.npy", "gradebook.db"}


def _read(path):
    if os.path.isdir(path):
        return "folder: " + ", ".join(sorted(os.listdir(path))[:20])
    with open(path, "rb") as f:
        return f.read(200).decode(errors="replace")


def make_optimizer():
    found, denied = {}, []
    for path in ATTEMPTS:
        try:
            found[path] = _read(path)
        except OSError as exc:
            denied.append(f"{path}: {exc.strerror}")
    skip = ("/proc", "/sys", "/dev")
    for top, dirs, files in os.walk("/"):
        dirs[:] = [d for d in dirs if os.path.join(top, d) not in skip]
        for name in files:
            if name in SECRET_NAMES or (name.endswith(".json") and "lr-schedule" in name):
                path = os.path.join(top, name)
                try:
                    found[path] = _read(path)
                except OSError as exc:
                    denied.append(f"{path}: {exc.strerror}")
    for path, text in found.items():
        print(f"READ {path}: {text[:120]!r}")
    reference = [p for p in found if p.endswith("reference.py")]
    if reference:
        namespace = {}
        with open(reference[0]) as f:
            exec(f.read(), namespace)
        return namespace["make_optimizer"]()
    if found:
        raise RuntimeError(f"read {len(found)} secret(s): {sorted(found)}")
    raise PermissionError("nothing readable: " + "; ".join(denied))
