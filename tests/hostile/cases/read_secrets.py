"""Hostile: looks for the reference solution, held-out labels, the grader's cache, another
student's submission and the grader's own environment.

Whatever it can read, it prints, and if it finds the reference it runs it (full marks). It is
graded as binary-classifier, whose time limit leaves room for a search of the whole visible file
system (several seconds: the Python installation is visible).
Expected: 0, "nothing readable": every path is absent or denied, and a search of the whole
visible file system (find /) finds no course file.
"""
import os
import subprocess

ATTEMPTS = [
    "{{REPO}}/exercises/binary-classifier/reference.py",
    "{{REPO}}/exercises/binary-classifier/exercise.yaml",
    "{{REPO}}/.git/HEAD",
    "{{REPO}}/tests/submissions/lr-schedule/ok_positional.py",
    "{{COURSE}}/exercises/binary-classifier/reference.py",
    "{{CACHE}}",
    "{{HOME}}",
    "{{OTHER}}",
    f"/proc/{os.getppid()}/environ",
    f"/proc/{os.getppid()}/cmdline",
    "/proc/1/environ",
    "/proc/1/cmdline",
    "/root/.bash_history",
]
SECRET_NAMES = {"exercise.yaml", "course.yaml", "y_test.npy", "gradebook.db", "binary-classifier-*.json"}


def _read(path):
    if os.path.isdir(path):
        return "folder: " + ", ".join(sorted(os.listdir(path))[:20])
    with open(path, "rb") as f:
        return f.read(200).decode(errors="replace")


def _search_everywhere():
    """Every visible file with a course-like name (find(1) is much quicker than os.walk)."""
    names = []
    for name in sorted(SECRET_NAMES):
        names += ["-o", "-name", name] if names else ["-name", name]
    names += ["-o", "-path", "*/exercises/*/reference.py"]
    command = ["find", "/", "(", "-path", "/proc", "-o", "-path", "/sys", "-o", "-path", "/dev"]
    command += [")", "-prune", "-o", "(", *names, ")", "-print"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=60)
    return [line for line in result.stdout.splitlines() if line]


def build_model(input_dim):
    found, denied = {}, []
    for path in ATTEMPTS:
        try:
            found[path] = _read(path)
        except OSError as exc:
            denied.append(f"{path}: {exc.strerror}")
    for path in _search_everywhere():
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
        return namespace["build_model"](input_dim)
    if found:
        raise RuntimeError(f"read {len(found)} secret(s): {sorted(found)}")
    raise PermissionError("nothing readable: " + "; ".join(denied))
