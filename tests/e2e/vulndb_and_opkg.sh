#!/usr/bin/env bash
# Vulnerability matching beyond plain ranges (issue 18): an NVD configuration
# with operator AND (an application "running on" an OS, firmware on a
# device) matches only when every node of it matches a component of the
# product; opkg packages (OpenWrt) are looked up by name in OSV records of
# ecosystem OpenWrt (opkg's ordering) and by their fingerprint's CPE with
# the upstream version, and their binaries are not matched a second time;
# PyPI versions are ordered by PEP 440. Programs are compiled here, never run.
set -u
fail=0
check() { if eval "$2"; then echo "ok - $1"; else echo "not ok - $1"; fail=1; fi; }
t=$(mktemp -d); trap 'rm -rf "$t"' EXIT
PY=/usr/bin/python3
F="$SRC/tests/fixtures/vuln"
export XDG_CACHE_HOME="$t/cache"
db="$t/v.sqlite"
if ! command -v cc > /dev/null; then echo "skip - no cc"; exit 77; fi

# Records in NVD's and OSV's shapes, written for this test (the ids are not
# real CVEs): CVE-2099-0001 is BusyBox before 1.36 AND a Linux kernel
# before 5.0 (a non-vulnerable OS node); CVE-2099-0002 is an OpenWrt-style
# firmware (its kernel 4.x) AND a hardware device; CVE-2099-0003 is an OR
# configuration of the same BusyBox range (matches whatever else is there).
$PY - "$t/and.json" "$t/openwrt.json" <<'PY'
import json, sys
def m(crit, vuln, **kw):
    d = {"vulnerable": vuln, "criteria": crit, "matchCriteriaId": "0"}
    d.update(kw)
    return d
def node(*ms):
    return {"operator": "OR", "negate": False, "cpeMatch": list(ms)}
def cve(id, cfgs, score):
    return {"cve": {"id": id, "lastModified": "2024-06-01T00:00:00.000",
            "descriptions": [{"lang": "en", "value": "test record " + id}],
            "metrics": {"cvssMetricV31": [{"type": "Primary", "cvssData": {"baseScore": score,
                        "vectorString": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}}]},
            "configurations": cfgs}}
bb = m("cpe:2.3:a:busybox:busybox:*:*:*:*:*:*:*:*", True, versionEndExcluding="1.36.0")
kern = m("cpe:2.3:o:linux:linux_kernel:*:*:*:*:*:*:*:*", False, versionEndExcluding="5.0")
fw = m("cpe:2.3:o:linux:linux_kernel:*:*:*:*:*:*:*:*", True, versionStartIncluding="4.0",
       versionEndExcluding="5.0")
hw = m("cpe:2.3:h:acme:router_x1:-:*:*:*:*:*:*:*", False)
doc = {"resultsPerPage": 3, "startIndex": 0, "totalResults": 3, "format": "NVD_CVE",
       "version": "2.0", "timestamp": "2024-06-01T00:00:00.000", "vulnerabilities": [
    cve("CVE-2099-0001", [{"operator": "AND", "nodes": [node(bb), node(kern)]}], 9.8),
    cve("CVE-2099-0002", [{"operator": "AND", "nodes": [node(fw), node(hw)]}], 7.5),
    cve("CVE-2099-0003", [{"nodes": [node(bb)]}], 5.0)]}
json.dump(doc, open(sys.argv[1], "w"))
# A lab's own OSV record for an OpenWrt package (OSV has no OpenWrt
# ecosystem; the shape is OSV's): dnsmasq fixed in OpenWrt's 2.80-16.3.
osv = {"schema_version": "1.6.0", "id": "LAB-OPENWRT-0001", "modified": "2024-06-01T00:00:00Z",
       "summary": "dnsmasq in OpenWrt", "aliases": [],
       "affected": [{"package": {"ecosystem": "OpenWrt", "name": "dnsmasq"},
                     "ranges": [{"type": "ECOSYSTEM",
                                 "events": [{"introduced": "0"}, {"fixed": "2.80-16.3"}]}]}]}
json.dump(osv, open(sys.argv[2], "w"))
PY
"$POSTERN" vulndb import --db "$db" "$F/nvd.json" "$t/and.json" "$t/openwrt.json" \
  "$F/osv-ghsa.json" > /dev/null
check "import of AND configurations and an OpenWrt OSV record" '[ $? -eq 0 ]'

banner() { mkdir -p "$(dirname "$1")"; printf 'const char v[] = "%s";\nint main(void) { return v[0]; }\n' "$2" > "$t/b.c"
  cc -O0 -o "$1" "$t/b.c"; }
kernel() { mkdir -p "$1/boot"; { head -c 256 /dev/zero; printf 'Linux version %s (b@h) (gcc) #1 SMP\0' "$2"; head -c 256 /dev/zero; } > "$1/boot/kernel.bin"; }
ids() { $PY -c "import json,sys; print(' '.join(sorted({f['message'].split(' is affected by ')[1].split(' ')[0] for f in json.load(open(sys.argv[1]))['findings'] if f['rule'].startswith('vuln')})))" "$1"; }

banner "$t/a/bin/busybox" "BusyBox v1.35.0 (2023-01-01 00:00:00 UTC) multi-call binary."
kernel "$t/a" 4.14.200
"$POSTERN" scan "$t/a" --no-run --vulndb "$db" -f json -o "$t/a.json"
check "AND: BusyBox 1.35.0 on Linux 4.14 matches CVE-2099-0001 (evidence names the OS node), the firmware and device one too (hardware cannot be seen: taken as met)" \
  "[ \"\$(ids '$t/a.json')\" = 'CVE-2022-28391 CVE-2099-0001 CVE-2099-0002 CVE-2099-0003' ] && grep -q 'CVE-2099-0001: nvd cpeMatch busybox:busybox versionEndExcluding 1.36.0, 1.35.0 < 1.36.0, with linux:linux_kernel' '$t/a.json'"
banner "$t/b/bin/busybox" "BusyBox v1.35.0 (2023-01-01 00:00:00 UTC) multi-call binary."
kernel "$t/b" 6.1.10
"$POSTERN" scan "$t/b" --no-run --vulndb "$db" -f json -o "$t/b.json"
check "AND: the same BusyBox on Linux 6.1 (the OS node unmet): CVE-2099-0001 and -0002 do not match, the OR record still does" \
  "[ \"\$(ids '$t/b.json')\" = 'CVE-2022-28391 CVE-2099-0003' ]"
banner "$t/c/bin/busybox" "BusyBox v1.35.0 (2023-01-01 00:00:00 UTC) multi-call binary."
"$POSTERN" scan "$t/c" --no-run --vulndb "$db" -f json -o "$t/c.json"
check "AND: the same BusyBox with no kernel in the product: no AND match" \
  "[ \"\$(ids '$t/c.json')\" = 'CVE-2022-28391 CVE-2099-0003' ]"
banner "$t/d/bin/busybox" "BusyBox v1.36.0 (2023-01-01 00:00:00 UTC) multi-call binary."
kernel "$t/d" 4.14.200
"$POSTERN" scan "$t/d" --no-run --vulndb "$db" -f json -o "$t/d.json"
check "AND: BusyBox one version past the fix on Linux 4.14: only the kernel's firmware record" \
  "[ \"\$(ids '$t/d.json')\" = 'CVE-2099-0002' ]"

# OpenWrt: dnsmasq's opkg package 2.80-16 (before the lab's fix and, as
# upstream 2.80, before CVE-2020-25681's 2.83), and its binary saying 2.80.
ow() { # DIR VERSION
  mkdir -p "$1/usr/lib/opkg" "$1/etc"
  printf 'Package: dnsmasq\nVersion: %s\nStatus: install user installed\nArchitecture: mipsel_24kc\n\n' "$2" > "$1/usr/lib/opkg/status"
  printf "DISTRIB_ID='OpenWrt'\nDISTRIB_RELEASE='19.07.10'\n" > "$1/etc/openwrt_release"
  banner "$1/usr/sbin/dnsmasq" "dnsmasq-${2%-*}"
}
ow "$t/ow1" 2.80-16
"$POSTERN" scan "$t/ow1" --no-run --vulndb "$db" -f json -o "$t/ow1.json"
check "opkg: dnsmasq 2.80-16 matches the OpenWrt record and CVE-2020-25681 through its CPE, once each, on the package (not again on its binary)" "$PY - '$t/ow1.json' <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
v = sorted((f['message'].split(' is affected by ')[1].split(' ')[0], f['location'].split('!')[-1], f['evidence']) for f in d['findings'] if f['rule'].startswith('vuln'))
assert [x[:2] for x in v] == [('CVE-2020-25681', '/usr/lib/opkg/status'), ('LAB-OPENWRT-0001', '/usr/lib/opkg/status')], v
assert v[0][2] == 'nvd CVE-2020-25681: nvd cpeMatch thekelleys:dnsmasq versionEndExcluding 2.83, 2.80 < 2.83', v
assert v[1][2] == 'osv LAB-OPENWRT-0001: osv ECOSYSTEM range, 2.80-16 < 2.80-16.3', v
PY"
ow "$t/ow2" 2.80-16.3
"$POSTERN" scan "$t/ow2" --no-run --vulndb "$db" -f json -o "$t/ow2.json"
check "opkg: 2.80-16.3 (OpenWrt's fix) leaves only the upstream CVE" "[ \"\$(ids '$t/ow2.json')\" = 'CVE-2020-25681' ]"
ow "$t/ow3" 2.83-1
"$POSTERN" scan "$t/ow3" --no-run --vulndb "$db" -f json -o "$t/ow3.json"
check "opkg: 2.83-1, past both fixes: nothing" "[ -z \"\$(ids '$t/ow3.json')\" ]"

# PyPI in PEP 440's ordering: requests 2.31.0rc1 is before the fix 2.31.0;
# 1!2.28.1 (epoch 1) is after every epoch-0 version.
for v in 2.31.0rc1 1!2.28.1 2.31.0.post1; do
  py="$t/py-$v/usr/lib/python3/dist-packages/requests-$v.dist-info"; mkdir -p "$py"
  printf 'Metadata-Version: 2.1\nName: requests\nVersion: %s\n' "$v" > "$py/METADATA"
  "$POSTERN" scan "$t/py-$v" --no-run --vulndb "$db" -f json -o "$t/py-$v.json"
done
check "PEP 440: 2.31.0rc1 matches GHSA-j8r2-6x86-q33q (< 2.31.0); 1!2.28.1 and 2.31.0.post1 do not" \
  "[ \"\$(ids '$t/py-2.31.0rc1.json')\" = 'CVE-2023-32681' ] && [ -z \"\$(ids '$t/py-1!2.28.1.json')\" ] && [ -z \"\$(ids '$t/py-2.31.0.post1.json')\" ]"
exit $fail
