#!/usr/bin/python3
"""Drives Debian's headless Chromium through chromedriver (the W3C WebDriver
protocol over HTTP on loopback, standard library only) to check a postern
HTML report: it renders, the filters work, and a screenshot is taken; or,
with --order, that the table's first row is the worst finding (worst first,
then by location) and the banner names the findings that decided the verdict.

usage: html_check.py REPORT.html SCREENSHOT.png
       html_check.py --order REPORT.html RULE
Prints 'ok - ...' lines; exits 1 on the first failed check."""
import base64
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

order = sys.argv[1] == "--order"
if order:
    report, worst = os.path.abspath(sys.argv[2]), sys.argv[3]
else:
    report, shot = os.path.abspath(sys.argv[1]), sys.argv[2]
RANK = {"critical": 0, "high": 1, "medium": 2, "low": 3, "info": 4}


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


port = free_port()
profile = tempfile.mkdtemp(prefix="postern-chromium-")
driver = subprocess.Popen(["/usr/bin/chromedriver", "--port=%d" % port],
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
base = "http://127.0.0.1:%d" % port


def call(method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(base + path, data=data, method=method,
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=60) as r:
        return json.loads(r.read())["value"]


def check(name, cond, detail=""):
    if not cond:
        print("not ok - %s %s" % (name, detail))
        raise SystemExit(1)
    print("ok - " + name)


sid = None
try:
    for _ in range(100):
        try:
            call("GET", "/status")
            break
        except OSError:
            time.sleep(0.1)
    caps = {"capabilities": {"alwaysMatch": {"browserName": "chrome", "goog:chromeOptions": {
        "binary": "/usr/bin/chromium",
        "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage", "--window-size=1280,1400", "--user-data-dir=" + profile]}}}}
    sid = call("POST", "/session", caps)["sessionId"]
    S = "/session/" + sid
    call("POST", S + "/url", {"url": "file://" + report})

    def js(script):
        return call("POST", S + "/execute/sync", {"script": script, "args": []})

    def find(css):
        el = call("POST", S + "/element", {"using": "css selector", "value": css})
        return next(iter(el.values()))

    def visible():
        return js("return [...document.querySelectorAll('#findings tbody tr')]"
                  ".filter(r => r.style.display !== 'none').map(r => r.children[1].textContent)")

    for _ in range(50):
        if js("return document.body.dataset.ready") == "1":
            break
        time.sleep(0.1)
    check("report renders (script ran)", js("return document.body.dataset.ready") == "1")
    expect = json.loads(js("return document.getElementById('data').textContent"))
    # The table's order: unwaived before waived, worst first, then the JSON's
    # order (by location, offset, rule).
    ranked = sorted(expect["findings"], key=lambda f: (bool(f.get("waiver")), RANK[f["severity"]]))
    if order:
        first = js("return [...document.querySelectorAll('#findings tbody tr')[0].children].map(c => c.textContent)")
        check("the first row is the worst finding: %s" % worst, first[1] == worst and first[0].startswith("critical"), first)
        check("the worst finding is not first in the JSON (the order is the report's)",
              expect["findings"][0]["rule"] != worst, expect["findings"][0]["rule"])
        rows = js("return [...document.querySelectorAll('#findings tbody tr')].map(r => r.children[1].textContent)")
        check("every row worst first, then by location", rows == [f["rule"] for f in ranked], rows)
        head = js("return document.getElementById('reasons').textContent")
        check("the banner gives the verdict's reason", head.startswith(expect["verdict"] + " because of 1 finding")
              and worst in head, head)
        lowest = [f["rule"] for f in expect["findings"] if RANK[f["severity"]] >= RANK["medium"]]
        check("findings below the fail threshold are not reasons", lowest and not any(r in head for r in lowest), head)
        raise SystemExit(0)
    total = js("return document.querySelectorAll('#findings tbody tr').length")
    check("one table row per finding", total == len(expect["findings"]) and total >= 3, total)
    check("verdict banner", js("return document.getElementById('verdict').textContent") == expect["verdict"]
          and js("return document.getElementById('banner').className") == expect["verdict"])
    check("coverage panel", js("return document.querySelectorAll('#coverage .stat').length") >= 6)
    check("charts: severity, category and file-kind bars",
          all(js("return document.querySelectorAll('#%s svg rect.bar').length" % c) > 0
              for c in ("chart-severity", "chart-category", "chart-kinds")))
    check("file tree lists the inventory",
          js("return document.querySelectorAll('#tree .file, #tree details').length") >= len(expect.get("inventory", [])) - 1)
    check("evidence shown per finding", js("return document.querySelectorAll('#findings td.ev div').length") >= 1)

    # Filter by severity: pick 'medium' in the select as a user would.
    call("POST", S + "/element/%s/click" % find("#filter-severity"), {})
    call("POST", S + "/element/%s/click" % find("#filter-severity option:nth-child(4)"), {})
    rows = visible()
    want = [f["rule"] for f in ranked if f["severity"] == "medium"]
    check("severity filter shows only medium findings", rows == want and len(rows) >= 1, rows)
    check("shown count follows", js("return document.getElementById('shown-count').textContent")
          .startswith("%d of %d" % (len(want), total)))
    call("POST", S + "/element/%s/click" % find("#filter-severity option:nth-child(1)"), {})
    check("all severities again", len(visible()) == total)

    # Filter by category.
    cat = "policy"
    call("POST", S + "/element/%s/click" % find("#filter-category option[value='%s']" % cat), {})
    rows = visible()
    check("category filter", rows == [f["rule"] for f in ranked if f["category"] == cat] and rows, rows)
    call("POST", S + "/element/%s/click" % find("#filter-category option:nth-child(1)"), {})
    check("all categories again", len(visible()) == total)

    # Filter by text: typed into the search box.
    box = find("#filter-text")
    call("POST", S + "/element/%s/value" % box, {"text": "belong to no recognised"})
    rows = visible()
    check("text filter", rows == ["coverage.unexplained"],
          "%r value=%r" % (rows, js("return document.getElementById('filter-text').value")))
    call("POST", S + "/element/%s/clear" % box, {})
    call("POST", S + "/element/%s/value" % box, {"text": "no-such-thing-anywhere"})
    check("text filter with no match hides every row", visible() == [])
    call("POST", S + "/element/%s/clear" % box, {})
    js("document.getElementById('filter-text').dispatchEvent(new Event('input'))")
    check("clearing the filter shows every row", len(visible()) == total)

    png = base64.b64decode(call("GET", S + "/screenshot"))
    with open(shot, "wb") as f:
        f.write(png)
    check("screenshot taken (%s, %d bytes)" % (shot, len(png)), png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 20000)
finally:
    if sid:
        try:
            call("DELETE", "/session/" + sid)
        except OSError:
            pass
    driver.terminate()
    driver.wait(timeout=10)
    subprocess.run(["rm", "-rf", profile])
