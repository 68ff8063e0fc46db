"""Warm zygote: imports heavy modules once, then forks one isolated child per job.

Started by grader.sandbox as ``python -m grader.zygote FD`` (FD: its end of a socketpair). It must
never run a TensorFlow op itself: children forked after one would inherit a broken runtime.
"""

from __future__ import annotations

import contextlib
import ctypes
import importlib
import os
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
from typing import Any, NoReturn

from grader.sandbox import (
    BASE_ENV,
    EXIT_ISOLATION,
    EXIT_MEMORY,
    SAFE_PATH,
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
MS_BIND, MS_REC, MS_PRIVATE = 4096, 16384, 1 << 18
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


# -- the job's view of the filesystem (root only) -------------------------------------------------
# Directories of the host every job sees, read-only: the system and Python's own files. Nothing
# else of the host (the course, home directories, other checkouts, /tmp) exists in the view.
SYSTEM_DIRS = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/etc")
_VIEW_DIR: str | None = None  # the zygote's own (root-only) mount point for the job views
_MAX_COPY_DEPTH = 16  # handing back: deeper folders of the job are ignored


def _mount(
    source: str | None, target: str, fstype: str | None, flags: int, data: str | None
) -> None:
    def enc(text: str | None) -> bytes | None:
        return None if text is None else os.fsencode(text)

    ret = _libc.mount(enc(source), enc(target), enc(fstype), flags, enc(data))
    _check(ret, f"mount {source or ''} {fstype or ''} on {target}")


def _bind(source: str, target: str, readonly: bool = True) -> None:
    _mount(source, target, None, MS_BIND | MS_REC, None)
    if readonly:
        flags = MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV
        _mount(None, target, None, flags, None)


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
    dead. /tmp, /var/tmp and /dev/shm are private tmpfs, /proc hides other users' processes, and
    every path in req["hide"] (plus any packaged course) is covered with an empty folder.
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
    os.mkdir(inner("/dev"), 0o755)
    _mount("/dev", inner("/dev"), None, MS_BIND | MS_REC, None)
    _mount(None, inner("/dev"), None, MS_REMOUNT | MS_BIND | MS_NOSUID | MS_NOEXEC, None)
    os.mkdir(inner("/sys"), 0o755)
    _bind("/sys", inner("/sys"))
    os.mkdir(inner("/proc"), 0o555)
    # A proc of our own that shows other users' processes to nobody (the zygote, the grader).
    _mount("proc", inner("/proc"), "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, "hidepid=2")
    os.makedirs(inner("/dev/shm"), 0o755, exist_ok=True)
    _mount("tmpfs", inner("/dev/shm"), "tmpfs", MS_NOSUID | MS_NODEV, scratch)
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


def _parents(folder: str, top: str) -> list[str]:
    """`folder` and its parents up to, not including, `top`."""
    out = []
    while folder != top and _inside(folder, top):
        out.append(folder)
        folder = os.path.dirname(folder)
    return out


def _copy_back(src_fd: int, dest: str) -> None:
    """Copy what the job left in its workdir tmpfs (held open by `src_fd`) to the real workdir.

    Runs in the zygote, as root, after every process of the job is dead: only regular files and
    folders are copied (no symlinks, fifos or devices; O_NOFOLLOW everywhere), never deeper than
    _MAX_COPY_DEPTH, and files the job did not change are left alone.
    """
    stack = [(src_fd, dest, 0)]
    opened: list[int] = []
    try:
        while stack:
            fd, target, depth = stack.pop()
            for entry in os.scandir(fd):
                if depth == 0 and entry.name == ".tmp":
                    continue
                try:
                    st = entry.stat(follow_symlinks=False)
                except OSError:
                    continue
                out = os.path.join(target, entry.name)
                if stat.S_ISDIR(st.st_mode) and depth < _MAX_COPY_DEPTH:
                    try:
                        sub = os.open(
                            entry.name, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=fd
                        )
                    except OSError:
                        continue
                    opened.append(sub)
                    with contextlib.suppress(FileExistsError):
                        os.mkdir(out, 0o755)
                    if os.path.isdir(out) and not os.path.islink(out):
                        stack.append((sub, out, depth + 1))
                elif stat.S_ISREG(st.st_mode):
                    _copy_file(fd, entry.name, st, out)
    finally:
        for fd in opened:
            os.close(fd)


def _copy_file(dir_fd: int, name: str, st: os.stat_result, out: str) -> None:
    try:
        old = os.stat(out, follow_symlinks=False)
        if stat.S_ISREG(old.st_mode) and (old.st_size, old.st_mtime_ns) == (
            st.st_size,
            st.st_mtime_ns,
        ):
            return  # an input the job left as it was
    except FileNotFoundError:
        pass
    try:
        src = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK, dir_fd=dir_fd)
    except OSError:
        return
    try:
        if not stat.S_ISREG(os.fstat(src).st_mode):
            return
        flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW
        try:
            dst = os.open(out, flags, 0o644)
        except OSError:
            return
        try:
            while chunk := os.read(src, 1 << 20):
                os.write(dst, chunk)
        finally:
            os.close(dst)
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
    os.close(out_fd)
    status_w.close()
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
    for handle in handles:  # the job's private workdir: hand back what it left there
        try:
            _copy_back(handle, req["workdir"])
        except OSError:
            traceback.print_exc()
        finally:
            os.close(handle)
    if gone:
        return False
    cpu = usage.ru_utime + usage.ru_stime
    done = {"op": "done", "status": status, "cpu": cpu, "isolated": isolated, "killed": killed}
    send_msg(sock, done)
    return True


def main() -> None:
    global _VIEW_DIR
    sock = socket.socket(fileno=int(sys.argv[1]))
    _check(_libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0), "prctl(PR_SET_CHILD_SUBREAPER)")
    init, _ = recv_msg(sock)
    if init is None:
        return
    try:
        # `python -m` put our private cwd first; jobs should not import from there.
        sys.path[:] = [*init["sys_path"], *(p for p in sys.path if p not in ("", os.getcwd()))]
        for name in ("numpy", *init["preload"]):
            importlib.import_module(name)
    except BaseException:  # reported to the trusted side
        send_msg(sock, {"op": "error", "error": traceback.format_exc()})
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


if __name__ == "__main__":
    main()
