"""Tests of grader.sandbox: outcomes, limits, containment and isolation of hostile jobs.

The jobs live in tests/sandbox_jobs.py; the zygote finds them through `extra_sys_path`.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import textwrap
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

TESTS_DIR = Path(__file__).resolve().parent
if str(TESTS_DIR.parent) not in sys.path:
    sys.path.insert(0, str(TESTS_DIR.parent))

import grader.sandbox  # noqa: E402
from grader import zygote  # noqa: E402
from grader.sandbox import (  # noqa: E402
    EXIT_MEMORY,
    Limits,
    RunResult,
    Sandbox,
    SandboxError,
    classify,
    descendants,
    processes_of_uid,
)

IS_ROOT = os.geteuid() == 0
needs_root = pytest.mark.skipif(not IS_ROOT, reason="the uid drop only happens when run as root")
MB = 1024 * 1024


def open_sandbox(preload: tuple[str, ...] = ()) -> Sandbox:
    """A started sandbox on the first free slot: another test run may hold the usual one."""
    for slot in range(100, 300):
        sb = Sandbox(preload=preload, extra_sys_path=[str(TESTS_DIR)], slot=slot)
        try:
            sb.start()
        except SandboxError as exc:
            sb.close()
            if "in use" in str(exc):
                continue
            raise
        return sb
    raise AssertionError("no free sandbox slot")


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    with open_sandbox() as sb:
        yield sb


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    path = tmp_path / "job"
    path.mkdir()
    return path


def run(
    sb: Sandbox,
    job: str,
    workdir: Path,
    payload: dict[str, Any] | None = None,
    handback: tuple[str, ...] = ("**",),
    **limits: Any,
) -> RunResult:
    """Run a job of sandbox_jobs; these jobs leave their results anywhere in the workdir."""
    limits.setdefault("wall_seconds", 20)
    return sb.run(
        f"sandbox_jobs:{job}", workdir, payload or {}, Limits(**limits), handback=handback
    )


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def assert_contained(sb: Sandbox) -> None:
    """Nothing the job started survives, and a normal job still works."""
    if sb.zygote_pid is not None:  # None: the job killed it; the next run starts another
        assert descendants(sb.zygote_pid) == []
    if sb.job_uid is not None:
        assert processes_of_uid(sb.job_uid) == []
    fresh = Path(tempfile.mkdtemp(prefix="sandbox-healthy-"))
    try:
        result = run(sb, "write_file", fresh, {"text": "still fine"})
        assert result.status == "ok", result
        assert (fresh / "result.txt").read_text() == "still fine"
    finally:
        shutil.rmtree(fresh)


# -- checks used by the table ---------------------------------------------------------------------
def wrote_file(r: RunResult, wd: Path) -> None:
    assert (wd / "result.txt").read_text() == "hi"
    assert r.output == "wrote the file\n" and r.reason == "exited with code 0"


def has_traceback(r: RunResult, wd: Path) -> None:
    assert r.exit_code == 1 and "Traceback" in r.output
    assert "ValueError: boom from the job" in r.output


def exit_3(r: RunResult, wd: Path) -> None:
    assert r.exit_code == 3 and r.reason == "exited with code 3"


def wall_timeout(seconds: int) -> Callable[[RunResult, Path], None]:
    def check(r: RunResult, wd: Path) -> None:
        assert r.reason == f"time limit of {seconds} s exceeded"
        assert seconds <= r.wall_time < seconds + 5

    return check


def cpu_timeout(r: RunResult, wd: Path) -> None:
    assert r.reason == "CPU time limit of 1 s exceeded" and r.signal in (signal.SIGXCPU, 9)


def memory(mb: int) -> Callable[[RunResult, Path], None]:
    def check(r: RunResult, wd: Path) -> None:
        assert r.exit_code == EXIT_MEMORY and "MemoryError" in r.output
        assert r.reason == f"memory limit of {mb} MB exceeded"

    return check


def truncated(r: RunResult, wd: Path) -> None:
    assert r.output_truncated and len(r.output.encode()) <= 64_000
    assert r.output_total_bytes >= 100 * MB and r.wall_time < 10


def forks_dead(r: RunResult, wd: Path) -> None:
    pids = json.loads((wd / "pids.json").read_text())
    assert pids and not [pid for pid in pids if alive(pid)]
    if IS_ROOT:  # RLIMIT_NPROC applies to the unprivileged uid
        assert len(pids) < 64 and "refused" in r.output


def daemon_dead(r: RunResult, wd: Path) -> None:
    pid = int((wd / "daemon.pid").read_text())
    assert not alive(pid)


def sigterm(r: RunResult, wd: Path) -> None:
    assert r.signal == signal.SIGTERM and r.reason == "killed by signal 15 (SIGTERM)"


def no_check(r: RunResult, wd: Path) -> None:
    pass


def file_too_large(r: RunResult, wd: Path) -> None:
    assert "File too large" in r.output and (wd / "big.bin").stat().st_size <= MB


CASES = [
    pytest.param("write_file", {"text": "hi"}, {}, "ok", wrote_file, id="ok-writes-file"),
    pytest.param("raise_error", {}, {}, "error", has_traceback, id="exception"),
    pytest.param("exit_code", {"code": 3}, {}, "error", exit_3, id="sys-exit-3"),
    pytest.param("hard_exit", {"code": 0}, {}, "ok", no_check, id="os-exit-0"),
    pytest.param("spin", {}, {"wall_seconds": 2}, "timeout", wall_timeout(2), id="infinite-loop"),
    pytest.param("sleep", {}, {"wall_seconds": 1}, "timeout", wall_timeout(1), id="sleep"),
    pytest.param("spin", {}, {"cpu_seconds": 1}, "timeout", cpu_timeout, id="cpu-limit"),
    pytest.param("memory_bomb", {}, {}, "memory", memory(2048), id="memory-bomb-10gb"),
    pytest.param("memory_grow", {}, {"memory_mb": 256}, "memory", memory(256), id="memory-grow"),
    pytest.param("flood", {"mb": 100}, {}, "ok", truncated, id="output-100mb"),
    pytest.param("fork_bomb", {"forks": 200}, {}, "ok", forks_dead, id="fork-bomb"),
    pytest.param("daemon", {}, {}, "ok", daemon_dead, id="double-fork-daemon"),
    pytest.param("kill_self", {"signal": 15}, {}, "killed", sigterm, id="sigterm"),
    # SIGABRT counts as memory: TensorFlow aborts when RLIMIT_AS refuses an allocation.
    pytest.param("kill_self", {"signal": 6}, {}, "memory", no_check, id="sigabrt-is-memory"),
    pytest.param("open_fds", {}, {}, "ok", no_check, id="no-inherited-fds"),
    pytest.param(
        "big_file",
        {"bytes": 2 * MB},
        {"file_size_mb": 1},
        "error",
        file_too_large,
        id="file-size-limit",
    ),
]


@pytest.mark.parametrize(("job", "payload", "limits", "status", "check"), CASES)
def test_job_outcomes(
    sandbox: Sandbox,
    workdir: Path,
    job: str,
    payload: dict[str, Any],
    limits: dict[str, Any],
    status: str,
    check: Callable[..., None],
) -> None:
    result = run(sandbox, job, workdir, payload, **limits)
    assert result.status == status, result
    check(result, workdir)
    assert_contained(sandbox)


def test_job_killing_the_zygote_does_not_break_the_sandbox(sandbox: Sandbox, workdir: Path) -> None:
    before = sandbox.zygote_pid
    result = run(sandbox, "kill_parent", workdir)
    if IS_ROOT:  # the job runs under another uid: it may not signal the zygote
        assert result.status == "error" and "PermissionError" in result.output
        assert sandbox.zygote_pid == before
    else:
        assert result.status == "error" and "zygote died" in result.reason
    assert_contained(sandbox)


def test_zygote_killed_from_outside_is_restarted(sandbox: Sandbox, workdir: Path) -> None:
    before = sandbox.zygote_pid
    run(sandbox, "write_file", workdir)  # make sure one is running
    pid = sandbox.zygote_pid
    assert pid is not None
    os.kill(pid, signal.SIGKILL)
    time.sleep(0.1)
    assert run(sandbox, "write_file", workdir).status == "ok"
    assert sandbox.zygote_pid not in (None, pid, before)
    assert_contained(sandbox)


def test_network_is_unreachable(sandbox: Sandbox, workdir: Path) -> None:
    with socket.create_server(("127.0.0.1", 0)) as server:
        port = server.getsockname()[1]
        result = run(sandbox, "connect", workdir, {"port": port})
        assert result.status == "ok", result
        assert (workdir / "net.txt").read_text().startswith("blocked"), result
        server.setblocking(False)
        with pytest.raises(BlockingIOError):
            server.accept()


def test_payload_travels_only_over_the_socket(sandbox: Sandbox, workdir: Path) -> None:
    secret = f"secret-{uuid.uuid4()}"
    result = run(sandbox, "proc_self", workdir, {"secret": secret})
    assert result.status == "ok", result
    pid = sandbox.zygote_pid
    for name in ("cmdline", "environ"):
        assert secret.encode() not in Path(f"/proc/{pid}/{name}").read_bytes()
    assert secret.encode() not in (workdir / "cmdline.bin").read_bytes()
    env = json.loads((workdir / "environ.json").read_text())
    assert secret not in json.dumps(env)
    assert env["HOME"] == str(workdir.resolve()) and env["TMPDIR"].startswith(env["HOME"])
    assert set(env) <= {
        "PATH",
        "HOME",
        "TMPDIR",
        "LANG",
        "TF_CPP_MIN_LOG_LEVEL",
        "PYTHONHASHSEED",
        "CUDA_VISIBLE_DEVICES",
        "OMP_NUM_THREADS",
        "TF_NUM_INTRAOP_THREADS",
        "TF_NUM_INTEROP_THREADS",
    }


def test_network_fallback_guard(sandbox: Sandbox, workdir: Path) -> None:
    result = run(sandbox, "network_fallback", workdir, {"port": 9})
    assert result.status == "ok", result
    outcomes = json.loads((workdir / "guard.json").read_text())
    assert outcomes == {"connect": "denied", "inet": "denied", "unix": "allowed"}


@needs_root
def test_job_runs_unprivileged(sandbox: Sandbox, workdir: Path) -> None:
    result = run(sandbox, "identity", workdir, {"repo": str(TESTS_DIR.parent)})
    assert result.status == "ok", result
    facts = json.loads((workdir / "identity.json").read_text())
    assert facts["uid"] == facts["euid"] == sandbox.job_uid != 0
    assert facts["groups"] == [] and facts["setuid0"].startswith("failed")
    # Inside its view the job owns what it writes; the copy handed back is root's.
    assert facts["file_uid"] == sandbox.job_uid
    assert (workdir / "identity.json").stat().st_uid == 0
    assert (workdir / "probe.txt").read_text() == "mine"
    # Its own root: system and Python folders only; a private /tmp; no one else's processes.
    checkout_top = TESTS_DIR.parent.parts[1]  # e.g. "work" or "tmp": wherever the clone lives
    assert "home" not in facts["root_dir"] and checkout_top in facts["root_dir"]
    # Of this checkout only the packages the zygote imported: no exercises/, .git or course.
    assert facts["repo"] == ["grader", "tests"]
    python = [sys.prefix, sys.base_prefix, *sys.path]
    needed = {Path(p).parts[2] for p in python if p.startswith("/root/")}
    assert isinstance(facts["root_home"], str) or set(facts["root_home"]) <= needed
    if workdir.parts[1] == "tmp":  # only the way to the workdir (and to a checkout in /tmp)
        ways = {workdir.parts[2]}
        if TESTS_DIR.parts[1] == "tmp":
            ways.add(TESTS_DIR.parts[2])
        assert facts["tmp"] == sorted(ways)
    assert sandbox.zygote_pid not in facts["proc_pids"] and os.getpid() not in facts["proc_pids"]


@needs_root
def test_private_files_stay_private(sandbox: Sandbox, workdir: Path) -> None:
    private = Path(tempfile.mkdtemp(prefix="sandbox-private-"))  # mode 0700, root's
    secret = private / "secret.txt"
    secret.write_text("top secret")
    try:
        for job, payload in [
            ("read_file", {"name": str(secret)}),
            ("write_file", {"name": str(secret), "text": "pwned"}),
        ]:
            result = run(sandbox, job, workdir, payload)
            assert result.status == "error", result
            # Absent from the job's view (a private /tmp), or at least unreadable.
            assert "FileNotFoundError" in result.output or "PermissionError" in result.output
            assert "top secret" not in result.output
        assert secret.read_text() == "top secret"
    finally:
        secret.unlink()
        private.rmdir()


@needs_root
def test_hidden_paths_are_covered(sandbox: Sandbox, workdir: Path) -> None:
    """A path given in `hide` is an empty, unreadable folder for the job, even inside a tree it
    sees (tests/ is visible here: the zygote imports sandbox_jobs from it)."""
    secret = TESTS_DIR / "submissions" / "lr-schedule" / "ok_positional.py"
    payload = {"name": str(secret)}
    seen = sandbox.run("sandbox_jobs:read_file", workdir, payload, Limits(wall_seconds=20))
    assert seen.status == "ok" and "def make_optimizer" in seen.output, seen
    hidden = sandbox.run(
        "sandbox_jobs:read_file", workdir, payload, Limits(wall_seconds=20), hide=[secret.parent]
    )
    assert hidden.status == "error" and "PermissionError" in hidden.output, hidden
    assert "def make_optimizer" not in hidden.output


@needs_root
def test_handback_copies_only_plain_files(sandbox: Sandbox, workdir: Path) -> None:
    """The job's private workdir is copied back by root: no link, fifo or endless depth."""
    (workdir / "input.txt").write_text("from the grader")
    passwd = Path("/etc/passwd").read_bytes()
    result = run(sandbox, "plant_tricks", workdir)
    assert result.status == "ok", result
    assert (workdir / "out" / "plain.txt").read_text() == "plain"
    # out/hardlink.txt and input.txt are one file with two names: neither comes back.
    assert not (workdir / "out" / "hardlink.txt").exists()
    assert (workdir / "input.txt").read_text() == "from the grader"
    assert "input.txt: refused: a hard link (2 names)" in result.output
    assert "out/fifo: not a regular file" in result.output
    depth = 0
    for top, dirs, files in os.walk(workdir):
        for name in dirs + files:
            path = Path(top, name)
            assert not path.is_symlink() and (path.is_dir() or path.is_file()), path
            assert path.stat().st_uid == 0
        depth = max(depth, len(Path(top).relative_to(workdir).parts))
    assert 10 < depth <= 17
    assert Path("/etc/passwd").read_bytes() == passwd


@needs_root
@pytest.mark.parametrize(
    ("payload", "limits"),
    [({"files": 8, "kb": 512}, {"disk_mb": 1}), ({"files": 500, "kb": 1}, {"max_files": 100})],
    ids=["bytes", "files"],
)
def test_workdir_quota(
    sandbox: Sandbox, workdir: Path, payload: dict[str, Any], limits: dict[str, Any]
) -> None:
    """RLIMIT_FSIZE caps one file; the private workdir caps them all, in bytes and in files."""
    result = run(sandbox, "fill_disk", workdir, payload, **limits)
    assert result.status == "error" and "No space left on device" in result.output, result
    assert len(list(workdir.glob("fill-*.bin"))) < payload["files"]
    assert_contained(sandbox)


def test_missing_preload_is_a_sandbox_error() -> None:
    with pytest.raises(SandboxError, match="No module named 'no_such_module_for_the_sandbox'"):
        open_sandbox(preload=("no_such_module_for_the_sandbox",))


@needs_root
def test_two_live_sandboxes_cannot_share_a_uid(sandbox: Sandbox) -> None:
    assert sandbox.job_uid is not None
    twin = Sandbox(preload=(), uid_base=sandbox.job_uid, slot=0)
    with twin, pytest.raises(SandboxError, match="in use"):
        twin.start()


def test_missing_workdir_is_a_sandbox_error(sandbox: Sandbox, tmp_path: Path) -> None:
    with pytest.raises(SandboxError, match="not a directory"):
        run(sandbox, "write_file", tmp_path / "nope")


@pytest.mark.parametrize(
    ("wait_status", "cpu", "tail", "expected"),
    [
        (signal.SIGSEGV, 0.0, "terminate called after std::bad_alloc", "memory"),
        (signal.SIGSEGV, 0.0, "", "killed"),
        (signal.SIGKILL, 5.0, "", "timeout"),
        (signal.SIGXCPU, 5.0, "", "timeout"),
        (EXIT_MEMORY << 8, 0.0, "", "memory"),
        (2 << 8, 0.0, "", "error"),
    ],
    ids=["segv-bad-alloc", "segv", "sigkill-after-cpu-limit", "sigxcpu", "exit-86", "exit-2"],
)
def test_classify(wait_status: int, cpu: float, tail: str, expected: str) -> None:
    limits = Limits(cpu_seconds=5)
    assert classify(wait_status, False, cpu, limits, tail)[0] == expected


@pytest.mark.slow
def test_keras_trains_in_children_forked_after_import(workdir: Path, tmp_path: Path) -> None:
    losses = []
    with open_sandbox(preload=("keras",)) as sb:
        for name in ("a", "b"):
            wd = tmp_path / name
            wd.mkdir()
            limits = Limits(wall_seconds=120)
            result = sb.run("sandbox_jobs:train_keras", wd, {"seed": 0}, limits, handback=["*"])
            assert result.status == "ok", result
            losses.append(json.loads((wd / "loss.json").read_text()))
        # TensorFlow reports an allocation RLIMIT_AS refuses (after ~10 s of its own retries).
        oom = sb.run("sandbox_jobs:tf_oom", workdir, {}, Limits(wall_seconds=60, memory_mb=256))
        assert oom.status == "memory" and oom.reason == "memory limit of 256 MB exceeded", oom
    assert len(losses[0]) == 3 and losses[0] == losses[1]  # deterministic across children


# -- the handback: what the zygote copies back as root ---------------------------------------------
def disk_used(folder: Path) -> int:
    """Bytes the folder's files take on disk (blocks, not apparent sizes)."""
    return sum(p.lstat().st_blocks * 512 for p in folder.rglob("*"))


def handed_back(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) + ("/" if p.is_dir() else "") for p in folder.rglob("*")}


@pytest.fixture
def job_tree(tmp_path: Path) -> Path:
    """A workdir as a job could leave it, in a plain folder (its file system keeps holes)."""
    src = tmp_path / "src"
    (src / "out" / "returned_sm" / "variables").mkdir(parents=True)
    (src / "out" / "returned_sm" / "assets").mkdir()
    (src / "out" / "returned_sm" / "variables" / "v.data").write_bytes(b"v" * 1000)
    (src / "out" / "report.json").write_text("{}")
    (src / "out" / "pred.npy").write_bytes(b"p" * 100)
    (src / "out" / "notes.txt").write_text("not in the allow-list")
    (src / "top.txt").write_text("not in the allow-list")
    with open(src / "out" / "sparse.bin", "wb") as f:
        f.truncate(1024 * MB)  # 1 GB of nothing
    (src / "out" / "data.bin").write_bytes(b"d" * MB)
    for i in range(300):
        os.link(src / "out" / "data.bin", src / "out" / f"link-{i:03d}.bin")
    os.mkfifo(src / "out" / "fifo.bin")
    os.symlink("/etc/passwd", src / "out" / "passwd.bin")
    return src


def copy_back(src: Path, dest: Path, patterns: list[str], **caps: Any) -> list[str]:
    dest.mkdir(exist_ok=True)
    fd = os.open(src, os.O_RDONLY | os.O_DIRECTORY)
    try:
        return zygote._copy_back(fd, str(dest), patterns, **caps)
    finally:
        os.close(fd)


ALLOWED = ["out/report.json", "out/*.npy", "out/*.bin", "out/returned_sm/**"]


def test_copy_back_takes_only_the_allow_list(job_tree: Path, tmp_path: Path) -> None:
    dest = tmp_path / "dest"
    notes = copy_back(job_tree, dest, ALLOWED)
    assert handed_back(dest) == {
        "out/",
        "out/report.json",
        "out/pred.npy",
        "out/returned_sm/",
        "out/returned_sm/assets/",
        "out/returned_sm/variables/",
        "out/returned_sm/variables/v.data",
    }
    assert disk_used(dest) < MB  # not 1 GB of zeros, not 301 copies of 1 MB
    assert "out/sparse.bin: refused: a sparse file (1073741824 bytes in 0)" in notes
    assert "out/data.bin: refused: a hard link (301 names)" in notes
    assert "out/link-299.bin: refused: a hard link (301 names)" in notes
    assert {"out/fifo.bin: not a regular file", "out/passwd.bin: not a regular file"} <= set(notes)
    assert len(notes) == 1 + 301 + 2  # one line per refusal; unlisted names are not mentioned


def test_copy_back_default_is_out_only(job_tree: Path, tmp_path: Path) -> None:
    dest = tmp_path / "dest"
    copy_back(job_tree, dest, list(grader.sandbox.HANDBACK))
    got = handed_back(dest)
    assert "out/notes.txt" in got and "out/report.json" in got and "top.txt" not in got


@pytest.mark.parametrize(
    ("caps", "kept", "cut"),
    [
        ({"max_bytes": 3 * MB}, ["z-first.npy", "a.npy", "b.npy"], "over the cap of 3145728 bytes"),
        ({"max_files": 3}, ["z-first.npy", "a.npy"], "over the cap of 3 files"),  # out/ is one
    ],
    ids=["bytes", "files"],
)
def test_copy_back_caps(tmp_path: Path, caps: dict[str, int], kept: list[str], cut: str) -> None:
    src = tmp_path / "src"
    (src / "out").mkdir(parents=True)
    for name in ("a.npy", "b.npy", "c.npy", "d.npy", "z-first.npy"):
        (src / "out" / name).write_bytes(os.urandom(MB))
    # Earlier patterns are handed back first: the report survives a flood of arrays.
    notes = copy_back(src, tmp_path / "dest", ["out/z-first.npy", "out/*.npy"], **caps)
    assert sorted(p.name for p in (tmp_path / "dest" / "out").iterdir()) == sorted(kept)
    assert len(notes) == 5 - len(kept) and all(cut in note for note in notes), notes


def test_copy_back_ignores_bad_patterns(job_tree: Path, tmp_path: Path) -> None:
    dest = tmp_path / "dest"
    assert copy_back(job_tree, dest, ["/etc/passwd", "../top.txt", "out/../top.txt"]) == []
    assert handed_back(dest) == set()
    with Sandbox(preload=()) as sb, pytest.raises(SandboxError, match="relative paths"):
        sb.run("sandbox_jobs:write_file", tmp_path, {}, Limits(), handback=["../x"])


@needs_root
def test_handback_refuses_sparse_files_and_hard_links(sandbox: Sandbox, workdir: Path) -> None:
    """In the job's tmpfs these cost nothing; copied densely by root they would fill the disk."""
    payload = {"sparse_mb": 60, "links": 10}
    result = run(sandbox, "handback_flood", workdir, payload, handback=grader.sandbox.HANDBACK)
    assert result.status == "ok", result
    assert handed_back(workdir) == {"out/", "out/ok.txt"}  # outside.txt: not in out/
    assert disk_used(workdir) < MB
    assert result.output.startswith("flooded\n")
    lines = result.output.splitlines()[2:]
    assert lines[0] == "sandbox: not handed back: out/data.bin: refused: a hard link (11 names)"
    assert lines[-1].startswith("sandbox: not handed back: out/sparse.bin: refused: a sparse file")
    assert len(lines) == 12


def test_handback_notes_are_bounded() -> None:
    r, w = os.pipe()
    try:
        zygote._say(w, [f"out/{i}.bin: refused" for i in range(500)])
        os.close(w)
        lines = os.read(r, 1 << 16).decode().splitlines()
    finally:
        os.close(r)
    assert lines[1] == "sandbox: not handed back: out/0.bin: refused"
    assert lines[-1] == "sandbox: not handed back: 480 more" and len(lines) == 22


# -- the job's view: /dev, /sys, read-only submounts, seccomp --------------------------------------
@needs_root
def test_view_has_a_minimal_dev_no_sys_and_read_only_system_folders(
    sandbox: Sandbox, workdir: Path
) -> None:
    result = run(sandbox, "view_probe", workdir)
    assert result.status == "ok", result
    facts = json.loads((workdir / "view.json").read_text())
    devices = [name for name in zygote.DEV_NODES if Path("/dev", name).exists()]
    assert facts["dev"] == sorted([*devices, *zygote.DEV_LINKS, "shm"])
    assert facts["sys"] is False and facts["cgroup"] == "No such file or directory"
    writes = facts["writes"]
    assert writes.pop("/dev/shm/x") == "written" and writes.pop("/dev/null") == "written"
    assert writes.pop("/dev/mqueue/x") == "No such file or directory"
    assert writes and set(writes.values()) <= {"Read-only file system", "Permission denied"}
    assert facts["urandom"] == 16


READONLY_TREE = """
import ctypes, errno, os, sys
from grader import zygote
base = sys.argv[1]
libc = ctypes.CDLL(None, use_errno=True)
assert libc.unshare(zygote.CLONE_NEWNS) == 0  # nothing below is seen by the host
zygote._mount(None, "/", None, zygote.MS_REC | zygote.MS_PRIVATE, None)
tree, view = os.path.join(base, "tree"), os.path.join(base, "view")
os.makedirs(tree)
os.makedirs(view)
zygote._mount("tmpfs", tree, "tmpfs", 0, "size=1m")
os.makedirs(os.path.join(tree, "sub", "deeper"))
zygote._mount("tmpfs", os.path.join(tree, "sub"), "tmpfs", zygote.MS_NOEXEC, "size=1m")
os.makedirs(os.path.join(tree, "sub", "deeper"))
zygote._mount("tmpfs", os.path.join(tree, "sub", "deeper"), "tmpfs", 0, "size=1m")
zygote._bind(tree, view)
for rel in ("x", "sub/x", "sub/deeper/x"):
    try:
        open(os.path.join(view, rel), "w").close()
        print(rel, "written")
    except OSError as exc:
        print(rel, errno.errorcode[exc.errno])
for point, flags in zygote.mounts_under(view):
    print(os.path.relpath(point, view), flags & zygote.MS_NOEXEC == zygote.MS_NOEXEC)
node = os.path.join(base, "null")
open(node, "w").close()
zygote._bind("/dev/null", node, devices=True)
with open(node, "w") as f:
    print("null", f.write("x"))
"""


@needs_root
def test_bind_makes_every_submount_read_only(tmp_path: Path) -> None:
    """A bind remount changes one mount: each submount of a bound tree must be remounted."""
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(READONLY_TREE), str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=TESTS_DIR.parent,
        env={**os.environ, "PYTHONPATH": str(TESTS_DIR.parent)},
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "x EROFS",
        "sub/x EROFS",
        "sub/deeper/x EROFS",
        ". False",
        "sub True",  # its own noexec is kept
        "sub/deeper False",
        "null 1",  # a device node stays usable
    ]


def test_vsock_and_io_uring_are_refused(sandbox: Sandbox, workdir: Path) -> None:
    """Network namespaces do not cover vsock: the seccomp filter refuses it, root or not."""
    result = run(sandbox, "vsock", workdir)
    assert result.status == "ok", result
    outcomes = json.loads((workdir / "sockets.json").read_text())
    assert outcomes == {
        "vsock": "PermissionError",
        "vsock_dgram": "PermissionError",
        "vsock_pair": "PermissionError",
        "unix": "allowed",
        "inet": "allowed",
        "io_uring": "Function not implemented",
    }


@pytest.mark.parametrize("machine", ["x86_64", "aarch64"])
def test_seccomp_program_checks_the_arch_first(machine: str) -> None:
    program = zygote.seccomp_program(machine)
    assert program is not None
    arch, socket_nr = zygote.SECCOMP_ARCHES[machine][:2]
    assert program[0] == (0x20, 0, 0, 4) and program[1][3] == arch  # load arch, compare
    assert program[-1] == (0x06, 0, 0, zygote.SECCOMP_RET_KILL_PROCESS)  # another ABI: killed
    assert any(code == 0x15 and k == socket_nr for code, _t, _f, k in program)
    assert zygote.seccomp_program("mips") is None


# -- job uids ---------------------------------------------------------------------------------------
@needs_root
@pytest.mark.parametrize("owner", ["passwd", "group", "process", "file"])
def test_claim_skips_uids_someone_has(monkeypatch: pytest.MonkeyPatch, owner: str) -> None:
    base = 64000 + (os.getpid() % 100) * 5  # clear of the slots other test modules use
    taken = {"passwd": set(), "group": set(), "process": set(), "file": set()}
    taken[owner] = {base}

    def lookup(kind: str) -> Callable[[int], object]:
        def get(uid: int) -> object:
            if uid in taken[kind]:
                return object()
            raise KeyError(uid)

        return get

    monkeypatch.setattr(grader.sandbox.pwd, "getpwuid", lookup("passwd"))
    monkeypatch.setattr(grader.sandbox.grp, "getgrgid", lookup("group"))
    table = grader.sandbox.proc_table()
    fake = [(1, 0, "S", base)] if owner == "process" else []
    monkeypatch.setattr(grader.sandbox, "proc_table", lambda: table + fake)
    monkeypatch.setattr(grader.sandbox, "_file_owners", lambda: taken["file"])
    sb = Sandbox(preload=(), uid_base=base)
    try:
        sb._claim_slot()
        assert sb.job_uid == base + 1
    finally:
        sb.close()
    pinned = Sandbox(preload=(), uid_base=base, slot=0)
    with pinned, pytest.raises(SandboxError, match="in use"):
        pinned._claim_slot()
