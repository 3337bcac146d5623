#!/usr/bin/python3
"""The web interface of postern serve in headless Chromium, driven through
chromium-driver by python3-selenium (tests/e2e/web_browser.sh starts serve).

A submitter signs in with the keyboard, uploads two versions of a product
(tests/tools/mkwebfix.py) and watches the second finish on its own page
(app.js reloads it); opens its report, the diff, the file tree and the file
named <script>alert(1)</script> (shown literally, no alert); a reviewer
waives the finding with an expiry and approves; the same reviewer cannot
approve again; a second reviewer approves; the gate then answers approved and
the transparency log is one entry longer. An admin cannot decide on their
own submission. A product named <script>alert(1)</script> is text. On every
page Tab reaches every link, button and field, the skip link first.
Screenshots of every page go to SHOTS.

usage: web_browser.py BASE_URL WORKDIR SHOTS"""
import hashlib
import json
import sqlite3
import sys
import tempfile
import time
import urllib.request

from selenium import webdriver
from selenium.common.exceptions import (NoAlertPresentException, TimeoutException,
                                        WebDriverException)
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait

base, work, shots = sys.argv[1:4]
tokens = dict(line.strip().split("=", 1) for line in open(work + "/tokens"))
XSS = "<script>alert(1)</script>"
failed = 0


def check(name, cond, detail=""):
    global failed
    print(("ok - " if cond else "not ok - ") + name + ("" if cond else "  # " + str(detail)))
    failed |= not cond
    return cond


def browser():
    o = Options()
    o.binary_location = "/usr/bin/chromium"
    for a in ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--lang=en-US",
              "--disable-background-networking", "--disable-component-update", "--disable-sync",
              "--disable-dev-shm-usage", "--window-size=1280,1600",
              "--user-data-dir=" + tempfile.mkdtemp(prefix="postern-web-", dir=work)):
        o.add_argument(a)
    d = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=o)
    d.set_page_load_timeout(120)
    return d


def shot(d, name):
    d.save_screenshot("%s/%s.png" % (shots, name))


def no_alert(d):
    try:
        d.switch_to.alert
        return False
    except NoAlertPresentException:
        return True


def api(path, token):
    req = urllib.request.Request(base + path, headers={"Authorization": "Bearer " + token})
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.loads(r.read())


def keyboard_walk(d, page):
    """Tab round the page: every link, button and field is reached, in
    document order (no positive tabindex), the skip link first."""
    body = d.find_element(By.TAG_NAME, "body")
    want = d.find_elements(
        By.CSS_SELECTOR, "a[href], button, input:not([type=hidden]), select, textarea, summary")
    seq = []
    for _ in range(2 * len(want) + 6):
        ActionChains(d).send_keys(Keys.TAB).perform()
        el = d.switch_to.active_element
        if el != body and (not seq or seq[-1] != el):  # a date field has 3 stops
            seq.append(el)
    start = next((i for i, e in enumerate(seq) if e == want[0]), None) if want else None
    cycle = seq[start:start + len(want)] if start is not None else []
    first = want[0].get_attribute("textContent") if want else None
    ok = first == "Skip to content" and cycle == want
    missing = [e.get_attribute("outerHTML")[:80] for e in want if e not in seq]
    check("keyboard: on %s Tab reaches all %d controls in order, the skip link first"
          % (page, len(want)), ok, "first=%r missing=%r" % (first, missing[:3]))


def new_document(d):
    """True once the page marked by follow() has been replaced and has loaded.  Asked while
    the browser navigates, chromedriver may answer with an error that is not a stale element
    ("Node with given id does not belong to the document", seen in CI): that means 'not yet'."""
    try:
        return d.execute_script("return window.__posternOld === undefined"
                                " && document.readyState === 'complete'")
    except WebDriverException:
        return False


def follow(d, el):
    """Enter on a link or button, then wait until the next page is there."""
    d.execute_script("window.__posternOld = true")
    el.send_keys(Keys.ENTER)
    WebDriverWait(d, 60).until(new_document)


def sign_in(d, token):
    d.get(base + "/login")
    d.find_element(By.ID, "token").send_keys(token + Keys.ENTER)
    WebDriverWait(d, 30).until(lambda d: d.current_url.endswith("/queue"))


def sign_out(d):
    btn = d.find_element(By.XPATH, "//button[normalize-space()='Sign out']")
    btn.send_keys(Keys.ENTER)
    WebDriverWait(d, 30).until(lambda d: d.current_url.endswith("/login"))


def upload(d, product, version, path):
    d.get(base + "/submit")
    d.find_element(By.ID, "product").send_keys(product)
    d.find_element(By.ID, "version").send_keys(version)
    d.find_element(By.ID, "image").send_keys(path)
    follow(d, d.find_element(By.XPATH, "//button[@type='submit' and contains(., 'Upload')]"))
    return d.current_url.split("/sub/")[1].split("?")[0].split("#")[0]


def wait_verdict(d, verdict, timeout=180):
    """Waits on the page as it is (app.js reloads it): the verdict badge."""
    try:
        # asked while app.js reloads the page, chromedriver may fail the lookup: 'not yet'
        WebDriverWait(d, timeout, ignored_exceptions=(WebDriverException,)).until(
            lambda d: d.find_elements(By.CSS_SELECTOR, ".badge.big.v-" + verdict))
        return True
    except TimeoutException:
        return False


def decide(d, sub, decision, why):
    d.get(base + "/sub/" + sub)
    Select(d.find_element(By.ID, "decision")).select_by_value(decision)
    d.find_element(By.ID, "djust").send_keys(why)
    follow(d, d.find_element(By.XPATH, "//button[contains(., 'Record the decision')]"))


def main():
    d = browser()
    try:
        # --- the submitter ---
        d.get(base + "/queue")
        check("without a session the queue sends the browser to sign in",
              d.current_url.endswith("/login"))
        shot(d, "01-login")
        keyboard_walk(d, "the sign-in page")
        sign_in(d, tokens["ALICE"])
        check("signed in with the keyboard: the queue", d.title.startswith("Queue"))
        cookie = d.get_cookie("pst_session")
        check("the session cookie is HttpOnly and SameSite=Strict",
              cookie and cookie["httpOnly"] and cookie.get("sameSite") == "Strict", cookie)
        d.get(base + "/submit")
        shot(d, "02-submit")
        keyboard_walk(d, "the upload page")
        upload(d, "router", "1.0", work + "/clean.tgz")
        check("the clean version finishes: pass", wait_verdict(d, "pass"))
        sub = upload(d, "router", "1.1", work + "/planted.tgz")
        shot(d, "03-submission-scanning")
        check("the planted version finishes on its own page (live): fail", wait_verdict(d, "fail"))
        body = d.find_element(By.TAG_NAME, "body").text
        check("the report: fail first, the critical finding, the catalog's why/how",
              "service.unauthenticated-shell" in body and "critical (1)" in body and
              d.find_elements(By.XPATH, "//summary[contains(., 'Why it matters')]"))
        d.find_element(By.XPATH, "//summary[contains(., 'Why it matters')]").send_keys(Keys.ENTER)
        shot(d, "04-submission")
        wide = d.execute_script("return document.documentElement.scrollWidth > window.innerWidth")
        check("the submission page fits the window's width", not wide)
        keyboard_walk(d, "the submission page")
        d.get(base + "/queue")
        check("the queue lists both versions with verdict badges",
              d.find_elements(By.CSS_SELECTOR, ".badge.v-fail") and
              d.find_elements(By.CSS_SELECTOR, ".badge.v-pass"))
        shot(d, "05-queue")
        d.set_window_size(1280, 520)  # the queue for docs/web-queue.png, without the blank
        shot(d, "docs-queue")
        d.set_window_size(1280, 1600)
        keyboard_walk(d, "the queue")
        d.get(base + "/sub/%s/diff" % sub)
        check("the diff against 1.0 names the changed inittab",
              "etc/inittab" in d.find_element(By.TAG_NAME, "body").text)
        shot(d, "06-diff")
        d.get(base + "/sub/%s/tree" % sub)
        for _ in range(6):  # down the containers to www/
            links = d.find_elements(By.XPATH, "//ul[@class='tree']//a[contains(., 'www/')]")
            if links:
                break
            deeper = d.find_elements(By.XPATH, "//ul[@class='tree']//a[contains(., '!/')]")
            follow(d, deeper[-1])
        shot(d, "07-tree")
        keyboard_walk(d, "the file tree")
        follow(d, links[0])
        follow(d, d.find_element(By.XPATH, "//ul[@class='tree']//a[contains(., 'alert')]"))
        follow(d, d.find_element(By.XPATH, "//ul[@class='tree']//a[contains(., 'script>')]"))
        text = d.find_element(By.TAG_NAME, "body").text
        check("a file named <script>alert(1)</script>: its name is text, no alert, no extra script",
              ("www/" + XSS) in text and no_alert(d) and
              len(d.find_elements(By.TAG_NAME, "script")) == 1, text[:200])
        shot(d, "08-file-xss")
        d.get(base + "/sub/" + sub)
        follow(d, d.find_element(By.PARTIAL_LINK_TEXT, "hex view"))
        check("the hex view shows offset and bytes", "0000" in d.find_element(By.TAG_NAME, "pre").text)
        shot(d, "09-hex")
        sign_out(d)
        d.get(base + "/sub/" + sub)
        check("signed out: the submission needs signing in again", d.current_url.endswith("/login"))

        # --- the first reviewer: a waiver and an approval ---
        sign_in(d, tokens["BOB"])
        d.get(base + "/sub/" + sub)
        sel = Select(d.find_element(By.ID, "finding"))
        for o in sel.options:
            if "service.unauthenticated-shell" in o.text:
                sel.select_by_visible_text(o.text)
        d.find_element(By.ID, "wjust").send_keys("lab unit, telnet kept on purpose")
        exp = d.find_element(By.ID, "expires")
        exp.send_keys("12312099")
        if exp.get_attribute("value") != "2099-12-31":  # a date field's typing is locale's
            d.execute_script("arguments[0].value = '2099-12-31'", exp)
        follow(d, d.find_element(By.XPATH, "//button[normalize-space()='Waive']"))
        text = d.find_element(By.TAG_NAME, "body").text
        check("the reviewer waives the finding with an expiry",
              "The waiver is recorded" in text and "until 2099-12-31" in text, text[-300:])
        keyboard_walk(d, "the submission page with the review forms")
        sha = hashlib.sha256(open(work + "/planted.tgz", "rb").read()).hexdigest()
        size0 = api("/api/v1/log/sth", tokens["BOB"])["tree_size"]
        decide(d, sub, "approve", "the telnet shell is the lab's own")
        text = d.find_element(By.TAG_NAME, "body").text
        check("one approval of a fail: recorded, one more reviewer needed", "1 more needed" in text)
        shot(d, "10-review-one-approval")
        check("the gate still answers rejected",
              api("/api/v1/gate/" + sha, tokens["BOB"])["decision"] == "rejected")
        decide(d, sub, "approve", "again")
        text = d.find_element(By.TAG_NAME, "body").text
        check("the same reviewer again is refused (four eyes)",
              "four eyes" in text and d.find_element(By.TAG_NAME, "h1").text == "403", text[:200])
        shot(d, "11-four-eyes-refused")
        sign_out(d)

        # --- the second reviewer ---
        sign_in(d, tokens["CAROL"])
        decide(d, sub, "approve", "agreed: lab unit")
        text = d.find_element(By.TAG_NAME, "body").text
        check("the second reviewer's approval: approved (final), a log entry",
              "approved (final)" in text and "transparency log entry" in text, text[:300])
        shot(d, "12-approved")
        gate = api("/api/v1/gate/" + sha, tokens["CAROL"])
        size1 = api("/api/v1/log/sth", tokens["CAROL"])["tree_size"]
        check("the gate answers approved", gate["decision"] == "approved", gate)
        check("the transparency log grew by one", size1 == size0 + 1, (size0, size1))
        sign_out(d)

        # --- four eyes: an admin's own submission ---
        sign_in(d, tokens["ADMIN"])
        own = upload(d, "own", "1", work + "/planted.tgz")
        wait_verdict(d, "fail")
        decide(d, own, "approve", "my own")
        text = d.find_element(By.TAG_NAME, "body").text
        check("an admin cannot decide on their own submission (four eyes)", "four eyes" in text)
        d.get(base + "/sub/" + own)
        check("... and it stays rejected", "Decision: rejected" in d.find_element(By.TAG_NAME, "body").text)

        # --- a hostile product name (written into the store: the API refuses it) ---
        db = sqlite3.connect(work + "/data/postern.db")
        row = db.execute("SELECT tenant, sha256, job_key, token_id, created FROM submissions"
                         " WHERE id = ?", (sub,)).fetchone()
        db.execute("INSERT INTO submissions (id, tenant, product, version, filename, sha256,"
                   " job_key, token_id, created) VALUES (?,?,?,?,?,?,?,?,?)",
                   ("e" * 32, row[0], XSS, XSS, XSS, row[1], row[2], row[3], row[4]))
        db.commit()
        db.close()
        for page in ("/products", "/queue", "/sub/" + "e" * 32):
            d.get(base + page)
            text = d.find_element(By.TAG_NAME, "body").text
            check("a product named <script>alert(1)</script> is text on %s, no alert" % page,
                  XSS in text and no_alert(d) and len(d.find_elements(By.TAG_NAME, "script")) == 1)
        shot(d, "13-products-xss")
        keyboard_walk(d, "a submission page")
        d.get(base + "/products/router")
        shot(d, "14-product")
        keyboard_walk(d, "the product's versions")
        # the 403s and the favicon's 404 above are the network's, expected
        errors = [e for e in d.get_log("browser")
                  if e["level"] == "SEVERE" and e.get("source") != "network"]
        check("no script errors and no CSP violations in the browser's log", not errors, errors[:3])
    finally:
        d.quit()
    return failed


sys.exit(main())
