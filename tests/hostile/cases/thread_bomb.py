"""Hostile: starts threads until refused. Expected: 0, "can't start new thread"; all gone after."""
import threading
import time


def make_optimizer():
    threads = []
    for _ in range(100_000):
        t = threading.Thread(target=time.sleep, args=(3600,), daemon=True)
        t.start()
        threads.append(t)
    return None
