"""Hostile: sleeps for 11 days at import. Expected: 0, "time limit"; nothing left running."""
import time

time.sleep(10**6)


def make_optimizer():
    return None
