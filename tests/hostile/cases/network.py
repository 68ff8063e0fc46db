"""Hostile: phones home: connects to the grader's machine, to a public resolver, looks up a name.

Expected: 0, "network blocked" with the errors; the test's own server sees no connection.
"""
import socket


def make_optimizer():
    outcome = []
    for host, port in [("127.0.0.1", int("{{PORT}}")), ("1.1.1.1", 53), ("8.8.8.8", 443)]:
        try:
            socket.create_connection((host, port), timeout=2).close()
            outcome.append(f"{host}:{port} connected")
        except OSError as exc:
            outcome.append(f"{host}:{port} {exc!r}")
    try:
        socket.getaddrinfo("example.com", 443)
        outcome.append("DNS resolved")
    except OSError as exc:
        outcome.append(f"DNS {exc!r}")
    if any("connected" in o or "resolved" in o for o in outcome):
        raise RuntimeError("network open: " + "; ".join(outcome))
    raise OSError("network blocked: " + "; ".join(outcome))
