#!/usr/bin/python3
"""Checks SARIF files against what GitHub code scanning documents it needs
("SARIF support for code scanning": rules, results, locations, fingerprints,
limits) beyond the SARIF schema itself.
usage: sarif_github.py FILE... ; prints each problem, exit 1 when there is one."""
import json
import re
import sys

LEVELS = {"none", "note", "warning", "error"}
PRECISION = {"very-high", "high", "medium", "low"}
MAX_RESULTS, MAX_RULES, MAX_LOCATIONS, MAX_TAGS = 25000, 25000, 10, 20


def check(doc):
    bad = []
    if doc.get("version") != "2.1.0":
        bad.append("version is not 2.1.0")
    for ri, run in enumerate(doc.get("runs") or []):
        driver = run.get("tool", {}).get("driver", {})
        if not driver.get("name"):
            bad.append("run %d: tool.driver.name missing" % ri)
        rules = driver.get("rules", [])
        if len(rules) > MAX_RULES:
            bad.append("run %d: more than %d rules" % (ri, MAX_RULES))
        ids = [r.get("id") for r in rules]
        if len(set(ids)) != len(ids):
            bad.append("run %d: rule ids repeat" % ri)
        for r in rules:
            where = "rule %s" % r.get("id")
            for key in ("id", "name"):
                if not r.get(key):
                    bad.append("%s: %s missing" % (where, key))
            for key in ("shortDescription", "fullDescription", "help"):
                if not (r.get(key) or {}).get("text"):
                    bad.append("%s: %s.text missing" % (where, key))
            if (r.get("defaultConfiguration") or {}).get("level") not in LEVELS:
                bad.append("%s: defaultConfiguration.level missing or unknown" % where)
            props = r.get("properties") or {}
            tags = props.get("tags") or []
            if "security" not in tags:
                bad.append("%s: no 'security' tag (security-severity would be ignored)" % where)
            if len(tags) > MAX_TAGS:
                bad.append("%s: more than %d tags" % (where, MAX_TAGS))
            sev = props.get("security-severity")
            if not isinstance(sev, str) or not re.fullmatch(r"\d+(\.\d+)?", sev) \
                    or not 0.0 <= float(sev) <= 10.0:
                bad.append("%s: security-severity %r is not a string 0.0-10.0" % (where, sev))
            if props.get("precision") not in PRECISION:
                bad.append("%s: precision %r" % (where, props.get("precision")))
        results = run.get("results") or []
        if len(results) > MAX_RESULTS:
            bad.append("run %d: more than %d results" % (ri, MAX_RESULTS))
        for i, res in enumerate(results):
            where = "result %d (%s)" % (i, res.get("ruleId"))
            if not res.get("ruleId"):
                bad.append("%s: ruleId missing" % where)
            idx = res.get("ruleIndex")
            if idx is not None and (idx >= len(rules) or rules[idx].get("id") != res.get("ruleId")):
                bad.append("%s: ruleIndex does not name its rule" % where)
            if res.get("ruleId") not in ids:
                bad.append("%s: its rule is not in tool.driver.rules" % where)
            if res.get("level", "warning") not in LEVELS:
                bad.append("%s: level" % where)
            if not (res.get("message") or {}).get("text"):
                bad.append("%s: message.text missing" % where)
            locs = res.get("locations") or []
            if not 1 <= len(locs) <= MAX_LOCATIONS:
                bad.append("%s: %d locations (1..%d)" % (where, len(locs), MAX_LOCATIONS))
            for loc in locs:
                phys = loc.get("physicalLocation") or {}
                uri = (phys.get("artifactLocation") or {}).get("uri")
                if not uri:
                    bad.append("%s: physicalLocation.artifactLocation.uri missing" % where)
                elif re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", uri) or uri.startswith("/"):
                    bad.append("%s: uri %r is not relative" % (where, uri))
                line = (phys.get("region") or {}).get("startLine")
                if not isinstance(line, int) or line < 1:
                    bad.append("%s: region.startLine missing" % where)
            fp = res.get("partialFingerprints") or {}
            if not fp or not all(isinstance(v, str) and v for v in fp.values()):
                bad.append("%s: partialFingerprints missing" % where)
            if "primaryLocationLineHash" not in fp:
                bad.append("%s: no primaryLocationLineHash" % where)
    return bad


status = 0
for path in sys.argv[1:]:
    for problem in check(json.load(open(path)))[:10]:
        print("%s: %s" % (path, problem))
        status = 1
sys.exit(status)
