#!/usr/bin/env bash
# ClamAV body signatures postern matches itself (src/analyze/clamav_body.c,
# issue 24: no compile on a new database): a database of plain body
# signatures of each element kind (bytes, ??, nibbles, {n}, {-n}, {n-m},
# ELF-only) and files that match them and near misses, made here; the files
# clamscan reports (the same database, the files loose) are the files postern
# reports inside a tar, with the same names.
set -u
fail=0
check() { if eval "$2"; then echo "ok - $1"; else echo "not ok - $1"; fail=1; fi; }
t=$(mktemp -d); trap 'rm -rf "$t"' EXIT
export XDG_CACHE_HOME="$t/cache"
command -v clamscan > /dev/null || { echo "not ok - clamscan missing (scripts/install-deps: clamav)"; exit 1; }
if "$POSTERN" scan "$t" --no-rules-pack --clamav-db "$t" 2>&1 | grep -q "is unavailable"; then
  echo "ok - # SKIP this postern was built without libclamav"; exit 77
fi
h() { printf '%s' "$1" | xxd -p | tr -d '\n'; }
mkdir -p "$t/root" "$t/db"
{ echo "B.Plain:0:*:$(h PLAIN-BODY-1)"
  echo "B.Wild:0:*:$(h WILD)??$(h CARD)"
  echo "B.Nibble:0:*:$(h NIBB)3?$(h LE)?1"
  echo "B.Fixed:0:*:$(h FIXD){3}$(h JUMP)"
  echo "B.Upto:0:*:$(h UPTO){-2}$(h JUMP)"
  echo "B.Range:0:*:$(h RANG){2-4}$(h JUMP){1}$(h END)"
  echo "B.Later:0:*:2e??$(h LATER-ANCHOR)"
  echo "B.Elf:6:*:$(h ELF-ONLY-BODY)"; } > "$t/db/b.ndb"
cd "$t/root" || exit 1
printf 'xx PLAIN-BODY-1 yy' > hit-plain; printf 'xx PLAIN-BODY-2 yy' > miss-plain
printf '..WILD!CARD..' > hit-wild; printf '..WILDCARD..' > miss-wild
printf '..NIBB3LE!1..' > hit-nibble; printf '..NIBBDLE!1..' > miss-nibble
printf '..FIXDabcJUMP..' > hit-fixed; printf '..FIXDabJUMP..' > miss-fixed
printf '..UPTOJUMP..' > hit-upto0; printf '..UPTOabJUMP..' > hit-upto2; printf '..UPTOabcJUMP..' > miss-upto
printf '..RANGabcdJUMPxEND..' > hit-range; printf '..RANGaJUMPxEND..' > miss-range
printf 'x.?LATER-ANCHOR' > hit-later; printf 'LATER-ANCHOR' > miss-later
{ head -c 2048 /bin/true; printf 'ELF-ONLY-BODY'; } > hit-elf; printf '  ELF-ONLY-BODY' > miss-elf
cd - > /dev/null || exit 1
tar -C "$t/root" -cf "$t/fw.tar" .
clamscan --no-summary --infected -d "$t/db" -r "$t/root" 2> /dev/null |
  sed -n 's|^.*/\([^/:]*\): \(.*\) FOUND$|\1=\2|p' | sort > "$t/clamscan"
"$POSTERN" scan "$t/fw.tar" --no-progress --no-rules-pack --clamav-db "$t/db" --format json \
  > "$t/p.json" 2> "$t/p.err"
python3 -c "import json,sys; print('\n'.join(sorted('%s=%s' % (f['location'].split('/')[-1], f['message'].split()[2]) for f in json.load(open(sys.argv[1]))['findings'] if f['rule'] == 'signature.clamav')))" "$t/p.json" > "$t/postern"
check "clamscan finds every hit file and no miss" \
  "[ \"\$(cut -d= -f1 '$t/clamscan' | tr '\n' ' ')\" = 'hit-elf hit-fixed hit-later hit-nibble hit-plain hit-range hit-upto0 hit-upto2 hit-wild ' ]"
check "postern reports what clamscan reports, names included" "diff '$t/clamscan' '$t/postern'"
check "every signature is answered by postern (none left to libclamav)" \
  "grep -q '\"clamav_libclamav\": 0' '$t/p.json'"
exit $fail
