#!/usr/bin/python3
"""Checks pages of postern's web interface (tests/e2e/web.sh, web_browser.py):
each parses with html5lib's strict parser (any parse error fails), every form
field has a label (a <label for> naming its id, or aria-label), and nothing
needs what the Content-Security-Policy forbids (inline scripts, style
attributes, on* handlers, resources from another origin).

usage: web_pages.py PAGE.html...   exits 1 naming the first page that fails"""
import sys

import html5lib


def check(path):
    data = open(path, "rb").read()
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    try:
        doc = parser.parse(data)
    except Exception as e:  # html5lib raises ParseError on the first error
        return "parse error: %s %s" % (e, parser.errors[:3])
    fields = [e for e in doc.iter() if e.tag in ("input", "select", "textarea")
              and e.get("type") not in ("hidden", "submit", "button")]
    labels = {e.get("for") for e in doc.iter("label")}
    for f in fields:
        if f.get("aria-label") is None and (not f.get("id") or f.get("id") not in labels):
            return "field %r has no label" % (f.get("name"),)
    for e in doc.iter():
        if not isinstance(e.tag, str):
            continue
        if e.tag == "script" and (not e.get("src") or (e.text or "").strip()):
            return "an inline script"
        if e.get("style") is not None:
            return "a style attribute on <%s>" % e.tag
        if any(k.startswith("on") for k in e.keys()):
            return "an event handler attribute on <%s>" % e.tag
        for attr in ("src", "href", "action"):
            v = e.get(attr) or ""
            if v.startswith(("http:", "https:", "//", "javascript:")):
                return "<%s %s=%r> leaves the origin" % (e.tag, attr, v)
    for form in doc.iter("form"):
        if (form.get("method") or "get").lower() == "post":
            names = [i.get("name") for i in form.iter("input")]
            if "csrf" not in names:
                return "a POST form without a csrf field"
    return None


bad = 0
for p in sys.argv[1:]:
    why = check(p)
    if why:
        print("not ok - %s: %s" % (p, why))
        bad = 1
sys.exit(bad)
