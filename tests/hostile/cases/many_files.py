"""Hostile: creates 100,000 small files. Expected: 0, "No space left on device" (inode limit)."""
import os


def make_optimizer():
    os.makedirs("spam", exist_ok=True)
    for i in range(100_000):
        with open(f"spam/{i}.txt", "w") as f:
            f.write("x")
    return None
