#!/usr/bin/env python3
"""Generates a YARA rule set the size and shape of the most widely used public
collection (LOKI/THOR's signature base): FILES rule files (741) holding about
RULES rules (4000), seeded so every run gets the same rules, none of which
should match a router image. Shapes, in the proportions such collections have:
APT/malware rules on PE files (uint16(0) == 0x5a4d, filesize, N of ($s*),
strings "ascii wide", "fullword ascii", nocase), hex strings with wildcards and
jumps, web shells keyed on the LOKI/THOR externals (extension, filename,
filepath), Linux/ELF rules, a few regular expressions and pe module calls;
some files import "pe", "math" or "hash".
usage: gen_collection.py OUTDIR [FILES] [RULES]"""
import os
import random
import sys

out = sys.argv[1]
nfiles = int(sys.argv[2]) if len(sys.argv) > 2 else 741
nrules = int(sys.argv[3]) if len(sys.argv) > 3 else 4000
rnd = random.Random(20261206)
os.makedirs(out, exist_ok=True)

words = ("apt backdoor beacon loader dropper implant stager webshell rootkit miner botnet "
         "tunnel proxy socks agent payload inject hook keylog sniff exfil wiper ransom "
         "crypt spread persist cron update svc telemetry relay").split()
families = ("Lazarus Turla Sofacy Winnti Equation Regin Duqu Sednit Carbanak Cobalt "
            "Emotet Trickbot Mirai Gafgyt Tsunami Xorddos Moose Hajime VPNFilter Cyclops").split()


def token(n=None):
    t = "%s%s_%04x" % (rnd.choice(words), rnd.choice(words).capitalize(), rnd.getrandbits(16))
    if n:
        t = (t * 3)[:n]
    return t


def hexstr():
    parts = ["%02X" % rnd.getrandbits(8) for _ in range(rnd.randint(8, 20))]
    for i in range(1, len(parts) - 1):
        if rnd.random() < 0.12:
            parts[i] = "??"
    if rnd.random() < 0.4:
        a = rnd.randint(0, 6)
        parts.insert(len(parts) // 2, "[%d-%d]" % (a, a + rnd.randint(1, 12)))
    return "{ " + " ".join(parts) + " }"


def text_string():
    k = rnd.random()
    if k < 0.35:
        return '"%s" ascii wide' % token()
    if k < 0.60:
        return '"%s" fullword ascii' % token()
    if k < 0.72:
        return '"%s" nocase' % token()
    if k < 0.80:
        return '"\\\\%s\\\\%s.exe" ascii' % (token(), token())
    if k < 0.86:
        return '"Mozilla/5.0 (%s)" ascii' % token()
    return '"%s" ascii' % token()


def rule(i, fam, imports):
    name = "%s_%s_%d" % (fam, rnd.choice(words).capitalize(), i)
    shape = rnd.random()
    lines = ["rule %s {" % name, "   meta:",
             '      description = "Detects %s %s (generated benchmark rule)"' % (fam, rnd.choice(words)),
             '      author = "bench"', '      reference = "https://example.org/r/%d"' % i,
             '      date = "2026-%02d-%02d"' % (rnd.randint(1, 12), rnd.randint(1, 28)),
             '      score = %d' % rnd.choice([60, 70, 75, 80, 85, 90, 100]), "   strings:"]
    if shape < 0.55:  # PE malware: strings + hex, guarded by MZ and filesize
        ns = rnd.randint(3, 9)
        for j in range(ns):
            lines.append("      $s%d = %s" % (j, text_string()))
        nx = rnd.randint(0, 2)
        for j in range(nx):
            lines.append("      $x%d = %s" % (j, hexstr()))
        cond = "uint16(0) == 0x5a4d and filesize < %dKB and ( %s%d of ($s*) )" % (
            rnd.choice([100, 300, 500, 1000, 3000]), "1 of ($x*) or " if nx else "",
            rnd.randint(1, min(3, ns)))
        if "pe" in imports and rnd.random() < 0.3:
            cond += " and pe.number_of_sections > %d" % rnd.randint(2, 6)
    elif shape < 0.70:  # web shells, keyed on the convention's externals
        for j in range(rnd.randint(2, 5)):
            lines.append("      $s%d = %s" % (j, text_string()))
        ext = rnd.choice([".php", ".jsp", ".asp", ".aspx", ".jspx", ".cgi"])
        cond = 'filesize < 200KB and ( extension == "%s" or filename matches /%s/ ) and 1 of them' % (
            ext, r"\.%s$" % ext[1:])
    elif shape < 0.82:  # Linux / ELF implants
        for j in range(rnd.randint(2, 6)):
            lines.append("      $s%d = %s" % (j, text_string()))
        lines.append("      $x0 = %s" % hexstr())
        cond = "uint32(0) == 0x464c457f and filesize < 5MB and ( $x0 or 2 of ($s*) )"
    elif shape < 0.90:  # hex-only
        for j in range(rnd.randint(1, 4)):
            lines.append("      $x%d = %s" % (j, hexstr()))
        cond = "any of them"
    elif shape < 0.95:  # path / name conditions
        lines.append("      $s0 = %s" % text_string())
        cond = rnd.choice(['filename == "%s.exe" and $s0' % token(),
                           'filepath contains "\\\\Temp\\\\%s" and $s0' % token(),
                           'filetype == "EXE" and $s0 and filesize < 2MB'])
    else:  # a regular expression
        lines.append("      $s0 = %s" % text_string())
        lines.append('      $r0 = /%s[0-9a-f]{8,16}\\.(dll|exe|so)/' % token())
        cond = "all of them"
    lines += ["   condition:", "      " + cond, "}", ""]
    return "\n".join(lines)


per = [1] * nfiles
for _ in range(nrules - nfiles):
    per[rnd.randrange(nfiles)] += 1
i = 0
for f in range(nfiles):
    fam = rnd.choice(families)
    imports = []
    if rnd.random() < 0.35:
        imports.append("pe")
    if rnd.random() < 0.05:
        imports.append("math")
    if rnd.random() < 0.08:
        imports.append("hash")
    kind = rnd.choice(["apt", "crime", "gen", "expl", "webshell", "mal", "hktl", "pua"])
    with open(os.path.join(out, "%s_%s_%03d.yar" % (kind, fam.lower(), f)), "w") as fh:
        for m in imports:
            fh.write('import "%s"\n' % m)
        fh.write("\n")
        for _ in range(per[f]):
            fh.write(rule(i, fam, imports))
            i += 1
print("%d rules in %d files" % (i, nfiles))
