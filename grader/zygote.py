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
CLONE_NEWUSER = 0x10000000
CLONE_NEWNET = 0x40000000
MS_NOSUID, MS_NODEV, MS_BIND, MS_REC, MS_PRIVATE = 2, 4, 4096, 16384, 1 << 18
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


def _expose(paths: list[str]) -> None:
    """Make the given paths reachable for an unprivileged uid, in a private mount namespace.

    A directory others cannot traverse (e.g. /root holding a pyenv Python) is covered by a tmpfs
    that holds only bind mounts of the entries leading to the paths; nothing else becomes visible.
    """
    need: dict[str, set[str]] = {}
    for path in paths:
        path = os.path.realpath(path)
        if not path.startswith("/") or not os.path.exists(path):
            continue
        parts = path.split("/")[1:]
        for depth, name in enumerate(parts):
            parent = "/" + "/".join(parts[:depth])
            if parent != "/" and not os.stat(parent).st_mode & stat.S_IXOTH:
                need.setdefault(parent, set()).add(name)
    if not need:
        return
    _check(_libc.unshare(CLONE_NEWNS), "unshare(CLONE_NEWNS)")
    # Private propagation first, or the tmpfs mounts below would appear on the host.
    _check(_libc.mount(None, b"/", None, MS_REC | MS_PRIVATE, None), "mount --make-rprivate /")
    for parent in sorted(need, key=lambda p: p.count("/")):
        fds = {name: os.open(os.path.join(parent, name), os.O_PATH) for name in need[parent]}
        _check(
            _libc.mount(b"tmpfs", parent.encode(), b"tmpfs", MS_NOSUID | MS_NODEV, b"mode=0755"),
            f"mount tmpfs on {parent}",
        )
        for name, fd in fds.items():
            target = os.path.join(parent, name)
            if stat.S_ISDIR(os.fstat(fd).st_mode):
                os.mkdir(target)
            else:
                os.close(os.open(target, os.O_CREAT | os.O_WRONLY, 0o644))
            source = f"/proc/self/fd/{fd}".encode()
            _check(_libc.mount(source, target.encode(), None, MS_BIND | MS_REC, None), target)
            os.close(fd)


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


def _isolate(req: dict[str, Any]) -> None:
    limits, workdir, uid = req["limits"], req["workdir"], req["uid"]
    is_root = os.geteuid() == 0
    drop = is_root and uid is not None
    _isolate_network(is_root)
    tmpdir = os.path.join(workdir, ".tmp")
    os.makedirs(tmpdir, mode=0o700, exist_ok=True)
    if drop:
        _expose([workdir, *sys.path, sys.prefix, sys.base_prefix, sys.exec_prefix])
        for root, dirs, files in os.walk(workdir):
            os.chown(root, uid, uid, follow_symlinks=False)
            for name in files + [d for d in dirs if os.path.islink(os.path.join(root, d))]:
                os.chown(os.path.join(root, name), uid, uid, follow_symlinks=False)
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
        _isolate(req)
    except BaseException:  # told by the missing status byte
        traceback.print_exc()
        sys.stderr.flush()
        os._exit(EXIT_ISOLATION)
    os.write(3, b"\x01")  # tells the zygote isolation is complete
    os.close(3)
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
    status_r, status_w = os.pipe()
    sys.stdout.flush()
    sys.stderr.flush()
    try:
        pid = os.fork()
    except OSError as exc:
        for fd in (out_fd, status_r, status_w):
            os.close(fd)
        send_msg(sock, {"op": "error", "error": f"fork failed: {exc}"})
        return True
    if pid == 0:
        try:
            _child(req, out_fd, status_w)
        finally:
            os._exit(EXIT_ISOLATION)
    os.close(out_fd)
    os.close(status_w)
    pidfd = os.pidfd_open(pid)
    try:
        send_msg(sock, {"op": "started", "pid": pid})
        killed, gone = _wait(sock, pid, pidfd)
    except OSError:
        os.kill(pid, signal.SIGKILL)
        killed, gone = True, True
    _, status, usage = os.wait4(pid, 0)
    os.close(pidfd)
    os.set_blocking(status_r, False)
    try:
        isolated = os.read(status_r, 1) == b"\x01"
    except BlockingIOError:
        isolated = False
    os.close(status_r)
    _kill_everything(req.get("uid"))
    if gone:
        return False
    cpu = usage.ru_utime + usage.ru_stime
    done = {"op": "done", "status": status, "cpu": cpu, "isolated": isolated, "killed": killed}
    send_msg(sock, done)
    return True


def main() -> None:
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
