#!/usr/bin/env bash
# The HTML report in headless Chromium (Debian's chromium + chromium-driver):
# it renders, its filters by severity, category and text work, and a
# screenshot is taken (left in the test's working directory as
# report-html.png). The report is self-contained: no URL outside the file.
# On an image whose critical finding (a root without password deep inside)
# comes last by location, after low, info and medium ones, the table's first
# row is the critical one and the banner names it as the verdict's reason.
set -u
fail=0
check() { if eval "$2"; then echo "ok - $1"; else echo "not ok - $1"; fail=1; fi; }
t=$(mktemp -d); trap 'rm -rf "$t"' EXIT
. "$SRC/tests/e2e/lib/fixtures.sh"

make_img "$t/img.bin"
# A gzip inside the gzip, past --max-depth 2: limit.depth (medium).
head -c 777 /dev/zero > "$t/img.bin"; gzip -9 -n -c "$t/p.z" >> "$t/img.bin"; "$SRC"/tests/tools/randbytes 4096 report_html1 >> "$t/img.bin"
policy_waive "$t/expired.yaml" 2020-01-01
# Three findings: coverage.unexplained (raised to high), limit.depth (medium),
# policy.waiver-expired (low); categories coverage and policy.
"$POSTERN" scan "$t/img.bin" --max-depth 2 --inventory --policy "$t/expired.yaml" -f html -o "$t/report.html"; rc=$?
check "html report written" '[ -s "$t/report.html" ] && [ $rc -le 1 ]'
check "self-contained: no external URL is loaded" '! grep -Eq "(src|href)=\"(https?:)?//" "$t/report.html"'
check "content security policy forbids the network" 'grep -q "default-src .none." "$t/report.html"'
check "data is embedded with no raw '<'" '[ "$(grep -c "</script>" "$t/report.html")" -eq 2 ]'

# By location: crit.bin (coverage.unexplained, low) < ...!/data
# (binary.hardening-summary of Debian's true, info) < ...!/data!/bin/helper
# (fs.unexpected-setuid on a text file, low) < ...!/data!/etc/passwd
# (account.empty-password, critical).
mkdir -p "$t/r/etc" "$t/r/bin"
printf 'root::0:0:root:/root:/bin/sh\n' > "$t/r/etc/passwd"
printf '\177ELF' > "$t/r/bin/helper"; chmod 4755 "$t/r/bin/helper"
cp /bin/true "$t/r/bin/true"
tar -C "$t/r" -cf - . | gzip -9 -n > "$t/crit.z"
{ head -c 777 /dev/zero; cat "$t/crit.z"; "$SRC"/tests/tools/randbytes 4096 report_html2; } > "$t/crit.bin"
"$POSTERN" scan "$t/crit.bin" -f html -o "$t/critical.html"; rc=$?
check "critical image: html written, verdict fail" '[ -s "$t/critical.html" ] && [ $rc -eq 1 ]'
if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
  /usr/bin/python3 "$SRC/tests/e2e/lib/html_check.py" "$t/report.html" "$PWD/report-html.png" || fail=1
  /usr/bin/python3 "$SRC/tests/e2e/lib/html_check.py" --order "$t/critical.html" account.empty-password || fail=1
else
  echo "not ok - chromium and chromium-driver are required (scripts/install-deps)"; fail=1
fi
exit $fail
