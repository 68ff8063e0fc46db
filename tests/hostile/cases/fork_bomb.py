"""Hostile: a fork bomb (every process forks until refused, then spins).

Expected: 0 (the fork is refused: "Resource temporarily unavailable", or the time limit); no
process survives and the next submission grades normally.
"""
import os
import time


def make_optimizer():
    me = os.getpid()
    while True:
        try:
            os.fork()
        except OSError:
            if os.getpid() != me:  # children spin until they are killed
                deadline = time.monotonic() + 30
                while time.monotonic() < deadline:
                    pass
                os._exit(0)
            raise
