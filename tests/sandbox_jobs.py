"""Jobs run inside the sandbox by tests/test_sandbox.py (imported in the child, by name)."""

from __future__ import annotations

import json
import os
import signal
import socket
import sys
import time
from pathlib import Path
from typing import Any


def write_file(payload: dict[str, Any]) -> None:
    Path(payload.get("name", "result.txt")).write_text(payload.get("text", "done"))
    print("wrote the file")


def read_file(payload: dict[str, Any]) -> None:
    print(Path(payload["name"]).read_text())


def raise_error(payload: dict[str, Any]) -> None:
    raise ValueError("boom from the job")


def exit_code(payload: dict[str, Any]) -> None:
    sys.exit(payload["code"])


def hard_exit(payload: dict[str, Any]) -> None:
    os._exit(payload["code"])


def spin(payload: dict[str, Any]) -> None:
    while True:
        pass


def sleep(payload: dict[str, Any]) -> None:
    time.sleep(payload.get("seconds", 600))


def memory_bomb(payload: dict[str, Any]) -> None:
    blob = bytearray(10 * 1024**3)
    print(len(blob))


def memory_grow(payload: dict[str, Any]) -> None:
    chunks = []
    while True:
        chunks.append(bytearray(16 * 1024 * 1024))


def flood(payload: dict[str, Any]) -> None:
    line = "x" * (1024 * 1024 - 1) + "\n"
    for _ in range(payload["mb"]):
        sys.stdout.write(line)


def fork_bomb(payload: dict[str, Any]) -> None:
    pids, failures = [], 0
    for _ in range(payload["forks"]):
        try:
            pid = os.fork()
        except OSError:  # RLIMIT_NPROC says no: that is the containment working
            failures += 1
            continue
        if pid == 0:
            time.sleep(600)
            os._exit(0)
        pids.append(pid)
    Path("pids.json").write_text(json.dumps(pids))
    print(f"forked {len(pids)}, refused {failures}")


def daemon(payload: dict[str, Any]) -> None:
    pid = os.fork()
    if pid == 0:
        os.setsid()
        if os.fork() == 0:
            Path("daemon.pid").write_text(str(os.getpid()))
            time.sleep(600)
        os._exit(0)
    os.waitpid(pid, 0)
    for _ in range(500):
        if Path("daemon.pid").exists():
            return
        time.sleep(0.01)


def kill_parent(payload: dict[str, Any]) -> None:
    os.kill(os.getppid(), signal.SIGKILL)
    time.sleep(0.5)


def kill_self(payload: dict[str, Any]) -> None:
    os.kill(os.getpid(), payload["signal"])


def open_fds(payload: dict[str, Any]) -> None:
    found = []
    for fd in range(3, 51):
        try:
            os.fstat(fd)
        except OSError:
            continue
        found.append(fd)
    if found:
        raise AssertionError(f"fds open in the job: {found}")


def connect(payload: dict[str, Any]) -> None:
    try:
        socket.create_connection(("127.0.0.1", payload["port"]), timeout=2).close()
        outcome = "connected"
    except OSError as exc:
        outcome = f"blocked: {exc!r}"
    Path("net.txt").write_text(outcome)


def proc_self(payload: dict[str, Any]) -> None:
    Path("cmdline.bin").write_bytes(Path("/proc/self/cmdline").read_bytes())
    Path("environ.json").write_text(json.dumps(dict(os.environ)))


def identity(payload: dict[str, Any]) -> None:
    facts: dict[str, Any] = {"uid": os.getuid(), "euid": os.geteuid(), "groups": os.getgroups()}
    try:
        os.setuid(0)
        facts["setuid0"] = "succeeded"
    except PermissionError as exc:
        facts["setuid0"] = f"failed: {exc}"
    try:
        facts["root_home"] = sorted(os.listdir("/root"))
    except OSError as exc:
        facts["root_home"] = f"failed: {exc}"
    Path("probe.txt").write_text("mine")
    facts["file_uid"] = Path("probe.txt").stat().st_uid
    facts["root_dir"] = sorted(os.listdir("/"))
    facts["tmp"] = sorted(os.listdir("/tmp"))
    facts["repo"] = sorted(os.listdir(payload["repo"])) if "repo" in payload else None
    facts["proc_pids"] = sorted(int(p) for p in os.listdir("/proc") if p.isdigit())
    Path("identity.json").write_text(json.dumps(facts))


def big_file(payload: dict[str, Any]) -> None:
    Path("big.bin").write_bytes(b"\0" * payload["bytes"])


def train_keras(payload: dict[str, Any]) -> None:
    import keras
    import numpy as np

    keras.utils.set_random_seed(payload["seed"])
    x = np.random.rand(128, 4).astype("float32")
    y = (x.sum(axis=1) > 2).astype("float32")
    model = keras.Sequential(
        [keras.Input((4,)), keras.layers.Dense(8, activation="relu"), keras.layers.Dense(1)]
    )
    model.compile(optimizer="adam", loss="mse")
    history = model.fit(x, y, epochs=3, batch_size=32, verbose=0)
    Path("loss.json").write_text(json.dumps(history.history["loss"]))


def network_fallback(payload: dict[str, Any]) -> None:
    """Install the zygote's best-effort guard by hand (used where no network namespace exists)."""
    from grader.zygote import _deny_network

    _deny_network()
    outcomes = {}
    for name, attempt in [
        ("connect", lambda: socket.create_connection(("127.0.0.1", payload["port"]), timeout=2)),
        ("inet", lambda: socket.socket(socket.AF_INET, socket.SOCK_STREAM)),
        ("unix", lambda: socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)),
    ]:
        try:
            attempt().close()
            outcomes[name] = "allowed"
        except PermissionError:
            outcomes[name] = "denied"
    Path("guard.json").write_text(json.dumps(outcomes))


def tf_oom(payload: dict[str, Any]) -> None:
    import keras

    print(float(keras.ops.sum(keras.ops.ones((30_000, 30_000)))))


def plant_tricks(payload: dict[str, Any]) -> None:
    """Leave what a careless copier would follow or choke on: links, a fifo, deep folders."""
    out = Path("out")
    out.mkdir()
    (out / "plain.txt").write_text("plain")
    os.symlink("/etc/passwd", out / "link_to_passwd")
    os.symlink("/", out / "link_to_root")
    os.symlink(os.getcwd(), out / "loop")
    os.mkfifo(out / "fifo")
    os.link("input.txt", out / "hardlink.txt")
    deep = Path("nest", *["d"] * 40)
    deep.mkdir(parents=True)
    (deep / "bottom.txt").write_text("deep")
    Path("input.txt").write_text("changed by the job")


def fill_disk(payload: dict[str, Any]) -> None:
    """Write `files` files of `kb` KB each into the workdir; prints how far it got."""
    written = 0
    try:
        for i in range(payload["files"]):
            Path(f"fill-{i}.bin").write_bytes(b"\0" * payload["kb"] * 1024)
            written += 1
    finally:
        print(f"wrote {written} files")


def view_probe(payload: dict[str, Any]) -> None:
    """What the job can see and change of /dev, /sys and the read-only system folders."""
    facts: dict[str, Any] = {"dev": sorted(os.listdir("/dev")), "sys": os.path.exists("/sys")}
    writes = {}
    targets = ["/dev/mqueue/x", "/dev/shm/x", "/dev/x", "/dev/null", "/usr/x", "/etc/x"]
    # Every mount point below a system folder the job sees (submounts must be read-only too).
    with open("/proc/self/mountinfo") as f:
        points = [line.split()[4] for line in f]
    targets += [os.path.join(p, "x") for p in points if p.startswith(("/usr/", "/etc/"))]
    for path in targets:
        try:
            with open(path, "w") as out:
                out.write("x")
            writes[path] = "written"
        except OSError as exc:
            writes[path] = exc.strerror
    facts["writes"] = writes
    with open("/dev/urandom", "rb") as f:
        facts["urandom"] = len(f.read(16))
    try:
        facts["cgroup"] = sorted(os.listdir("/sys/fs/cgroup"))
    except OSError as exc:
        facts["cgroup"] = exc.strerror
    Path("view.json").write_text(json.dumps(facts))


def vsock(payload: dict[str, Any]) -> None:
    """Which kinds of socket the job may create (the seccomp filter refuses only AF_VSOCK)."""
    import ctypes

    outcomes = {}
    for name, attempt in [
        ("vsock", lambda: socket.socket(socket.AF_VSOCK, socket.SOCK_STREAM)),
        ("vsock_dgram", lambda: socket.socket(socket.AF_VSOCK, socket.SOCK_DGRAM)),
        ("vsock_pair", lambda: socket.socketpair(socket.AF_VSOCK, socket.SOCK_STREAM)[0]),
        ("unix", lambda: socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)),
        ("inet", lambda: socket.socket(socket.AF_INET, socket.SOCK_STREAM)),
    ]:
        try:
            attempt().close()
            outcomes[name] = "allowed"
        except OSError as exc:
            outcomes[name] = type(exc).__name__
    libc = ctypes.CDLL(None, use_errno=True)
    params = ctypes.create_string_buffer(120)  # struct io_uring_params
    ret = libc.syscall(425, 8, params)  # io_uring_setup(8, &params)
    outcomes["io_uring"] = "allowed" if ret >= 0 else os.strerror(ctypes.get_errno())
    Path("sockets.json").write_text(json.dumps(outcomes))


def handback_flood(payload: dict[str, Any]) -> None:
    """Leave what costs the tmpfs nothing but a dense copy a lot: sparse files and hard links."""
    out = Path("out")
    out.mkdir()
    with open(out / "sparse.bin", "wb") as f:
        f.truncate(payload["sparse_mb"] * 1024 * 1024)
    (out / "data.bin").write_bytes(os.urandom(1024 * 1024))
    for i in range(payload["links"]):
        os.link(out / "data.bin", out / f"link-{i:05d}.bin")
    (out / "ok.txt").write_text("handed back")
    Path("outside.txt").write_text("not in the allow-list")
    print("flooded")
