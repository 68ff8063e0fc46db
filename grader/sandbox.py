"""Trusted side of the process sandbox: keeps a warm zygote and runs one forked child per job.

This module must stay light: it never imports tensorflow, keras or numpy (the zygote does).
"""

from __future__ import annotations

import atexit
import contextlib
import fcntl
import grp
import json
import os
import pwd
import re
import select
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from grader.errors import Problem, SandboxError

__all__ = ["Limits", "RunResult", "Sandbox", "SandboxError", "classify"]

EXIT_MEMORY = 86  # the child exits with this after MemoryError / ResourceExhaustedError
EXIT_ISOLATION = 87  # the child could not isolate itself (the job never ran)
REPO_ROOT = Path(__file__).resolve().parent.parent
# Environment shared by the zygote and every child; no secret of the caller's leaks through it.
BASE_ENV = {"LANG": "C.UTF-8", "TF_CPP_MIN_LOG_LEVEL": "3", "PYTHONHASHSEED": "0"}
BASE_ENV["CUDA_VISIBLE_DEVICES"] = ""
# One thread each, so that training is deterministic and a job cannot hog the machine's cores.
BASE_ENV.update(
    dict.fromkeys(["OMP_NUM_THREADS", "TF_NUM_INTRAOP_THREADS", "TF_NUM_INTEROP_THREADS"], "1")
)
# As root, what the zygote copies back from the job's private workdir when the caller names nothing.
HANDBACK = ("out/**",)
SAFE_PATH = os.pathsep.join([os.path.dirname(sys.executable), "/usr/local/bin", "/usr/bin", "/bin"])
_HEADER = struct.Struct("!I")
_MAX_MESSAGE = 512 * 1024 * 1024
_START_TIMEOUT = 180.0  # importing keras on a loaded machine can take a while
_REPLY_TIMEOUT = 30.0  # the zygote answers "started" right after fork
_KILL_GRACE = 60.0  # killing and reaping a fork bomb after a timeout
_TAIL_BYTES = 8192
_ALLOC_FAILURE = re.compile(
    r"bad_alloc|MemoryError|cannot allocate memory|out of memory|failed to allocate"
    r"|ResourceExhausted|OOM when allocating",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Limits:
    wall_seconds: float = 60.0
    cpu_seconds: int = 120
    memory_mb: int = 2048  # on top of what the zygote already maps (RLIMIT_AS = VmSize + this)
    file_size_mb: int = 64
    max_processes: int = 64
    output_bytes: int = 64_000
    open_files: int = 256
    # As root the workdir is a private tmpfs: what the job may write there on top of its inputs.
    disk_mb: int = 256
    max_files: int = 10_000
    # As root, what the zygote copies back to the real workdir at most (bytes of files, and files
    # plus folders); the rest is cut and said in the job's output.
    handback_mb: int = 200
    handback_files: int = 2000


@dataclass
class RunResult:
    status: str  # "ok" | "error" | "timeout" | "memory" | "killed"
    exit_code: int | None
    signal: int | None
    output: str
    output_truncated: bool
    output_total_bytes: int
    wall_time: float
    reason: str  # English; a Problem (a str with a catalogue key) when it is the sandbox's own


# -- framing: 4-byte big-endian length + JSON; file descriptors ride on the first byte -----------
def send_msg(sock: socket.socket, obj: dict[str, Any], fds: Sequence[int] = ()) -> None:
    data = json.dumps(obj).encode()
    buf = _HEADER.pack(len(data)) + data
    if fds:
        sent = socket.send_fds(sock, [buf], list(fds))
        buf = buf[sent:]
    if buf:
        sock.sendall(buf)


def _recv_exact(sock: socket.socket, n: int, fds: list[int]) -> bytes | None:
    buf = b""
    while len(buf) < n:
        chunk, new_fds, _flags, _addr = socket.recv_fds(sock, n - len(buf), 4)
        fds.extend(new_fds)
        if not chunk:
            return None
        buf += chunk
    return buf


def recv_msg(sock: socket.socket) -> tuple[dict[str, Any] | None, list[int]]:
    """One message and the fds sent with it; (None, []) at end of stream."""
    fds: list[int] = []
    header = _recv_exact(sock, _HEADER.size, fds)
    if header is None:
        return None, fds
    (size,) = _HEADER.unpack(header)
    if size > _MAX_MESSAGE:
        raise ValueError(f"sandbox message of {size} bytes is too large")
    body = _recv_exact(sock, size, fds) if size else b""
    if body is None:
        return None, fds
    return json.loads(body), fds


# -- /proc scans, shared with the zygote -----------------------------------------------------------
def proc_table() -> list[tuple[int, int, str, int]]:
    """(pid, ppid, state, real uid) of every process; status, as /proc/PID may be root-owned."""
    rows = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/status") as f:
                    fields = dict(line.split(":", 1) for line in f if ":" in line)
                row = (
                    int(fields["PPid"]),
                    fields["State"].split()[0],
                    int(fields["Uid"].split()[0]),
                )
            except (OSError, KeyError, ValueError, IndexError):
                continue  # gone meanwhile
            rows.append((int(entry), *row))
    return rows


def descendants(root: int) -> list[int]:
    """Live (non-zombie) processes below `root` in the parent tree."""
    children: dict[int, list[tuple[int, str]]] = {}
    for pid, ppid, state, _uid in proc_table():
        children.setdefault(ppid, []).append((pid, state))
    found, stack = [], [root]
    while stack:
        for pid, state in children.get(stack.pop(), []):
            if state != "Z":
                found.append(pid)
            stack.append(pid)
    return found


def processes_of_uid(uid: int) -> list[int]:
    return [pid for pid, _ppid, state, real in proc_table() if real == uid and state != "Z"]


def _account_exists(uid: int) -> bool:
    """A user with this uid, or a group with this gid (a job runs as uid:uid)."""
    for lookup in (pwd.getpwuid, grp.getgrgid):
        try:
            lookup(uid)
        except KeyError:
            continue
        return True
    return False


def _file_owners(folders: Sequence[str] = ("/tmp", "/var/tmp", "/dev/shm", "/run")) -> set[int]:
    """Owners of what lies at the top of the shared scratch folders (a cheap scan, no walk)."""
    owners = set()
    for folder in folders:
        try:
            with os.scandir(folder) as it:
                for entry in it:
                    with contextlib.suppress(OSError):
                        owners.add(entry.stat(follow_symlinks=False).st_uid)
        except OSError:
            continue
    return owners


def kill_pids(pids: Sequence[int]) -> None:
    for pid in pids:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)


def classify(
    wait_status: int, timed_out: bool, cpu_time: float, limits: Limits, output_tail: str
) -> tuple[str, int | None, int | None, Problem]:
    """(status, exit_code, signal, reason) of a finished child; the reason is a Problem: its
    English text, and `.text(lang)` in the learner's."""
    code = os.waitstatus_to_exitcode(wait_status)
    sig = -code if code < 0 else None
    exit_code = code if code >= 0 else None
    if timed_out:
        return "timeout", exit_code, sig, time_limit(limits)
    if sig == signal.SIGXCPU or (sig == signal.SIGKILL and cpu_time >= limits.cpu_seconds):
        return "timeout", exit_code, sig, Problem("sandbox_cpu_limit", seconds=limits.cpu_seconds)
    memory = Problem("sandbox_memory_limit", mb=limits.memory_mb)
    if exit_code == EXIT_MEMORY:
        return "memory", exit_code, sig, memory
    # TensorFlow aborts when an allocation fails; RLIMIT_AS is always in force in the child.
    alloc = _ALLOC_FAILURE.search(output_tail) is not None
    if sig == signal.SIGABRT or (sig in (signal.SIGSEGV, signal.SIGBUS, signal.SIGKILL) and alloc):
        return "memory", exit_code, sig, memory
    if sig is not None:
        name = signal.Signals(sig).name if sig in signal.valid_signals() else "?"
        return "killed", exit_code, sig, Problem("sandbox_killed_by_signal", sig=sig, name=name)
    return ("ok" if exit_code == 0 else "error"), exit_code, None, exited(exit_code)


def time_limit(limits: Limits) -> Problem:
    return Problem("sandbox_time_limit", seconds=f"{limits.wall_seconds:g}")


def exited(code: int | None) -> Problem:
    return Problem("sandbox_exit_code", code=code)


class _Drain(threading.Thread):
    """Reads the child's output pipe: keeps the head, counts everything, never blocks the child."""

    def __init__(self, fd: int, keep: int) -> None:
        super().__init__(name="sandbox-drain", daemon=True)
        self.fd, self.keep = fd, keep
        self.head = bytearray()
        self.tail = b""
        self.total = 0
        self._stop_at: float | None = None

    def run(self) -> None:
        poller = select.poll()
        poller.register(self.fd, select.POLLIN)
        while self._stop_at is None or time.monotonic() < self._stop_at:
            if not poller.poll(50):
                continue
            chunk = os.read(self.fd, 1 << 16)
            if not chunk:
                return
            self.total += len(chunk)
            if len(self.head) < self.keep:
                self.head += chunk[: self.keep - len(self.head)]
            self.tail = (self.tail + chunk)[-_TAIL_BYTES:]

    def finish(self, grace: float = 3.0) -> None:
        """Every writer is dead by now, so EOF is near; give up after `grace` seconds anyway."""
        self._stop_at = time.monotonic() + grace
        self.join()
        os.close(self.fd)


class _ZygoteLost(Exception):
    pass


class _Forked:
    """A zygote forked by a template (so not our child): watched and killed through a pidfd, with
    the few methods of subprocess.Popen that the sandbox uses. Its parent, the template, reaps it."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self._fd: int | None = os.pidfd_open(pid)
        self.returncode: int | None = None

    def _ended(self, timeout: float | None) -> bool:
        fd = self._fd if self.returncode is None else None
        if fd is not None and select.select([fd], [], [], timeout)[0]:
            self.returncode = -1  # the status is the template's to read, not ours
            self.release()
        return self.returncode is not None

    def poll(self) -> int | None:
        self._ended(0)
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        if not self._ended(timeout):
            raise subprocess.TimeoutExpired("grader.zygote", timeout or 0.0)
        assert self.returncode is not None
        return self.returncode

    def kill(self) -> None:
        if self._fd is not None and self.returncode is None:
            with contextlib.suppress(OSError):
                signal.pidfd_send_signal(self._fd, signal.SIGKILL)

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


class _Template:
    """`python -m grader.zygote FD template`: imports the preload once and forks a zygote per
    sandbox. Two sandboxes that each started their own zygote imported Keras side by side, which
    took half as long again on two cores (bench/RESULTS.md, session 7); forked from one template they
    share one import (and its memory, copy-on-write)."""

    def __init__(self, preload: Sequence[str], extra_sys_path: Sequence[str]) -> None:
        self._home = tempfile.mkdtemp(prefix="sandbox-template-")
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        env = dict(BASE_ENV, PATH=SAFE_PATH, HOME=self._home, PYTHONPATH=str(REPO_ROOT))
        try:
            with open(os.path.join(self._home, "template.log"), "wb") as log:
                self.proc = subprocess.Popen(
                    [sys.executable, "-m", "grader.zygote", str(theirs.fileno()), "template"],
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=log,
                    env=env,
                    cwd=self._home,
                    pass_fds=(theirs.fileno(),),
                    start_new_session=True,
                )
        except OSError:
            ours.close()
            shutil.rmtree(self._home, ignore_errors=True)
            raise
        finally:
            theirs.close()
        self.sock = ours
        self.lock = threading.Lock()
        init = {"op": "init", "preload": list(preload), "sys_path": list(extra_sys_path)}
        init["home"] = self._home
        reply = None
        with contextlib.suppress(OSError, ValueError):
            send_msg(ours, init)
            reply = self._reply(_START_TIMEOUT)
        if reply is None or reply.get("op") != "ready":
            self.close()
            raise SandboxError(f"the sandbox template failed to start: {reply}")

    def _reply(self, timeout: float) -> dict[str, Any] | None:
        if not select.select([self.sock], [], [], timeout)[0]:
            return None
        msg, fds = recv_msg(self.sock)
        for fd in fds:
            os.close(fd)
        return msg

    def alive(self) -> bool:
        return self.proc.poll() is None

    def spawn(self, home: str, fd: int) -> int:
        """Fork a zygote that serves `fd` (one end of a socketpair) from `home`; its pid."""
        with self.lock:
            send_msg(self.sock, {"op": "spawn", "home": home}, [fd])
            reply = self._reply(_REPLY_TIMEOUT)
        if reply is None or reply.get("op") != "spawned":
            raise SandboxError(f"the sandbox template did not fork a zygote: {reply}")
        return int(reply["pid"])

    def close(self) -> None:
        with contextlib.suppress(OSError):
            send_msg(self.sock, {"op": "exit"})
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.sock.close()
        shutil.rmtree(self._home, ignore_errors=True)


_templates: dict[tuple[tuple[str, ...], tuple[str, ...]], _Template] = {}
_templates_lock = threading.Lock()


def _template(preload: tuple[str, ...], extra_sys_path: tuple[str, ...]) -> _Template:
    """The live template for this preload, started on first use (one per trusted process)."""
    key = (preload, extra_sys_path)
    with _templates_lock:
        found = _templates.get(key)
        if found is not None and not found.alive():
            found.close()
            found = None
        if found is None:
            if not _templates:
                atexit.register(close_templates)
            found = _templates[key] = _Template(preload, extra_sys_path)
        return found


def warm_template(preload: Sequence[str], extra_sys_path: Sequence[str] = ()) -> None:
    """Start the template's import now, in the background (a sandbox started later waits for it)."""

    def start() -> None:
        with contextlib.suppress(SandboxError, OSError, ValueError):
            _template(tuple(preload), tuple(str(p) for p in extra_sys_path))

    threading.Thread(target=start, name="sandbox-template", daemon=True).start()


def close_templates() -> None:
    """Stop every template (their zygotes are their sandboxes' to stop). One still importing is
    not waited for: it ends by itself when it finds its socket closed."""
    if not _templates_lock.acquire(timeout=1.0):
        return
    try:
        for template in _templates.values():
            template.close()
        _templates.clear()
    finally:
        _templates_lock.release()


class Sandbox:
    """Runs `module:function` jobs in isolated children forked from a warm zygote."""

    def __init__(
        self,
        preload: Sequence[str] = ("keras",),
        extra_sys_path: Sequence[str] = (),
        uid_base: int = 61000,
        slot: int | None = None,
        hide: Sequence[str | os.PathLike[str]] = (),
    ) -> None:
        self.preload = tuple(preload)
        # Paths no job may see (as root): covered with an empty folder in the job's own view.
        self.hide = tuple(os.path.abspath(p) for p in hide)
        self.extra_sys_path = tuple(str(p) for p in extra_sys_path)
        # Only root can switch to an unprivileged uid; otherwise the job keeps ours.
        # With slot None, the first free slot is claimed (concurrent graders get distinct uids).
        self._root = os.geteuid() == 0
        self._uid_base, self._slot = uid_base, slot
        self.job_uid: int | None = uid_base + (slot or 0) if self._root else None
        self._proc: subprocess.Popen[bytes] | _Forked | None = None
        self._sock: socket.socket | None = None
        self._home: str | None = None
        self._slot_lock: int | None = None
        self._lock = threading.RLock()

    @property
    def zygote_pid(self) -> int | None:
        return self._proc.pid if self._proc is not None else None

    def __enter__(self) -> Sandbox:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def start(self) -> None:
        """Start the zygote now instead of on the first run."""
        with self._lock:
            if self._proc is not None and self._proc.poll() is not None:
                self._discard()
            if self._proc is None:
                self._start()

    def close(self) -> None:
        """Stop the zygote and everything it started."""
        with self._lock:
            if self._proc is not None and self._sock is not None and self._proc.poll() is None:
                try:
                    send_msg(self._sock, {"op": "exit"})
                    self._proc.wait(timeout=5)
                except (OSError, subprocess.TimeoutExpired):
                    pass
            self._discard()
            if self._slot_lock is not None:
                os.close(self._slot_lock)
                self._slot_lock = None

    def run(
        self,
        job: str,
        workdir: Path,
        payload: dict[str, Any],
        limits: Limits,
        hide: Sequence[str | os.PathLike[str]] = (),
        handback: Sequence[str] = HANDBACK,
    ) -> RunResult:
        """Run `module:function(payload)` in `workdir`.

        Args:
            hide: more paths the job must not see (as root).
            handback: as root, the job works in a private copy of `workdir` and only the paths
                matching these glob patterns (relative to `workdir`; `*` within a name, `**`
                across folders, e.g. `out/report.json`, `out/*.npy`, `out/returned_sm/**`; the
                first patterns are copied first) come back, within `limits.handback_mb` and
                `limits.handback_files`. Hard links and sparse files never come back. What is
                refused or cut is said in the output. Without root the job writes `workdir`
                itself and this is not used.
        """
        workdir = Path(workdir).resolve()
        if not workdir.is_dir():
            raise SandboxError(f"sandbox workdir {workdir} is not a directory")
        patterns = [str(p) for p in handback]
        bad = [p for p in patterns if p.startswith("/") or {".", ".."} & set(p.split("/"))]
        if bad or not patterns:
            raise SandboxError(f"handback patterns must be relative paths below the workdir: {bad}")
        request: dict[str, Any] = {"op": "run", "job": job, "workdir": str(workdir)}
        request.update(payload=payload, limits=asdict(limits), uid=self.job_uid)
        request["hide"] = [*self.hide, *(os.path.abspath(p) for p in hide)]
        request["handback"] = patterns
        json.dumps(request)  # fail here, in the caller, if the payload is not JSON
        with self._lock:
            for attempt in (1, 2):
                self.start()
                request["uid"] = self.job_uid  # known once the slot is claimed
                try:
                    return self._run_once(request, limits)
                except _ZygoteLost as exc:
                    self._discard()
                    if attempt == 2:
                        raise SandboxError(key="sandbox_zygote_dying", error=exc) from exc
        raise AssertionError("unreachable")

    # -- internals ---------------------------------------------------------------------------------
    def _claim_slot(self) -> None:
        """Cleanup kills every process of the job uid: two live sandboxes must not share one, and
        no uid (or gid) of an account, a running process or a file in a shared folder is used."""
        if not self._root or self._slot_lock is not None:
            return
        folder = "/run" if os.access("/run", os.W_OK) else tempfile.gettempdir()
        slots = [self._slot] if self._slot is not None else list(range(256))
        busy = {real for _pid, _ppid, _state, real in proc_table()} | _file_owners()
        for slot in slots:
            uid = self._uid_base + slot
            if uid in busy or _account_exists(uid):
                continue
            path = os.path.join(folder, f"learn-keras-sandbox-{uid}.lock")
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                os.close(fd)
                continue
            self._slot_lock, self.job_uid = fd, uid
            return
        raise SandboxError(key="sandbox_slots_in_use", uid=slots[0] + self._uid_base)

    def _start(self) -> None:
        self._claim_slot()
        self._home = tempfile.mkdtemp(prefix="sandbox-zygote-")
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            try:  # forked by the template: Keras imported once for every sandbox of this process
                template = _template(self.preload, self.extra_sys_path)
                self._proc = _Forked(template.spawn(self._home, theirs.fileno()))
            except (SandboxError, OSError, ValueError):  # a zygote of its own, as before
                self._proc = self._popen(theirs)
        except OSError as exc:
            ours.close()
            self._discard()
            raise SandboxError(key="sandbox_cannot_start", error=exc) from exc
        finally:
            theirs.close()
        self._sock = ours
        init = {"op": "init", "preload": list(self.preload), "home": self._home}
        init["sys_path"] = list(self.extra_sys_path)
        try:
            send_msg(ours, init)
            reply = self._recv(time.monotonic() + _START_TIMEOUT)
        except _ZygoteLost:
            reply = None
        if reply is None or reply.get("op") != "ready":
            detail = (reply or {}).get("error") or self._log_tail() or "no output"
            self._discard()
            raise SandboxError(key="sandbox_start_failed", detail=detail)

    def _popen(self, theirs: socket.socket) -> subprocess.Popen[bytes]:
        assert self._home is not None
        env = dict(BASE_ENV, PATH=SAFE_PATH, HOME=self._home, PYTHONPATH=str(REPO_ROOT))
        with open(os.path.join(self._home, "zygote.log"), "wb") as log:
            return subprocess.Popen(
                [sys.executable, "-m", "grader.zygote", str(theirs.fileno())],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=log,
                env=env,
                cwd=self._home,
                pass_fds=(theirs.fileno(),),
                start_new_session=True,  # a Ctrl-C at the terminal is the caller's to handle
            )

    def _log_tail(self) -> str:
        try:
            data = Path(self._home or "", "zygote.log").read_bytes()
        except OSError:
            return ""
        return data[-2000:].decode(errors="replace").strip()

    def _recv(self, deadline: float) -> dict[str, Any] | None:
        """The next message, or None when `deadline` passes first; _ZygoteLost at EOF."""
        assert self._sock is not None
        poller = select.poll()
        poller.register(self._sock, select.POLLIN)
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            if poller.poll(min(left, 1.0) * 1000):
                break
            if self._proc is not None and self._proc.poll() is not None:
                raise _ZygoteLost(f"zygote exited with {self._proc.returncode}")
        try:
            msg, fds = recv_msg(self._sock)
        except (OSError, ValueError) as exc:
            raise _ZygoteLost(str(exc)) from exc
        for fd in fds:
            os.close(fd)
        if msg is None:
            raise _ZygoteLost("zygote closed its socket")
        return msg

    def _run_once(self, request: dict[str, Any], limits: Limits) -> RunResult:
        assert self._sock is not None
        r, w = os.pipe()
        start = time.monotonic()
        try:
            send_msg(self._sock, request, [w])
        except OSError as exc:
            os.close(r)
            raise _ZygoteLost(str(exc)) from exc
        finally:
            os.close(w)  # the child holds the only write end from now on
        drain = _Drain(r, limits.output_bytes)
        drain.start()
        timed_out, done, pid = False, None, None
        try:
            reply = self._recv(start + _REPLY_TIMEOUT)
            if reply is not None and reply.get("op") == "error":
                raise SandboxError(key="sandbox_failed", error=reply.get("error"))
            if reply is None or reply.get("op") != "started":
                raise _ZygoteLost(f"unexpected reply {reply!r}")
            pid = int(reply["pid"])
            try:
                done = self._recv(start + limits.wall_seconds)
                if done is None:
                    timed_out = True
                    send_msg(self._sock, {"op": "kill"})
                    done = self._recv(time.monotonic() + _KILL_GRACE)
                    if done is None:
                        raise _ZygoteLost("zygote did not answer a kill request")
            except (_ZygoteLost, OSError):
                # The job may have killed its parent: kill what we can reach, restart next time.
                done = None
                self._kill_job_remains(pid)
                self._discard()
        finally:
            drain.finish()
        wall = time.monotonic() - start
        output = drain.head.decode("utf-8", errors="replace")

        def result(status: str, code: int | None, sig: int | None, reason: Problem) -> RunResult:
            truncated = drain.total > len(drain.head)
            return RunResult(status, code, sig, output, truncated, drain.total, wall, reason)

        if done is None:
            if timed_out:
                return result("timeout", None, None, time_limit(limits))
            return result("error", None, None, Problem("sandbox_zygote_died"))
        if done.get("op") != "done":
            raise SandboxError(key="sandbox_failed", error=done.get("error", done))
        # A job that ended by itself while the zygote was still cleaning up did not time out.
        timed_out = bool(done["killed"])
        if not done["isolated"] and not timed_out:
            raise SandboxError(key="sandbox_not_isolated", output=output[-3000:])
        tail = drain.tail.decode("utf-8", errors="replace")
        return result(*classify(int(done["status"]), timed_out, float(done["cpu"]), limits, tail))

    def _kill_job_remains(self, pid: int | None) -> None:
        """Best effort without the zygote: the job's process group, then (as root) its uid."""
        if pid is not None:
            with contextlib.suppress(OSError):
                os.killpg(pid, signal.SIGKILL)
        if self._proc is not None:
            kill_pids(descendants(self._proc.pid))
        if self.job_uid is not None:
            for _ in range(200):
                pids = processes_of_uid(self.job_uid)
                if not pids:
                    break
                kill_pids(pids)
                time.sleep(0.01)

    def _discard(self) -> None:
        """Forget the zygote: kill it and anything left of its jobs."""
        proc, self._proc = self._proc, None
        if proc is not None:
            if proc.poll() is None:
                kill_pids(descendants(proc.pid))
                proc.kill()
            proc.wait()
            if isinstance(proc, _Forked):
                proc.release()
        if self.job_uid is not None and processes_of_uid(self.job_uid):
            self._kill_job_remains(None)
        if self._sock is not None:
            self._sock.close()
            self._sock = None
        if self._home is not None:
            shutil.rmtree(self._home, ignore_errors=True)
            self._home = None
