#!/usr/bin/env python3
"""failclosed_check.py - the oracle of the allocation-failure test (issue 23).

usage: failclosed_check.py BASELINE.json RC STDERR_FILE OUT.json

A scan whose Nth allocation failed must fail closed: either it stopped with
exit 70 and said "out of memory" on stderr, or it finished (exit 0 or 1) with
a report in which nothing the clean run found is missing, unless the report
says what was given up (limit.memory, unpack.resource or analyze.resource)
and counts it in coverage. Prints why not and exits 1 otherwise.
"""
import json
import sys

GIVEN_UP = ("limit.memory", "unpack.resource", "analyze.resource")


def keys(doc):
    return {(f["rule"], f["location"]) for f in doc["findings"]}


def main():
    base_path, rc, err_path, out_path = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
    err = open(err_path, errors="replace").read()
    if rc == 70:
        if "out of memory" not in err:
            print("exit 70 without 'out of memory' on stderr: %r" % err[-300:])
            return 1
        return 0
    if rc not in (0, 1):
        print("exit %d (want 0, 1 or 70); stderr: %r" % (rc, err[-300:]))
        return 1
    try:
        out = json.load(open(out_path))
    except (OSError, ValueError) as e:
        print("exit %d but no report: %s" % (rc, e))
        return 1
    base = json.load(open(base_path))
    missing = keys(base) - keys(out)
    given = [f for f in out["findings"] if f["rule"] in GIVEN_UP]
    cov = out["coverage"]
    if missing and not given:
        print("findings lost silently: %s" % sorted(missing))
        return 1
    if given and not cov.get("incomplete"):
        print("%s reported but coverage.incomplete is 0" % given[0]["rule"])
        return 1
    if cov["files"] < base["coverage"]["files"] and not given and not cov.get("incomplete"):
        print("files lost silently: %d of %d" % (cov["files"], base["coverage"]["files"]))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
