# debs.sh - sourced: cached_deb PKG prints the path of Debian's PKG .deb,
# fetched once with apt-get download into ${POSTERN_CACHE:-~/.cache/postern}/debs
# (as scripts/make-router-image does); prints nothing when it cannot be had.
cached_deb() {
  local cache=${POSTERN_CACHE:-$HOME/.cache/postern} deb
  mkdir -p "$cache/debs"
  deb=$(ls "$cache/debs/${1}_"*.deb 2>/dev/null | head -n1 || true)
  if [ -z "$deb" ]; then
    (cd "$cache/debs" && apt-get download "$1" >/dev/null 2>&1)
    deb=$(ls "$cache/debs/${1}_"*.deb 2>/dev/null | head -n1 || true)
  fi
  echo "$deb"
}
