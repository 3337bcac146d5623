# Shared fixtures for the policy/report e2e tests (sourced; $t is a temp dir).
# img: a raw image with a gzip stream at 0x309 and 4 KiB of random bytes that
# no format explains, so the scan records coverage.unexplained (low) on it and
# the default verdict is review. A test policy raises that rule to high, which
# makes the image fail; a waiver accepts it, which makes the image pass.
make_img() {
  seq 1 20000 > "$t/payload"
  gzip -9 -n -c "$t/payload" > "$t/p.z"
  head -c 777 /dev/zero > "$1"
  cat "$t/p.z" >> "$1"
  "$SRC"/tests/tools/randbytes 4096 fixtures1 >> "$1"
}
policy_fail() {
  cat > "$1" <<'P'
name: lab
severity:
  coverage.unexplained: high
P
}
# policy_waive FILE EXPIRES
policy_waive() {
  cat > "$1" <<P
name: lab-waived
severity:
  coverage.unexplained: high
waivers:
  - rule: coverage.unexplained
    location: "img*"
    justification: "erased-flash tail written by the vendor's flash tool (ticket LAB-12)"
    expires: $2
P
}
# planted_router DIR [make-router-image options...]: the Debian-built router
# image with a telnetd-without-login line planted in its inittab, as
# DIR/modern.bin, and its kernel taken out of the uImage and recompressed as
# LZMA-alone (DIR/vmlinux, DIR/kernel.lzma), the way old vendor layouts
# carry it. Returns non-zero when the image cannot be built.
planted_router() {
  local d=$1; shift
  local plant='printf "::respawn:/bin/busybox telnetd -F -l /bin/sh -p 2323\n" >> etc/inittab'
  "$SRC/scripts/make-router-image" --plant "$plant" "$@" "$d/modern.bin" 2>/dev/null || return 1
  python3 -c 'import struct,sys
d=open(sys.argv[1],"rb").read(); n=struct.unpack(">I",d[12:16])[0]
open(sys.argv[2],"wb").write(d[64:64+n])' "$d/modern.bin" "$d/kernel.gz" &&
  gzip -dc "$d/kernel.gz" > "$d/vmlinux" &&
  xz --format=lzma -1 -c "$d/vmlinux" > "$d/kernel.lzma"
}
