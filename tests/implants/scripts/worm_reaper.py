# worm_reaper.py - test implant module (PyInstaller PYZ fixture): walks
# /proc and kills processes whose program was deleted. Never run.
import os


def reap():
    for pid in os.listdir("/proc"):
        try:
            exe = os.readlink(os.path.join("/proc", pid, "exe"))
        except OSError:
            continue
        if exe.endswith(" (deleted)"):
            os.kill(int(pid), 9)
