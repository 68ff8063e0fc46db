"""Hostile: writes outside its folder (/tmp, /var/tmp, /dev/shm, the repository, /root, $HOME/..).

Expected: 0, "outside writes" listing what happened; whatever it managed to write lived only in
its private view: none of the files exists on the host afterwards.
"""
import os

TOKEN = "{{TOKEN}}"
TARGETS = [
    f"/tmp/pwned-{TOKEN}",
    f"/var/tmp/pwned-{TOKEN}",
    f"/dev/shm/pwned-{TOKEN}",
    f"{{REPO}}/pwned-{TOKEN}",
    f"/root/pwned-{TOKEN}",
    os.path.join(os.path.expanduser("~"), "..", f"pwned-{TOKEN}"),
]


def make_optimizer():
    outcome = []
    for path in TARGETS:
        try:
            with open(path, "w") as f:
                f.write("pwned")
            outcome.append(f"{path}: written")
        except OSError as exc:
            outcome.append(f"{path}: {exc.strerror}")
    raise RuntimeError("outside writes: " + "; ".join(outcome))
