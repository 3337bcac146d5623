# debian_root.sh - sourced by big_tree.sh and appliance.sh: debian_root ROOT
# makes the large real tree of issue 15 at ROOT unless it is there already
# (ROOT/.postern-bench-root marks a finished one): a Debian 12 minbase
# (debootstrap from deb.debian.org) with default-jdk-headless, python3-full and
# libreoffice-core installed into it by apt-get in a chroot, /proc mounted for
# the maintainer scripts (Java's need it) and services kept from starting;
# recommends included, as a plain apt-get install does. Needs root and the
# network to Debian's registry.
debian_root() {
  local root=$1 mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
  local pkgs="default-jdk-headless python3-full libreoffice-core"
  [ -f "$root/.postern-bench-root" ] && return 0
  command -v debootstrap >/dev/null ||
    { echo "debian_root: debootstrap missing (apt-get install debootstrap)" >&2; return 69; }
  [ -x "$root/usr/bin/apt-get" ] || debootstrap --variant=minbase bookworm "$root" "$mirror"
  printf '#!/bin/sh\nexit 101\n' > "$root/usr/sbin/policy-rc.d"
  chmod 755 "$root/usr/sbin/policy-rc.d"
  mountpoint -q "$root/proc" || mount -t proc proc "$root/proc"
  chroot "$root" env DEBIAN_FRONTEND=noninteractive apt-get update -q &&
    chroot "$root" env DEBIAN_FRONTEND=noninteractive \
      apt-get install -y -q $pkgs
  local rc=$?
  umount "$root/proc" || true
  # apt's downloaded packages are not part of the installed product
  chroot "$root" apt-get clean || true
  rm -f "$root/usr/sbin/policy-rc.d"
  [ $rc = 0 ] && touch "$root/.postern-bench-root"
  return $rc
}
