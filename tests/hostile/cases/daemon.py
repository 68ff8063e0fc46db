"""Hostile: leaves a daemon behind (double fork, setsid, sleeps), then answers correctly.

Expected: full marks; the daemon (its pid is printed) is dead once grading returns.
"""
import os
import sys
import time

import keras


def make_optimizer():
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.setsid()
        if os.fork() == 0:
            os.write(w, str(os.getpid()).encode())
            os.close(w)
            time.sleep(3600)
        os._exit(0)
    os.waitpid(pid, 0)
    os.close(w)
    daemon = os.read(r, 32).decode()
    print(f"DAEMON-PID={daemon}")
    sys.stdout.flush()
    schedule = keras.optimizers.schedules.ExponentialDecay(0.01, 1000, 0.9)
    return keras.optimizers.Adam(learning_rate=schedule)
