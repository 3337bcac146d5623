# debs.sh - sourced: cached_deb PKG[:ARCH] prints the path of Debian's PKG
# .deb (for ARCH, e.g. wide-dhcpv6-client:mipsel, when given), fetched once
# with apt-get download into ${POSTERN_CACHE:-~/.cache/postern}/debs (as
# scripts/make-router-image does); prints nothing when it cannot be had.
cached_deb() {
  local cache=${POSTERN_CACHE:-$HOME/.cache/postern} deb pat
  case $1 in
    *:*) pat="${1%%:*}_*_${1##*:}.deb" ;;
    *) pat="${1}_*.deb" ;;
  esac
  mkdir -p "$cache/debs"
  deb=$(ls "$cache"/debs/$pat 2>/dev/null | head -n1 || true)
  if [ -z "$deb" ]; then
    (cd "$cache/debs" && apt-get download "$1" >/dev/null 2>&1)
    deb=$(ls "$cache"/debs/$pat 2>/dev/null | head -n1 || true)
  fi
  echo "$deb"
}
