# hello.py - clean counterpart: a tool's entry point that reads its config
# and prints a report.
import json
import os

def main():
    with open(os.path.expanduser("~/.hellorc")) as f:
        cfg = json.load(f)
    print("hello", cfg.get("name", "world"))

main()
