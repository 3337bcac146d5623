#!/usr/bin/env python3
"""accuracy.py - the report of bench/accuracy.sh: reads its manifest (one labelled
item a line: set, label, arch, item, scanned path, planted files) and the JSON
report of each scan, prints detection and false-positive rates as Markdown.

Units: an implant or look-alike is one file (their build directories are
scanned whole, one per architecture and link; a file "fails" when a finding
>= high, the default policy's fail level, is located on it); a planted image passes when it is
`fail` and each planted file carries a finding >= high; a package counts each
of its ELF files as one clean executable (the worst finding located on that
file); an image counts as a whole (its worst finding). Rules of the
hidden-command analysis (issue 21) are found by HIDDEN (a regular expression on
the rule id), so new rules of that family appear without a change here."""
import argparse
import collections
import datetime
import json
import os
import re
import sys

SEV = {"info": 0, "low": 1, "medium": 2, "high": 3, "critical": 4}
# shapes a person should look at but that are no back door: expected medium
REVIEW = set(os.environ.get("ACCURACY_REVIEW", "streamc2").split())
HIDDEN = re.compile(os.environ.get("ACCURACY_HIDDEN_RULES", r"^(backdoor\.|capability\.out-of-role)"))


def worst(findings, keep=lambda f: True):
    return max((SEV[f["severity"]] for f in findings if keep(f)), default=0)


def pct(n, d):
    return "%d/%d (%.1f%%)" % (n, d, 100.0 * n / d) if d else "0/0"


def load(manifest, jdir):
    items = []
    with open(manifest) as fh:
        for i, line in enumerate(fh, 1):
            parts = line.rstrip("\n").split("\t")
            st, label, arch, name, path, focus = (parts + [""] * 6)[:6]
            try:
                with open(os.path.join(jdir, "%d.json" % i)) as jf:
                    rep = json.load(jf)
            except (OSError, ValueError):
                rep = None
            items.append(dict(set=st, label=label, arch=arch, name=name, path=path,
                              focus=focus.split(), rep=rep))
    return items


def units(items):
    """Yields (kind, item, unit name, findings on it, verdict or None) per counted unit."""
    for it in items:
        rep = it["rep"]
        if rep is None:
            continue
        fs = rep["findings"]
        if it["set"] == "implants":
            yield from implant_units(it, rep)
        elif it["set"] == "package":
            by_loc = collections.defaultdict(list)
            for f in fs:
                by_loc[f["location"]].append(f)
            for n in rep.get("inventory", []):
                if n.get("kind") == "elf":
                    yield "executable", it, n["location"].split("!")[-1], by_loc.get(n["location"], []), None
        else:
            yield it["set"], it, it["name"], fs, rep["verdict"]


def implant_units(it, rep):
    """One scan of a build directory: each program in it is a unit, positive
    when its name is one of the item's positive names."""
    pos = set(it["focus"])
    by_loc = collections.defaultdict(list)
    for f in rep["findings"]:
        by_loc[f["location"]].append(f)
    for n in rep.get("inventory", []):
        name = n["location"].split("!")[-1].split("/")[-1]
        if n.get("kind") != "elf" or name.endswith(".so"):
            continue
        fs = by_loc.get(n["location"], [])
        if name in REVIEW:
            yield "review-shape", dict(it, label="review"), "%s/%s" % (it["name"], name), fs, \
                ("fail" if worst(fs) >= 3 else "not fail")
            continue
        unit = dict(it, label="positive" if name in pos else "negative")
        yield ("implant" if name in pos else "lookalike"), unit, "%s/%s" % (it["name"], name), fs, \
            ("fail" if worst(fs) >= 3 else "not fail")


def planted_hit(rep, path, keep=lambda f: True):
    return any(SEV[f["severity"]] >= 3 and f["location"].endswith(path) and keep(f)
               for f in rep["findings"])


def image_kind(it):
    """What made a clean image: a d-i image, a product (by format), a router root filesystem
    (by archive), the router-style image or a real image."""
    n = it["name"]
    if it["set"] == "real":
        return "real image"
    if n.startswith("d-i"):
        return "d-i " + ("gtk initrd" if "_gtk_" in n else n.rsplit("_", 1)[-1])
    if n.startswith("product-"):
        return "product, " + n.split(".", 1)[1]
    if n.startswith("router-rootfs."):
        return "router root filesystem, " + n.split(".", 1)[1]
    return n


def report(items, args):
    o = []
    w = o.append
    errors = [it["name"] for it in items if it["rep"] is None]
    # detection
    det = collections.defaultdict(lambda: [0, 0])
    hid = [0, 0]
    by_src = {False: [0, 0], True: [0, 0]}  # issue 14's implants and plants; tests/hidden
    misses = []
    for kind, it, name, fs, verdict in units(items):
        if it["label"] != "positive":
            continue
        if kind == "plant":
            ok = verdict == "fail" and all(planted_hit(it["rep"], p) for p in it["focus"])
            hok = all(planted_hit(it["rep"], p, lambda f: HIDDEN.search(f["rule"])) for p in it["focus"])
        else:
            ok = verdict == "fail" and worst(fs) >= 3
            hok = worst(fs, lambda f: HIDDEN.search(f["rule"])) >= 3
        key = (kind, it["arch"])
        det[key][1] += 1
        det[key][0] += ok
        src = by_src[name.startswith("hidden-")]
        src[1] += 1
        src[0] += ok
        hid[1] += 1
        hid[0] += hok
        if not ok:
            misses.append("%s %s (%s): verdict %s, worst %s" % (kind, name, it["arch"], verdict,
                          [k for k, v in SEV.items() if v == worst(fs)][0]))
    tot = [sum(v[0] for v in det.values()), sum(v[1] for v in det.values())]
    w("Detection (positives `fail` with a finding >= high; a planted image: each planted file >= high): "
      "**%s**\n" % pct(*tot))
    w("- the implants of tests/implants and the planted images (issue 14): **%s**" % pct(*by_src[False]))
    w("- the hidden-command servers of tests/hidden (issue 21), back-doored builds: **%s**\n"
      % pct(*by_src[True]))
    rev = [(name, worst(fs)) for kind, it, name, fs, verdict in units(items) if it["label"] == "review"]
    if rev:
        ok = sum(1 for _, sev in rev if sev == 2)
        w("Review shapes (%s: suspicious, no back door; expected worst finding medium): %s; other: %s\n" %
          (", ".join(sorted(REVIEW)), pct(ok, len(rev)),
           ", ".join("%s %s" % (n, [k for k, v in SEV.items() if v == sev][0]) for n, sev in rev if sev != 2)
           or "none"))
    w("| set | arch | detected |")
    w("|---|---|---|")
    for (kind, arch), (n, d) in sorted(det.items()):
        w("| %s | %s | %s |" % (kind, arch, pct(n, d)))
    w("")
    # false positives
    fp = collections.defaultdict(lambda: [0, 0, 0, 0])  # n, >=high, medium, fail
    rules = collections.defaultdict(lambda: collections.Counter())
    hid_fp = collections.defaultdict(lambda: [0, 0, 0])
    fps = []
    known = []
    kinds = collections.defaultdict(lambda: [0, 0, 0, 0, 0])
    for kind, it, name, fs, verdict in units(items):
        if it["label"] == "known-real":
            c = collections.Counter(f["severity"] for f in fs)
            known.append("%s: %s, c/h/m %d/%d/%d" % (name, verdict, c["critical"], c["high"], c["medium"]))
            continue
        if it["label"] != "negative":
            continue
        grp = "executable" if kind == "executable" else ("look-alike" if kind == "lookalike" else "image")
        sev = worst(fs)
        row = fp[(grp, it["arch"])]
        row[0] += 1
        row[1] += sev >= 3
        row[2] += sev == 2
        row[3] += verdict == "fail"
        if grp == "image":
            kr = kinds[image_kind(it)]
            kr[0] += 1
            kr[1] += sev >= 3
            kr[2] += sev == 2
            kr[3] += verdict == "review"
            kr[4] += verdict == "fail"
        hs = worst(fs, lambda f: HIDDEN.search(f["rule"]))
        hrow = hid_fp[grp]
        hrow[0] += 1
        hrow[1] += hs >= 3
        hrow[2] += hs == 2
        for f in fs:
            if SEV[f["severity"]] >= 2:
                rules[f["rule"]][f["severity"]] += 1
                fps.append("%s %s %s [%s %s] %s: %s" % (f["severity"], f["rule"], grp, it["arch"], it["name"],
                                                       f["location"].split("!")[-1], f["message"][:160]))
    w("False positives on the clean set (worst finding per unit):\n")
    w("| unit | arch | n | >= high | medium | verdict fail |")
    w("|---|---|---|---|---|---|")
    sums = collections.defaultdict(lambda: [0, 0, 0, 0])
    for (grp, arch), r in sorted(fp.items()):
        w("| %s | %s | %d | %d | %d | %d |" % (grp, arch, *r))
        for i in range(4):
            sums[grp][i] += r[i]
    for grp, r in sorted(sums.items()):
        w("| **%s, all** | | %d | %s | %s | %d |" % (grp, r[0], pct(r[1], r[0]), pct(r[2], r[0]), r[3]))
    clean = [sums["executable"][i] + sums["image"][i] for i in range(4)]
    if sums["executable"][0] and sums["image"][0]:
        w("| **clean set (executables and images)** | | %d | %s | %s | %d |" %
          (clean[0], pct(clean[1], clean[0]), pct(clean[2], clean[0]), clean[3]))
    w("")
    if kinds:
        w("Clean images by kind (worst finding per image; the verdict also says `review` for "
          "coverage: a part examined only in part or not opened):\n")
        w("| kind | n | >= high | medium | verdict review | verdict fail |")
        w("|---|---|---|---|---|---|")
        for k, r in sorted(kinds.items()):
            w("| %s | %d | %d | %d | %d | %d |" % (k, *r))
        w("")
    w("Per-rule counts on the clean set (findings >= medium; a package's findings on files "
      "other than ELF included):\n")
    w("| rule | critical | high | medium |")
    w("|---|---|---|---|")
    for r, c in sorted(rules.items(), key=lambda kv: (-sum(kv[1].values()), kv[0])):
        w("| `%s` | %d | %d | %d |" % (r, c["critical"], c["high"], c["medium"]))
    if not rules:
        w("| (none) | | | |")
    w("")
    w("Hidden-command analysis (rules matching `%s`): detection %s (positives with such a finding "
      ">= high; the implants are not built to carry a hidden comparison, so low is expected here)" %
      (HIDDEN.pattern, pct(*hid)))
    for grp, r in sorted(hid_fp.items()):
        w("; clean %s at >= high %s, at medium %s" % (grp, pct(r[1], r[0]), pct(r[2], r[0])))
    w("\n")
    if known:
        w("Known real findings (outside the rates): " + "; ".join(known) + "\n")
    if errors:
        w("Not scanned: " + ", ".join(errors) + "\n")
    if misses:
        w("Missed positives:\n")
        for m in misses:
            w("- " + m)
        w("")
    return "\n".join(o), fps


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("manifest")
    ap.add_argument("jsondir")
    ap.add_argument("--commit", default="unknown")
    ap.add_argument("--seconds", default="?")
    ap.add_argument("--details")
    ap.add_argument("--doc")
    a = ap.parse_args()
    items = load(a.manifest, a.jsondir)
    body, fps = report(items, a)
    head = "### bench/accuracy.sh, %s, commit %s (%s s)\n" % (
        datetime.date.today().isoformat(), a.commit, a.seconds)
    print(head)
    print(body)
    if a.details:
        with open(a.details, "w") as fh:
            fh.write("\n".join(sorted(fps)) + "\n")
    if a.doc:
        with open(a.doc, "a") as fh:
            fh.write("\n" + head + "\n" + body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
