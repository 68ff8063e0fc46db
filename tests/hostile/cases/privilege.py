"""Hostile: tries to regain privileges and to reach other processes.

Raises its hard limits, setuid(0), setgid(0), signals pid 1 and its parent (the zygote).
Expected (root): 0, "refused" listing every attempt; the zygote is still the same process.
"""
import os
import resource
import signal


def make_optimizer():
    outcome = []

    def attempt(name, fn):
        try:
            fn()
            outcome.append(f"{name}: SUCCEEDED")
        except (OSError, ValueError) as exc:
            outcome.append(f"{name}: {type(exc).__name__}")

    for limit in (resource.RLIMIT_NPROC, resource.RLIMIT_AS, resource.RLIMIT_CPU):
        inf = resource.RLIM_INFINITY
        attempt(f"setrlimit {limit}", lambda limit=limit: resource.setrlimit(limit, (inf, inf)))
    attempt("setuid(0)", lambda: os.setuid(0))
    attempt("setgid(0)", lambda: os.setgid(0))
    attempt("kill(1)", lambda: os.kill(1, signal.SIGKILL))
    attempt("kill(parent)", lambda: os.kill(os.getppid(), signal.SIGKILL))
    attempt("kill(parent group)", lambda: os.killpg(os.getpgid(os.getppid()), signal.SIGKILL))
    if any("SUCCEEDED" in o for o in outcome):
        raise RuntimeError("escalated: " + "; ".join(outcome))
    raise PermissionError("refused: " + "; ".join(outcome))
