"""Hostile: talks to the hypervisor over vsock, which no network namespace covers.

Opens socket(AF_VSOCK) and connects to the host (CID 2) on a few ports.
Expected: 0, "vsock refused" with PermissionError: the sandbox's seccomp filter refuses
AF_VSOCK sockets in every job, root or not (before the kernel even looks for vsock support).
"""
import socket


def make_optimizer():
    try:
        sock = socket.socket(socket.AF_VSOCK, socket.SOCK_STREAM)
    except PermissionError as exc:
        raise PermissionError(f"vsock refused: {type(exc).__name__}: {exc}") from None
    outcome = []
    with sock:
        sock.settimeout(2)
        for port in (22, 1024, 52):
            try:
                sock.connect((socket.VMADDR_CID_HOST, port))
                outcome.append(f"port {port}: connected")
                break
            except OSError as exc:
                outcome.append(f"port {port}: {exc!r}")
    raise RuntimeError("vsock open: socket created; " + "; ".join(outcome))
