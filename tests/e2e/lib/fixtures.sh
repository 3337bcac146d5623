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
  head -c 4096 /dev/urandom >> "$1"
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
