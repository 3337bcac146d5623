#!/usr/bin/env python3
"""failclosed_check.py - the oracle of the allocation-failure test (issue 23).

usage: failclosed_check.py BASELINE.json RC STDERR_FILE OUT.json

A scan whose Nth allocation failed must fail closed: either it stopped with
exit 70 and said "out of memory" on stderr, or it finished (exit 0 or 1) with
a report identical to the clean run's (the failure cost nothing: a cache
given up, a fallback taken), or one that says what was given up
(limit.memory, unpack.resource or analyze.resource) and counts it in
coverage. A report that differs in anything else (a finding lost or
changed, a fact or a count missing) is a failure some code swallowed: out of
memory taken for "nothing found". Prints why not and exits 1 otherwise.
"""
import json
import sys

GIVEN_UP = ("limit.memory", "unpack.resource", "analyze.resource")


def keys(doc):
    return {(f["rule"], f["location"]) for f in doc["findings"]}


def strip(doc):
    """The report without what varies from run to run."""
    return {k: v for k, v in doc.items() if k != "run"}


def difference(base, out):
    """A short account of where two reports differ, for the log."""
    a, b = strip(base), strip(out)
    for k in sorted(set(a) | set(b)):
        if a.get(k) != b.get(k):
            if k == "findings":
                fa = {json.dumps(f, sort_keys=True) for f in a.get(k, [])}
                fb = {json.dumps(f, sort_keys=True) for f in b.get(k, [])}
                return "findings lost %s, new %s" % (sorted(fa - fb)[:2], sorted(fb - fa)[:2])
            return "%s: %s -> %s" % (k, json.dumps(a.get(k))[:200], json.dumps(b.get(k))[:200])
    return "?"


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
    if not given and strip(out) != strip(base):
        print("report differs from the clean run and says nothing was given up: %s"
              % difference(base, out))
        return 1
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
