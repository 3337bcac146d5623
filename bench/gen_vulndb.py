#!/usr/bin/env python3
"""Generates a large synthetic vulnerability data set for bench/vulndb_bench.sh:
N records (default 300,000) split between NVD CVE API 2.0 feed files (60 %, one
file per 20,000 CVEs, 1-3 cpeMatch ranges each, each
within one release branch a.b.0 - a.b.c, as most real ranges are) and an OSV zip of Debian:12
records (40 %). Products and packages follow a skewed distribution, so the
components of the router image (busybox, linux, openssl, glibc, zlib...) have
thousands of rows each, as the kernel has in the real NVD. Deterministic
(fixed seed). usage: gen_vulndb.py OUTDIR [N]"""
import json, os, random, sys, zipfile

out = sys.argv[1]
n = int(sys.argv[2]) if len(sys.argv) > 2 else 300000
os.makedirs(out, exist_ok=True)
rnd = random.Random(18)
real_cpe = ['busybox:busybox', 'linux:linux_kernel', 'openssl:openssl', 'gnu:glibc', 'zlib:zlib',
            'gnu:ncurses', 'gnupg:libgcrypt', 'kernel:util-linux', 'w1.fi:wpa_supplicant',
            'thekelleys:dnsmasq', 'dropbear_ssh_project:dropbear_ssh']
real_deb = ['busybox', 'linux', 'openssl', 'glibc', 'zlib', 'ncurses', 'libgcrypt20', 'util-linux',
            'wpa', 'dnsmasq', 'dropbear']
cpes = real_cpe + ['vendor%d:product%d' % (i, i) for i in range(5000)]
debs = real_deb + ['package%d' % i for i in range(4000)]

def pick(names, real):
    # one record in five is about a real component, the rest spread out
    return rnd.choice(names[:real]) if rnd.random() < 0.2 else rnd.choice(names)

def ver():
    return '%d.%d.%d' % (rnd.randint(0, 6), rnd.randint(0, 40), rnd.randint(0, 200))

def vector():
    return 'CVSS:3.1/AV:%s/AC:%s/PR:N/UI:N/S:U/C:%s/I:H/A:H' % (
        rnd.choice('NALP'), rnd.choice('LH'), rnd.choice('HLN'))

n_nvd = n * 6 // 10
page = 20000
for start in range(0, n_nvd, page):
    vulns = []
    for i in range(start, min(start + page, n_nvd)):
        cid = 'CVE-%d-%d' % (1999 + i % 26, 100000 + i)
        matches = []
        for _ in range(rnd.randint(1, 3)):
            # one release branch, as most real ranges are: [a.b.0, a.b.c)
            a, b = rnd.randint(0, 6), rnd.randint(0, 40)
            lo, hi = '%d.%d.0' % (a, b), '%d.%d.%d' % (a, b, rnd.randint(1, 200))
            matches.append({'vulnerable': True, 'criteria': 'cpe:2.3:a:%s:*:*:*:*:*:*:*:*' % pick(cpes, len(real_cpe)),
                            'versionStartIncluding': lo, 'versionEndExcluding': hi})
        vulns.append({'cve': {'id': cid, 'lastModified': '2024-06-01T00:00:00.000',
                              'descriptions': [{'lang': 'en', 'value': 'Synthetic record %d for the benchmark.' % i}],
                              'metrics': {'cvssMetricV31': [{'type': 'Primary', 'cvssData': {
                                  'version': '3.1', 'vectorString': vector(), 'baseScore': round(rnd.uniform(2, 10), 1)}}]},
                              'configurations': [{'nodes': [{'operator': 'OR', 'negate': False, 'cpeMatch': matches}]}]}})
    with open(os.path.join(out, 'nvd-%03d.json' % (start // page)), 'w') as f:
        json.dump({'format': 'NVD_CVE', 'version': '2.0', 'timestamp': '2024-06-01T00:00:00.000',
                   'vulnerabilities': vulns}, f)

with zipfile.ZipFile(os.path.join(out, 'osv-debian.zip'), 'w', zipfile.ZIP_DEFLATED) as z:
    for i in range(n - n_nvd):
        rid = 'DEBIAN-CVE-%d-%d' % (1999 + i % 26, 500000 + i)
        rec = {'id': rid, 'modified': '2024-06-01T00:00:00Z', 'upstream': ['CVE-%d-%d' % (1999 + i % 26, 500000 + i)],
               'details': 'Synthetic Debian record %d.' % i,
               'affected': [{'package': {'ecosystem': 'Debian:12', 'name': pick(debs, len(real_deb))},
                             'ranges': [{'type': 'ECOSYSTEM', 'events': [{'introduced': '0'}, {'fixed': ver() + '-1'}] if rnd.random() < 0.5 else
                                                       [{'introduced': '0'}, {'fixed': '1:' + ver() + '-1'}]}]}]}
        z.writestr(rid + '.json', json.dumps(rec))
