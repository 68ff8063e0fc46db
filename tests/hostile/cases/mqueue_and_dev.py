"""Hostile: looks for a way out of its view through /dev, /sys and the system folders' submounts.

Writes /dev/mqueue/pwned-TOKEN (on a host with systemd, a world-writable queue folder a later
student's job could read) and /dev/shm/pwned-TOKEN, lists /dev, writes into every mount point at
or below a system folder (/usr, /etc, /lib...: read-only must reach submounts), lists and reads
/sys/fs/cgroup (host process ids).
Expected (root): 0, "contained" listing what happened: /dev holds only null, zero, full, random,
urandom, tty, the /proc/self/fd links and a private shm; there is no /dev/mqueue and no /sys;
no write below a system folder succeeds; the host's /dev/shm and /dev/mqueue have no
pwned-TOKEN file afterwards.
"""
import os

TOKEN = "{{TOKEN}}"
MINIMAL_DEV = {"null", "zero", "full", "random", "urandom", "tty"}
MINIMAL_DEV |= {"fd", "stdin", "stdout", "stderr", "shm"}
SYSTEM = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/etc")


def _write(path):
    try:
        with open(path, "w") as f:
            f.write(TOKEN)
        return "written"
    except OSError as exc:
        return exc.strerror


def _system_mounts():
    with open("/proc/self/mountinfo") as f:
        points = [line.split()[4] for line in f]
    return sorted(p for p in set(points) if any(p == s or p.startswith(s + "/") for s in SYSTEM))


def make_optimizer():
    escaped, seen = [], []
    try:
        dev = set(os.listdir("/dev"))
        seen.append(f"/dev: {sorted(dev)}")
        if dev - MINIMAL_DEV:
            escaped.append(f"/dev also lists {sorted(dev - MINIMAL_DEV)}")
    except OSError as exc:
        seen.append(f"/dev: {exc.strerror}")
    seen.append(f"/dev/shm (private): {_write(f'/dev/shm/pwned-{TOKEN}')}")
    targets = [f"/dev/mqueue/pwned-{TOKEN}", f"/dev/pwned-{TOKEN}"]
    targets += [os.path.join(p, f"pwned-{TOKEN}") for p in _system_mounts()]
    for path in targets:
        outcome = _write(path)
        seen.append(f"{path}: {outcome}")
        if outcome == "written":
            escaped.append(f"wrote {path}")
    for path in ("/sys/fs/cgroup", "/sys/fs/cgroup/cgroup.procs", "/sys/class/net"):
        try:
            found = os.listdir(path) if os.path.isdir(path) else open(path).read(200)
            escaped.append(f"read {path}: {str(found)[:100]}")
        except OSError as exc:
            seen.append(f"{path}: {exc.strerror}")
    if escaped:
        raise RuntimeError("escaped: " + "; ".join(escaped) + " | " + "; ".join(seen))
    raise PermissionError("contained: " + "; ".join(seen))
