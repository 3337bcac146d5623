#!/usr/bin/python3
"""The bytes a postern hex view page shows (the web pages' /sub/ID/hex), as
lowercase hex on one line: the <pre id="hex"> dump's hex columns, read back
after HTML unescaping (tests/e2e/web.sh, service_pg.sh).

usage: hex_page.py PAGE.html"""
import html
import re
import sys

m = re.search(r'<pre class="hex" id="hex">(.*?)</pre>', open(sys.argv[1]).read(), re.S)
out = bytearray()
# each line: 8 hex digits of offset, two spaces, 16 columns of "xx " (blank past the end)
for line in html.unescape(m.group(1) if m else "").splitlines():
    out += bytes(int(x, 16) for x in line[10:58].split())
print(out.hex())
