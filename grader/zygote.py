"""Warm zygote: imports heavy modules once, then forks one isolated child per job.

Started by grader.sandbox as ``python -m grader.zygote FD`` (FD: its end of a socketpair), or forked
by a template (``python -m grader.zygote FD template``), which imports the same heavy modules once and
forks one zygote per sandbox, so that N sandboxes of one process pay one import of Keras, not N side
by side. Neither may ever run a TensorFlow op itself: children forked after one would inherit a
broken runtime.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import importlib
import os
import platform
import re
import resource
import select
import shutil
import signal
import socket
import stat
import sys
import tempfile
import time
import traceback
from collections.abc import Sequence
from dataclasses import asdict
from fnmatch import fnmatchcase
from typing import Any, NoReturn

from grader.sandbox import (
    BASE_ENV,
    EXIT_ISOLATION,
    EXIT_MEMORY,
    HANDBACK,
    SAFE_PATH,
    Limits,
    descendants,
    kill_pids,
    processes_of_uid,
    recv_msg,
    send_msg,
)

CLONE_NEWNS = 0x00020000
CLONE_NEWIPC = 0x08000000
CLONE_NEWUSER = 0x10000000
CLONE_NEWNET = 0x40000000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_REMOUNT = 1, 2, 4, 8, 32
MS_NOSYMFOLLOW, MS_NOATIME, MS_NODIRATIME = 256, 1024, 2048
MS_BIND, MS_REC, MS_PRIVATE = 4096, 16384, 1 << 18
MS_RELATIME, MS_STRICTATIME = 1 << 21, 1 << 24
PR_SET_SECCOMP = 22
PR_SET_CHILD_SUBREAPER = 36
PR_SET_NO_NEW_PRIVS = 38
_libc = ctypes.CDLL(None, use_errno=True)


def _check(ret: int, what: str) -> None:
    if ret != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"{what}: {os.strerror(err)}")


# -- the child: isolate, then run the job ---------------------------------------------------------
def _reset_signals() -> None:
    for sig in signal.valid_signals():
        if sig in (signal.SIGKILL, signal.SIGSTOP):
            continue
        with contextlib.suppress(OSError, ValueError):
            signal.signal(sig, signal.SIG_DFL)
    # Python programs expect EPIPE/EFBIG errors rather than dying on these two signals.
    signal.signal(signal.SIGPIPE, signal.SIG_IGN)
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_SETMASK, set())


def _deny_network() -> None:
    """Best-effort fallback when no network namespace can be made: Python-level guards only."""

    def denied(*_args: Any, **_kwargs: Any) -> NoReturn:
        raise PermissionError("network access is disabled in the sandbox")

    class GuardedSocket(socket.socket):
        def __init__(self, family: Any = -1, *args: Any, **kwargs: Any) -> None:
            if family in (-1, socket.AF_INET, socket.AF_INET6) and kwargs.get("fileno") is None:
                denied()
            super().__init__(family, *args, **kwargs)

    socket.socket = GuardedSocket  # type: ignore[misc]
    socket.create_connection = denied
    socket.getaddrinfo = denied


def _isolate_network(is_root: bool) -> None:
    # A fresh network namespace has only a downed loopback: nothing, not even localhost, answers.
    if _libc.unshare(CLONE_NEWNET) == 0:
        return
    if not is_root:
        uid, gid = os.getuid(), os.getgid()
        if _libc.unshare(CLONE_NEWUSER | CLONE_NEWNET) == 0:
            # Map ourselves onto ourselves, or file creation fails with EOVERFLOW.
            for name, text in (
                ("setgroups", "deny"),
                ("uid_map", f"{uid} {uid} 1"),
                ("gid_map", f"{gid} {gid} 1"),
            ):
                with open(f"/proc/self/{name}", "w") as f:
                    f.write(text)
            return
    _deny_network()


# -- seccomp: sockets no namespace covers ---------------------------------------------------------
# vsock (guest <-> hypervisor) is not scoped by network namespaces: in a VM it reaches the host
# whatever namespace the job is in. io_uring can create sockets without the socket() syscall, so it
# is refused too. Everything else is allowed: the filter is this one hole, not a general policy.
AF_VSOCK = 40
SECCOMP_MODE_FILTER = 2
SECCOMP_RET_KILL_PROCESS = 0x80000000
SECCOMP_RET_ERRNO = 0x00050000
SECCOMP_RET_ALLOW = 0x7FFF0000
X32_SYSCALL_BIT = 0x40000000
# machine: (AUDIT_ARCH_*, socket, socketpair, io_uring_setup/enter/register, has an x32 ABI)
SECCOMP_ARCHES = {
    "x86_64": (0xC000003E, 41, 53, (425, 426, 427), True),
    "aarch64": (0xC00000B7, 198, 199, (425, 426, 427), False),
}
_BPF_LD_W_ABS, _BPF_JEQ_K, _BPF_JGE_K, _BPF_RET_K = 0x20, 0x15, 0x35, 0x06
_SECCOMP_NR, _SECCOMP_ARCH, _SECCOMP_ARG0 = 0, 4, 16  # offsets in struct seccomp_data


class _SockFilter(ctypes.Structure):
    _fields_ = [
        ("code", ctypes.c_ushort),
        ("jt", ctypes.c_ubyte),
        ("jf", ctypes.c_ubyte),
        ("k", ctypes.c_uint),
    ]


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.POINTER(_SockFilter))]


def seccomp_program(machine: str | None = None) -> list[tuple[int, int, int, int]] | None:
    """The BPF filter (code, jt, jf, k) refusing AF_VSOCK sockets; None on an unknown machine.

    Syscalls of another ABI (i386 via int 0x80, x32) kill the process: their numbers differ and a
    Python job never makes them. socket()/socketpair() with domain AF_VSOCK fail with EACCES (the
    domain is an int: its low 32 bits are what the kernel reads); io_uring fails with ENOSYS.
    """
    spec = SECCOMP_ARCHES.get(machine or platform.machine())
    if spec is None:
        return None
    arch, socket_nr, socketpair_nr, uring, x32 = spec
    # (label, code, jump-if-true label, jump-if-false label, k); labels become forward offsets.
    prog: list[tuple[str | None, int, str | None, str | None, int]] = [
        (None, _BPF_LD_W_ABS, None, None, _SECCOMP_ARCH),
        (None, _BPF_JEQ_K, None, "kill", arch),
        (None, _BPF_LD_W_ABS, None, None, _SECCOMP_NR),
    ]
    if x32:
        prog.append((None, _BPF_JGE_K, "kill", None, X32_SYSCALL_BIT))
    prog += [
        (None, _BPF_JEQ_K, "family", None, socket_nr),
        (None, _BPF_JEQ_K, "family", None, socketpair_nr),
        *((None, _BPF_JEQ_K, "enosys", None, nr) for nr in uring),
        (None, _BPF_RET_K, None, None, SECCOMP_RET_ALLOW),
        ("family", _BPF_LD_W_ABS, None, None, _SECCOMP_ARG0),
        (None, _BPF_JEQ_K, "eacces", None, AF_VSOCK),
        (None, _BPF_RET_K, None, None, SECCOMP_RET_ALLOW),
        ("eacces", _BPF_RET_K, None, None, SECCOMP_RET_ERRNO | errno.EACCES),
        ("enosys", _BPF_RET_K, None, None, SECCOMP_RET_ERRNO | errno.ENOSYS),
        ("kill", _BPF_RET_K, None, None, SECCOMP_RET_KILL_PROCESS),
    ]
    labels = {label: i for i, (label, *_rest) in enumerate(prog) if label}
    out = []
    for i, (_label, code, jt, jf, k) in enumerate(prog):
        offsets = [0 if to is None else labels[to] - i - 1 for to in (jt, jf)]
        if not all(0 <= off < 256 for off in offsets):
            raise ValueError("seccomp jump out of range")
        out.append((code, offsets[0], offsets[1], k))
    return out


def install_seccomp() -> bool:
    """Install the AF_VSOCK filter on this thread (needs no_new_privs); False: unknown machine."""
    program = seccomp_program()
    if program is None:
        return False
    filters = (_SockFilter * len(program))(*(_SockFilter(*ins) for ins in program))
    fprog = _SockFprog(len(program), filters)
    zero = ctypes.c_ulong(0)
    ret = _libc.prctl(
        PR_SET_SECCOMP, ctypes.c_ulong(SECCOMP_MODE_FILTER), ctypes.byref(fprog), zero, zero
    )
    _check(ret, "prctl(PR_SET_SECCOMP)")
    return True


# -- the job's view of the filesystem (root only) -------------------------------------------------
# Directories of the host every job sees, read-only: the system and Python's own files. Nothing
# else of the host (the course, home directories, other checkouts, /tmp) exists in the view.
SYSTEM_DIRS = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/etc")
DEV_NODES = ("null", "zero", "full", "random", "urandom", "tty")
DEV_LINKS = {
    "fd": "/proc/self/fd",
    "stdin": "/proc/self/fd/0",
    "stdout": "/proc/self/fd/1",
    "stderr": "/proc/self/fd/2",
}
_VIEW_DIR: str | None = None  # the zygote's own (root-only) mount point for the job views
_MAX_COPY_DEPTH = 16  # handing back: deeper folders of the job are ignored


def _mount(
    source: str | None, target: str, fstype: str | None, flags: int, data: str | None
) -> None:
    def enc(text: str | None) -> bytes | None:
        return None if text is None else os.fsencode(text)

    ret = _libc.mount(enc(source), enc(target), enc(fstype), flags, enc(data))
    _check(ret, f"mount {source or ''} {fstype or ''} on {target}")


# Per-mount options of /proc/self/mountinfo and the flags that keep them on a bind remount.
_OPTION_FLAGS = {
    "ro": MS_RDONLY,
    "nosuid": MS_NOSUID,
    "nodev": MS_NODEV,
    "noexec": MS_NOEXEC,
    "nosymfollow": MS_NOSYMFOLLOW,
    "noatime": MS_NOATIME,
    "nodiratime": MS_NODIRATIME,
    "relatime": MS_RELATIME,
    "strictatime": MS_STRICTATIME,
}
_ATIME_FLAGS = MS_NOATIME | MS_NODIRATIME | MS_RELATIME | MS_STRICTATIME


def mounts_under(target: str) -> list[tuple[str, int]]:
    """(mount point, current flags) of `target` and every mount below it, outermost first."""
    found = []
    with open("/proc/self/mountinfo", "rb") as f:
        for line in f:
            fields = line.split()
            point = os.fsdecode(
                re.sub(rb"\\([0-7]{3})", lambda m: bytes([int(m.group(1), 8)]), fields[4])
            )
            if _inside(point, target):
                flags = 0
                for option in fields[5].decode().split(","):
                    flags |= _OPTION_FLAGS.get(option, 0)
                found.append((point, flags))
    return sorted(dict(found).items(), key=lambda item: item[0].count("/"))


def _bind(source: str, target: str, readonly: bool = True, devices: bool = False) -> None:
    """Bind `source` (recursively) on `target`; read-only makes every mount of the tree read-only.

    A bind remount changes one mount: the submounts MS_REC brought along (e.g. a tmpfs mounted
    somewhere under /usr) are remounted one by one. `devices`: a device node, left usable (no
    nodev) but noexec.
    """
    _mount(source, target, None, MS_BIND | MS_REC, None)
    if not readonly:
        return
    wanted = MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | (MS_NOEXEC if devices else MS_NODEV)
    for point, current in mounts_under(target):
        # Restrictions the mount already has are kept; atime flags too if the kernel insists
        # (a mount locked by a user namespace refuses a remount that drops any of its flags).
        flags = wanted | (current & ~_ATIME_FLAGS & ~MS_RDONLY)
        try:
            _mount(None, point, None, flags, None)
        except PermissionError:
            _mount(None, point, None, flags | current, None)


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip("/") + "/")


def _python_paths() -> list[str]:
    """What the job needs to run Python and import what the zygote imported."""
    paths = [sys.prefix, sys.base_prefix, sys.exec_prefix, os.path.dirname(sys.executable)]
    for entry in sys.path:
        if not entry or not os.path.isabs(entry) or not os.path.exists(entry):
            continue
        if os.path.isfile(os.path.join(entry, "pyproject.toml")):
            # A source checkout (the course, its tests and .git live here too): only the packages
            # imported from it, e.g. grader/, become visible.
            for module in list(sys.modules.values()):
                origin = getattr(module, "__file__", None) or ""
                name = getattr(module, "__name__", "")
                if "." not in name and _inside(os.path.abspath(origin), entry):
                    top = os.path.relpath(os.path.abspath(origin), entry).split(os.sep)[0]
                    paths.append(os.path.join(entry, top))
            continue
        paths.append(entry)
    found = set()
    for path in paths:
        if os.path.exists(path):
            found.update({os.path.abspath(path), os.path.realpath(path)})
    return sorted(found)


def _default_hidden() -> list[str]:
    """A packaged course (grader/_course) next to any importable grader package."""
    hidden = []
    for entry in sys.path:
        if entry and os.path.isabs(entry):
            hidden.append(os.path.join(entry, "grader", "_course"))
    return hidden


def _hide(path: str) -> None:
    """Cover `path` (seen from inside the view) with an empty, read-only, unreadable folder."""
    if not os.path.lexists(path) or os.path.islink(path):
        return
    if os.path.isdir(path):
        flags = MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC
        _mount("tmpfs", path, "tmpfs", flags, "mode=000,size=4k,nr_inodes=2")
    else:
        _bind("/dev/null", path)


def _build_view(req: dict[str, Any], uid: int) -> int:
    """Give the job a private root holding only what it needs; returns a handle on its workdir.

    The workdir is a fresh size- and inode-limited tmpfs holding a copy of the inputs; the zygote
    copies what the job leaves there back to the real workdir after every process of the job is
    dead. Every host folder in the view is read-only down to its last submount; /dev is a minimal
    one of our own; there is no /sys. /tmp, /var/tmp and /dev/shm are private tmpfs, /proc hides
    other users' processes, and every path in req["hide"] (plus any packaged course) is covered
    with an empty folder.
    """
    if _VIEW_DIR is None:
        raise RuntimeError("the zygote has no mount point for job views")
    limits, workdir = req["limits"], os.path.realpath(req["workdir"])
    mb = 1024 * 1024
    keep = _python_paths()
    umask = os.umask(0o022)  # the folders made below must be traversable by the job
    _check(_libc.unshare(CLONE_NEWNS), "unshare(CLONE_NEWNS)")
    # Private propagation first, or the mounts below would appear on the host.
    _mount(None, "/", None, MS_REC | MS_PRIVATE, None)
    root = _VIEW_DIR
    _mount("tmpfs", root, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755,size=1m,nr_inodes=4096")

    def inner(path: str) -> str:
        return root + path

    bound: list[str] = []
    for path in SYSTEM_DIRS:
        if os.path.islink(path):
            os.symlink(os.readlink(path), inner(path))
        elif os.path.isdir(path):
            os.mkdir(inner(path), 0o755)
            _bind(path, inner(path))
            bound.append(path)
    # Private /tmp and /var/tmp before the kept paths: a checkout under /tmp (CI clones) must be
    # bound on top of the private tmpfs, not hidden under it.
    scratch_mb = max(1, min(64, limits["disk_mb"]))
    scratch = f"mode=1777,size={scratch_mb}m,nr_inodes=1024"
    for path in ("/tmp", "/var/tmp"):
        os.makedirs(inner(path), 0o755, exist_ok=True)
        _mount("tmpfs", inner(path), "tmpfs", MS_NOSUID | MS_NODEV, scratch)
    for path in keep:
        if any(_inside(path, b) for b in bound) or os.path.lexists(inner(path)):
            continue
        if os.path.isdir(path):
            os.makedirs(inner(path), 0o755, exist_ok=True)
        else:
            os.makedirs(os.path.dirname(inner(path)), 0o755, exist_ok=True)
            os.close(os.open(inner(path), os.O_CREAT | os.O_WRONLY, 0o644))
        _bind(path, inner(path))
        bound.append(path)
    _build_dev(inner("/dev"), scratch)
    # No /sys: it lists the host's processes (cgroups) and devices, and no job needs it.
    os.mkdir(inner("/proc"), 0o555)
    # A proc of our own that shows other users' processes to nobody (the zygote, the grader).
    _mount("proc", inner("/proc"), "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, "hidepid=2")
    # The workdir: a copy of the inputs in a tmpfs of its own, so that size and file count are
    # limited (RLIMIT_FSIZE alone allows any number of files at its limit).
    files = [
        os.path.join(top, name)
        for top, _dirs, names in os.walk(workdir)
        for name in names
        if os.path.isfile(os.path.join(top, name)) and not os.path.islink(os.path.join(top, name))
    ]
    size = sum(os.path.getsize(f) for f in files) + limits["disk_mb"] * mb
    count = len(files) + limits["max_files"] + 64
    target = inner(workdir)
    os.makedirs(target, 0o755, exist_ok=True)
    options = f"mode=0700,uid={uid},gid={uid},size={size},nr_inodes={count}"
    _mount("tmpfs", target, "tmpfs", MS_NOSUID | MS_NODEV, options)
    for source in files:
        rel = os.path.relpath(source, workdir)
        dest = os.path.join(target, rel)
        parent = os.path.dirname(dest)
        if not os.path.isdir(parent):
            os.makedirs(parent, 0o700)
            for folder in _parents(parent, target):
                os.chown(folder, uid, uid)
        shutil.copy2(source, dest, follow_symlinks=False)
        os.chown(dest, uid, uid)
    handle = os.open(target, os.O_RDONLY | os.O_DIRECTORY)
    os.chroot(root)
    os.chdir("/")
    for path in [*req.get("hide", []), *_default_hidden()]:
        for candidate in {os.path.abspath(path), os.path.realpath(path)}:
            # Never what the job needs: its workdir, Python and the packages it imports.
            if not any(_inside(needed, candidate) for needed in [workdir, *keep]):
                _hide(candidate)
    os.umask(umask)
    return handle


def _build_dev(dev: str, shm_options: str) -> None:
    """A /dev of our own: a few harmless device nodes of the host, /proc/self/fd links and a
    private /dev/shm; nothing else of the host's /dev (no /dev/mqueue, ptys or disks)."""
    os.mkdir(dev, 0o755)
    options = "mode=0755,size=64k,nr_inodes=64"
    _mount("tmpfs", dev, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, options)
    for name in DEV_NODES:
        host = os.path.join("/dev", name)
        try:
            if not stat.S_ISCHR(os.stat(host).st_mode):
                continue
        except OSError:
            continue
        node = os.path.join(dev, name)
        os.close(os.open(node, os.O_CREAT | os.O_WRONLY, 0o666))
        _bind(host, node, devices=True)
    for name, target in DEV_LINKS.items():
        os.symlink(target, os.path.join(dev, name))
    os.mkdir(os.path.join(dev, "shm"), 0o755)
    _mount("tmpfs", os.path.join(dev, "shm"), "tmpfs", MS_NOSUID | MS_NODEV, shm_options)
    flags = MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC
    _mount(None, dev, None, flags, options)


def _parents(folder: str, top: str) -> list[str]:
    """`folder` and its parents up to, not including, `top`."""
    out = []
    while folder != top and _inside(folder, top):
        out.append(folder)
        folder = os.path.dirname(folder)
    return out


def _glob_match(parts: Sequence[str], pattern: Sequence[str]) -> bool:
    """Whether a relative path matches a pattern, both split on "/"; "**": any number of parts."""
    if not pattern:
        return not parts
    if pattern[0] == "**":
        return any(_glob_match(parts[i:], pattern[1:]) for i in range(len(parts) + 1))
    return bool(parts) and fnmatchcase(parts[0], pattern[0]) and _glob_match(parts[1:], pattern[1:])


def _glob_below(parts: Sequence[str], pattern: Sequence[str]) -> bool:
    """Whether something below the folder `parts` may match `pattern` (else it is not entered)."""
    if not parts:
        return bool(pattern)
    if not pattern:
        return False
    if pattern[0] == "**":
        return True
    return fnmatchcase(parts[0], pattern[0]) and _glob_below(parts[1:], pattern[1:])


def handback_patterns(patterns: Sequence[str]) -> list[list[str]]:
    """Usable allow-list patterns, split on "/": relative, no "." or ".." parts."""
    out = []
    for pattern in patterns:
        parts = [p for p in pattern.split("/") if p]
        if parts and not pattern.startswith("/") and not {".", ".."} & set(parts):
            out.append(parts)
    return out


def _copy_back(
    src_fd: int,
    dest: str,
    patterns: Sequence[str] = HANDBACK,
    max_bytes: int = Limits.handback_mb * 1024 * 1024,
    max_files: int = Limits.handback_files,
) -> list[str]:
    """Copy what the job left in its workdir tmpfs (held open by `src_fd`) to the real workdir.

    Runs in the zygote, as root, after every process of the job is dead. Only paths matching an
    allow-list pattern (relative to the workdir, "**" spans folders; earlier patterns first) are
    copied, and of those only regular files and folders (O_NOFOLLOW everywhere), never deeper than
    _MAX_COPY_DEPTH, within `max_bytes` and `max_files` (folders made count). Refused: files with
    more than one name (tmpfs charges a hard link nothing, a copy would cost its size again) and
    sparse files (blocks short of their size: the copy would be dense). Files the job did not
    change are left alone. Returns one line per refused or cut path; never raises OSError.
    """
    split = handback_patterns(patterns)
    found: list[tuple[int, tuple[str, ...], bool]] = []  # (pattern index, path parts, folder)
    notes: list[str] = []

    def rank(parts: tuple[str, ...]) -> int | None:
        return next((i for i, pat in enumerate(split) if _glob_match(parts, pat)), None)

    def walk(fd: int, parts: tuple[str, ...]) -> None:
        try:
            with os.scandir(fd) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError:
            return
        for entry in entries:
            rel = (*parts, entry.name)
            if not parts and entry.name == ".tmp":
                continue
            try:
                st = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            index = rank(rel)
            if stat.S_ISDIR(st.st_mode):
                if index is not None:
                    found.append((index, rel, True))
                if not any(_glob_below(rel, pat) for pat in split):
                    continue
                if len(rel) >= _MAX_COPY_DEPTH:
                    notes.append(f"{'/'.join(rel)}: folders nested too deep")
                    continue
                try:
                    sub = os.open(
                        entry.name, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=fd
                    )
                except OSError:
                    continue
                try:
                    walk(sub, rel)
                finally:
                    os.close(sub)
            elif index is not None:
                if stat.S_ISREG(st.st_mode):
                    found.append((index, rel, False))
                else:
                    notes.append(f"{'/'.join(rel)}: not a regular file")

    walk(src_fd, ())
    budget = _Budget(max_bytes, max_files)
    for _index, rel, folder in sorted(found):
        name = "/".join(rel)
        if folder:
            if not _dest_folder(dest, rel, budget):
                notes.append(f"{name}/: cut: over the cap of {max_files} files")
            continue
        why = _copy_file(src_fd, rel, dest, budget)
        if why:
            notes.append(f"{name}: {why}")
    return notes


class _Budget:
    """What the handback may still write: bytes and files (folders count as files)."""

    def __init__(self, size: int, files: int) -> None:
        self.size, self.files = self.max_size, self.max_files = size, files


def _dest_folder(dest: str, rel: Sequence[str], budget: _Budget) -> bool:
    """Make dest/rel (each folder made costs one file of the budget); False when over budget."""
    path = dest
    for part in rel:
        path = os.path.join(path, part)
        if os.path.isdir(path) and not os.path.islink(path):
            continue
        if budget.files <= 0:
            return False
        try:
            os.mkdir(path, 0o755)
        except OSError:
            return False
        budget.files -= 1
    return True


def _open_under(root_fd: int, rel: Sequence[str]) -> int:
    """Open root/rel for reading, following no symlink on the way."""
    fd = root_fd
    try:
        for part in rel[:-1]:
            sub = os.open(part, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=fd)
            if fd != root_fd:
                os.close(fd)
            fd = sub
        return os.open(rel[-1], os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK, dir_fd=fd)
    finally:
        if fd != root_fd:
            os.close(fd)


def _copy_file(root_fd: int, rel: Sequence[str], dest: str, budget: _Budget) -> str:
    """Copy one file of the job's workdir; the reason it was not copied, or ""."""
    try:
        src = _open_under(root_fd, rel)
    except OSError as exc:
        return f"not readable ({exc.strerror})"
    try:
        st = os.fstat(src)
        if not stat.S_ISREG(st.st_mode):
            return "not a regular file"
        if st.st_nlink > 1:
            return f"refused: a hard link ({st.st_nlink} names)"
        if st.st_blocks * 512 < st.st_size:
            return f"refused: a sparse file ({st.st_size} bytes in {st.st_blocks * 512})"
        out = os.path.join(dest, *rel)
        try:
            old = os.stat(out, follow_symlinks=False)
            if stat.S_ISREG(old.st_mode) and (old.st_size, old.st_mtime_ns) == (
                st.st_size,
                st.st_mtime_ns,
            ):
                return ""  # an input the job left as it was
        except OSError:
            pass
        if st.st_size > budget.size:
            return f"cut: {st.st_size} bytes, over the cap of {budget.max_size} bytes in all"
        if not _dest_folder(dest, rel[:-1], budget) or budget.files <= 0:
            return f"cut: over the cap of {budget.max_files} files"
        flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW
        try:
            dst = os.open(out, flags, 0o644)
        except OSError as exc:
            return f"not written ({exc.strerror})"
        budget.files -= 1
        budget.size -= st.st_size
        try:
            left = st.st_size  # never more than it had when the job ended
            while left > 0 and (chunk := os.read(src, min(left, 1 << 20))):
                os.write(dst, chunk)
                left -= len(chunk)
        except OSError as exc:
            return f"copy failed ({exc.strerror})"
        finally:
            os.close(dst)
        return ""
    finally:
        os.close(src)


def _set_limit(which: int, value: int, soft: int | None = None) -> None:
    hard = resource.getrlimit(which)[1]
    if hard != resource.RLIM_INFINITY:
        value = min(value, hard)
    resource.setrlimit(which, (min(soft if soft is not None else value, value), value))


def _vmsize() -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    raise RuntimeError("no VmSize in /proc/self/status")


def _isolate(req: dict[str, Any]) -> int | None:
    """Isolate the child; returns the handle on the job's private workdir (root only) or None."""
    limits, workdir, uid = req["limits"], req["workdir"], req["uid"]
    is_root = os.geteuid() == 0
    drop = is_root and uid is not None
    _isolate_network(is_root)
    tmpdir = os.path.join(workdir, ".tmp")
    handle = None
    if drop:
        # SysV shared memory and message queues of the host stay out of reach.
        _check(_libc.unshare(CLONE_NEWIPC), "unshare(CLONE_NEWIPC)")
        handle = _build_view(req, uid)
        os.makedirs(tmpdir, 0o700, exist_ok=True)
        os.chown(tmpdir, uid, uid)
    else:
        os.makedirs(tmpdir, mode=0o700, exist_ok=True)
    os.chdir(workdir)
    mb = 1024 * 1024
    _set_limit(resource.RLIMIT_CPU, limits["cpu_seconds"] + 1, soft=limits["cpu_seconds"])
    _set_limit(resource.RLIMIT_FSIZE, limits["file_size_mb"] * mb)
    _set_limit(resource.RLIMIT_NOFILE, limits["open_files"])
    _set_limit(resource.RLIMIT_CORE, 0)
    _set_limit(resource.RLIMIT_AS, _vmsize() + limits["memory_mb"] * mb)
    if drop:
        # setuid as root sets real, effective and saved uid: there is no way back.
        os.setgroups([])
        os.setgid(uid)
        os.setuid(uid)
        if set(os.getresuid()) != {uid} or set(os.getresgid()) != {uid} or os.getgroups():
            raise RuntimeError("privilege drop incomplete")
        try:
            os.setuid(0)
        except PermissionError:
            pass
        else:
            raise RuntimeError("privilege drop is reversible")
    if os.getuid() != 0:
        # RLIMIT_NPROC counts every process of the uid: without our own uid, leave room for them.
        others = 0 if drop else len(processes_of_uid(os.getuid()))
        _set_limit(resource.RLIMIT_NPROC, others + limits["max_processes"])
    _check(_libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "prctl(PR_SET_NO_NEW_PRIVS)")
    try:
        install_seccomp()
    except OSError:
        if drop:  # the instructor's isolation is not complete without it
            raise
        # A learner's own machine whose kernel has no seccomp: robustness does not need it.
    os.environ.clear()
    os.environ.update(BASE_ENV, PATH=SAFE_PATH, HOME=workdir, TMPDIR=tmpdir)
    tempfile.tempdir = None  # re-read TMPDIR
    return handle


def _run_job(job: str, payload: Any) -> NoReturn:
    code = 0
    try:
        module, _, function = job.partition(":")
        getattr(importlib.import_module(module), function)(payload)
    except SystemExit as exc:
        if exc.code is None or isinstance(exc.code, int):
            code = exc.code or 0
        else:
            print(exc.code, file=sys.stderr)
            code = 1
    except BaseException as exc:  # the job's failure is its result
        try:
            traceback.print_exc()
        except BaseException:  # no memory left even for that
            os.write(2, b"\nMemoryError\n")
        memory = isinstance(exc, MemoryError) or type(exc).__name__ == "ResourceExhaustedError"
        code = EXIT_MEMORY if memory else 1
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(BaseException):  # a closed stream must not change the code
            stream.flush()
    os._exit(code if 0 <= code <= 255 else 1)


def _child(req: dict[str, Any], out_fd: int, status_fd: int) -> NoReturn:
    os.setsid()
    _reset_signals()
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.dup2(out_fd, 1)
    os.dup2(out_fd, 2)
    os.dup2(status_fd, 3)
    os.closerange(4, os.sysconf("SC_OPEN_MAX"))  # above all, the socket to the trusted side
    # Line-buffered, so prints and a traceback interleave in the order they happened.
    sys.stdout, sys.stderr = (
        open(fd, "w", encoding="utf-8", errors="backslashreplace", buffering=1, closefd=False)  # noqa: SIM115
        for fd in (1, 2)
    )
    try:
        handle = _isolate(req)
        # Tells the zygote isolation is complete; the workdir handle rides along (root only).
        status = socket.socket(fileno=3)
        socket.send_fds(status, [b"\x01"], [handle] if handle is not None else [])
        status.close()
        if handle is not None:
            os.close(handle)
    except BaseException:  # told by the missing status byte
        traceback.print_exc()
        sys.stderr.flush()
        os._exit(EXIT_ISOLATION)
    _run_job(req["job"], req["payload"])


# -- the zygote ------------------------------------------------------------------------------------
def _reap() -> None:
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def _kill_as(uid: int) -> None:
    """Kill every process of `uid` from a helper that becomes `uid`: kill(-1) spares only itself."""
    pid = os.fork()
    if pid == 0:
        try:
            os.setgroups([])
            os.setgid(uid)
            os.setuid(uid)
            os.kill(-1, signal.SIGKILL)
        finally:
            os._exit(0)
    os.waitpid(pid, 0)


def _kill_everything(uid: int | None, budget: float = 30.0) -> None:
    """Kill and reap every descendant (orphans come to us: we are a subreaper) and the job uid."""
    deadline = time.monotonic() + budget
    me = os.getpid()
    while time.monotonic() < deadline:
        if uid is not None and os.geteuid() == 0 and processes_of_uid(uid):
            _kill_as(uid)
        pids = descendants(me)
        _reap()
        if not pids and not (uid is not None and os.geteuid() == 0 and processes_of_uid(uid)):
            break
        kill_pids(pids)
        time.sleep(0.005)
    _reap()


def _wait(sock: socket.socket, pid: int, pidfd: int) -> tuple[bool, bool]:
    """Wait for the child while answering kill requests: (killed on request, caller gone)."""
    poller = select.poll()
    poller.register(sock, select.POLLIN)
    poller.register(pidfd, select.POLLIN)
    killed = False
    while True:
        ready = [fd for fd, _ in poller.poll()]
        if pidfd in ready:
            return killed, False
        msg, fds = recv_msg(sock)
        for fd in fds:
            os.close(fd)
        if msg is None or msg.get("op") == "kill":
            # kill(pid) too: before its setsid() the child is not yet a group leader.
            for kill in (os.kill, os.killpg):
                with contextlib.suppress(OSError):
                    kill(pid, signal.SIGKILL)
            if msg is None:
                poller.unregister(sock)
                return killed, True
            killed = True


def _serve(sock: socket.socket, req: dict[str, Any], out_fd: int) -> bool:
    """Run one job; False when the trusted side has gone away."""
    status_r, status_w = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    sys.stdout.flush()
    sys.stderr.flush()
    try:
        pid = os.fork()
    except OSError as exc:
        os.close(out_fd)
        status_r.close()
        status_w.close()
        send_msg(sock, {"op": "error", "error": f"fork failed: {exc}"})
        return True
    if pid == 0:
        try:
            _child(req, out_fd, status_w.fileno())
        finally:
            os._exit(EXIT_ISOLATION)
    status_w.close()
    try:
        return _supervise(sock, req, pid, status_r, out_fd)
    finally:
        os.close(out_fd)


def _supervise(
    sock: socket.socket, req: dict[str, Any], pid: int, status_r: socket.socket, out_fd: int
) -> bool:
    """Wait for the job, clean up after it, hand back its files; False: the trusted side is gone.

    `out_fd` is the job's output pipe: what the handback refused is said there, after the job.
    """
    pidfd = os.pidfd_open(pid)
    try:
        send_msg(sock, {"op": "started", "pid": pid})
        killed, gone = _wait(sock, pid, pidfd)
    except OSError:
        os.kill(pid, signal.SIGKILL)
        killed, gone = True, True
    _, status, usage = os.wait4(pid, 0)
    os.close(pidfd)
    status_r.setblocking(False)
    try:
        data, handles, _flags, _addr = socket.recv_fds(status_r, 1, 1)
    except (BlockingIOError, OSError):
        data, handles = b"", []
    status_r.close()
    isolated = data == b"\x01"
    _kill_everything(req.get("uid"))
    limits = {**asdict(Limits()), **req["limits"]}
    for handle in handles:  # the job's private workdir: hand back what it left there
        try:
            notes = _copy_back(
                handle,
                req["workdir"],
                req.get("handback") or HANDBACK,
                limits["handback_mb"] * 1024 * 1024,
                limits["handback_files"],
            )
        except Exception as exc:  # a bug here must not cost the grading of the job
            traceback.print_exc()
            notes = [f"handback failed: {exc!r}"]
        finally:
            os.close(handle)
        _say(out_fd, notes)
    if gone:
        return False
    cpu = usage.ru_utime + usage.ru_stime
    done = {"op": "done", "status": status, "cpu": cpu, "isolated": isolated, "killed": killed}
    send_msg(sock, done)
    return True


def _say(out_fd: int, notes: list[str], most: int = 20) -> None:
    """Write handback notes to the job's output; never blocks (every writer but us is dead)."""
    if not notes:
        return
    lines = [f"sandbox: not handed back: {note}" for note in notes[:most]]
    if len(notes) > most:
        lines.append(f"sandbox: not handed back: {len(notes) - most} more")
    with contextlib.suppress(OSError):
        os.set_blocking(out_fd, False)
        os.write(out_fd, ("\n" + "\n".join(lines) + "\n").encode(errors="backslashreplace"))


def _preload(sock: socket.socket, init: dict[str, Any]) -> bool:
    """Import what every job needs; False (said on the socket) when an import fails."""
    try:
        # `python -m` put our private cwd first; jobs should not import from there.
        first = list(init["sys_path"])
        sys.path[:] = [*first, *(p for p in sys.path if p not in ("", os.getcwd(), *first))]
        for name in ("numpy", *init["preload"]):
            importlib.import_module(name)
    except BaseException:  # reported to the trusted side
        send_msg(sock, {"op": "error", "error": traceback.format_exc()})
        return False
    return True


def main(sock: socket.socket | None = None) -> None:
    global _VIEW_DIR
    if sock is None:
        sock = socket.socket(fileno=int(sys.argv[1]))
    _check(_libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0), "prctl(PR_SET_CHILD_SUBREAPER)")
    init, _ = recv_msg(sock)
    if init is None:
        return
    if not _preload(sock, init):  # forked by a template: imported already
        return
    if os.geteuid() == 0 and init.get("home"):
        _VIEW_DIR = os.path.join(init["home"], "view")
        os.makedirs(_VIEW_DIR, 0o700, exist_ok=True)
    send_msg(sock, {"op": "ready", "pid": os.getpid()})
    while True:
        msg, fds = recv_msg(sock)
        if msg is None or msg.get("op") == "exit":
            break
        if msg.get("op") == "run" and len(fds) == 1:
            if not _serve(sock, msg, fds[0]):
                break
        else:  # e.g. a kill request that crossed a "done" reply
            for fd in fds:
                os.close(fd)
    _kill_everything(None)
    if init.get("home"):  # the trusted side may have died without cleaning up
        shutil.rmtree(init["home"], ignore_errors=True)


# -- the template: one import of the heavy modules, one forked zygote per sandbox -----------------
def template(sock: socket.socket) -> None:
    """Import the preload once, then fork a zygote for each "spawn" request (its socket rides
    along); the zygote is told apart from the template by nothing but its own socket and home.
    Reaps its zygotes; ends when the trusted side says "exit" or goes away."""
    init, _ = recv_msg(sock)
    if init is None or not _preload(sock, init):
        return
    send_msg(sock, {"op": "ready", "pid": os.getpid()})
    poller = select.poll()
    poller.register(sock, select.POLLIN)
    while True:
        if not poller.poll(200):
            _reap()
            continue
        msg, fds = recv_msg(sock)
        _reap()
        if msg is None or msg.get("op") == "exit":
            break
        home = msg.get("home")
        if msg.get("op") != "spawn" or len(fds) != 1 or not isinstance(home, str):
            for fd in fds:
                os.close(fd)
            send_msg(sock, {"op": "error", "error": "a spawn request names a home and one socket"})
            continue
        try:
            pid = os.fork()
        except OSError as exc:
            os.close(fds[0])
            send_msg(sock, {"op": "error", "error": f"fork failed: {exc}"})
            continue
        if pid == 0:
            _become_zygote(sock, fds[0], home)
        os.close(fds[0])
        send_msg(sock, {"op": "spawned", "pid": pid})
    _reap()  # the zygotes its sandboxes have stopped (their usage then counts as ours)
    if init.get("home"):
        shutil.rmtree(init["home"], ignore_errors=True)


def _become_zygote(template_sock: socket.socket, fd: int, home: str) -> NoReturn:
    """In the template's child: what `python -m grader.zygote FD` would be, without the import."""
    code = 0
    try:
        template_sock.close()
        os.setsid()  # as start_new_session: a Ctrl-C at the terminal is the caller's to handle
        os.chdir(home)
        os.environ["HOME"] = home
        log = os.open(
            os.path.join(home, "zygote.log"), os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600
        )
        os.dup2(log, 1)
        os.dup2(log, 2)
        os.close(log)
        main(socket.socket(fileno=fd))
    except BaseException:  # noqa: BLE001 (said in the zygote's log; the sandbox sees it gone)
        with contextlib.suppress(BaseException):
            traceback.print_exc()
        code = 1
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(BaseException):
            stream.flush()
    os._exit(code)


if __name__ == "__main__":
    if sys.argv[2:] == ["template"]:
        template(socket.socket(fileno=int(sys.argv[1])))
    else:
        main()
    # Everything the zygote owns is cleaned up by now: skip the interpreter's teardown of
    # TensorFlow and Keras, which made every `learn submit` and `learn grade` wait about a second
    # per zygote (bench/RESULTS.md, session 7).
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(BaseException):
            stream.flush()
    os._exit(0)
