#!/usr/bin/env bash
# backdoor_pairs.sh - hidden commands in real servers (issue 21): Debian's
# sources of vsftpd, ProFTPD, lighttpd and wide-dhcpv6 built clean and with
# our own back-door patches (bench/backdoor_pairs/*.patch, one per shape),
# each scanned with `postern scan --format json`; prints one row per
# program x variant x arch: verdict, findings >= medium, and whether the
# back door was found (a finding >= high the clean build of the same
# program and arch does not have). Nothing built here is ever run.
#
# Usage: bench/backdoor_pairs.sh [-a "x86_64 mipsel armel"] [-p "vsftpd dhcp6c lighttpd proftpd"]
#                               [-v "clean devcgi"]  (only these variants; default all)
# Env: POSTERN (default build/postern), WORK (default bench/out/backdoor_pairs).
# Sources come from Debian's deb-src through a private apt configuration
# under WORK (the system's sources are not touched). vsftpd comes from
# trixie: bookworm's orig tarball is not on the mirror this was written on.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
POSTERN=${POSTERN:-$root/build/postern}
WORK=${WORK:-$root/bench/out/backdoor_pairs}
arches="x86_64 mipsel armel"
progs="vsftpd dhcp6c lighttpd proftpd"
only=
while getopts a:p:v: o; do
	case $o in
	a) arches=$OPTARG ;;
	p) progs=$OPTARG ;;
	v) only=$OPTARG ;;
	*) echo "usage: $0 [-a ARCHES] [-p PROGRAMS] [-v VARIANTS]" >&2; exit 64 ;;
	esac
done
mkdir -p "$WORK"/{apt/lists/partial,src,build,bin,json,stub}
log=$WORK/build.log
: >"$log"

# ---- sources ----
apt_src() { # PKG/SUITE DIRPREFIX: fetched and unpacked once into $WORK/src
	local a=(-o "Dir::Etc::SourceList=$WORK/apt/sources.list" -o Dir::Etc::SourceParts=/dev/null
		 -o "Dir::State::Lists=$WORK/apt/lists" -o APT::Sandbox::User=root)
	if [ ! -s "$WORK/apt/sources.list" ]; then
		printf '%s\n' "deb-src http://deb.debian.org/debian bookworm main" \
			"deb-src http://deb.debian.org/debian trixie main" >"$WORK/apt/sources.list"
		apt-get "${a[@]}" update >>"$log" 2>&1
	fi
	(cd "$WORK/src" && ls -d "$2"-*/ >/dev/null 2>&1 ||
		apt-get "${a[@]}" source "$1" >>"$log" 2>&1)
	ls -d "$WORK/src/$2"-*/ | head -n1
}

cc_of() {
	case $1 in
	x86_64) echo gcc ;; mipsel) echo mipsel-linux-gnu-gcc ;; armel) echo arm-linux-gnueabi-gcc ;;
	esac
}
host_of() {
	case $1 in
	x86_64) echo x86_64-linux-gnu ;; mipsel) echo mipsel-linux-gnu ;; armel) echo arm-linux-gnueabi ;;
	esac
}

# The cross toolchains have no libxcrypt: a stub libcrypt (tests/implants/crypt.c)
# and its header, enough to link (the binaries are never run).
stub_crypt() { # ARCH -> prints the stub dir
	local d=$WORK/stub/$1
	if [ ! -e "$d/libcrypt.so" ]; then
		mkdir -p "$d/include"
		"$(cc_of "$1")" -O2 -shared -fPIC -o "$d/libcrypt.so" "$root/tests/implants/crypt.c"
		printf '%s\n' 'char *crypt(const char *key, const char *salt);' >"$d/include/crypt.h"
	fi
	echo "$d"
}

# A copy of the source tree with VARIANT's patch applied (clean: none).
tree() { # SRC PROG VARIANT ARCH -> prints the build dir
	local b=$WORK/build/$2-$3-$4
	rm -rf "$b" 2>/dev/null || { sleep 1; rm -rf "$b"; }
	cp -a "$1" "$b"
	if [ "$3" != clean ]; then
		patch -s -p1 -d "$b" <"$here/backdoor_pairs/$2-$3.patch"
	fi
	echo "$b"
}

strip_of() { case $1 in x86_64) echo strip ;; *) echo "$(host_of "$1")-strip" ;; esac; }

# ---- builds: DIR ARCH OUT (OUT gets the stripped binaries to scan) ----
build_vsftpd() {
	local st inc= lib=-lcrypt
	if [ "$2" != x86_64 ]; then
		st=$(stub_crypt "$2")
		inc=-I$st/include lib="-L$st -lcrypt"
	fi
	# no PAM, TCP wrappers or TLS: their cross libraries are not installed
	printf '%s\n' '#ifndef VSF_BUILDDEFS_H' '#define VSF_BUILDDEFS_H' '#endif' >"$1/builddefs.h"
	make -C "$1" -j2 CC="$(cc_of "$2")" CFLAGS="-O2 -fPIE -w $inc" LIBS="$lib" vsftpd >>"$log" 2>&1
	cp "$1/vsftpd" "$3/"
}

build_dhcp6c() {
	# flex's yywrap: no libfl for the cross targets
	(cd "$1" && ./configure --host="$(host_of "$2")" CC="$(cc_of "$2")" CFLAGS="-O2 -w" \
		LEX="flex --noyywrap" ac_cv_func_setpgrp_void=yes \
		&& make -j2 dhcp6c) >>"$log" 2>&1
	cp "$1/dhcp6c" "$3/"
}

build_lighttpd() {
	(cd "$1" && ./configure --host="$(host_of "$2")" CC="$(cc_of "$2")" CFLAGS="-O2 -w" \
		--without-pcre2 --without-zlib --without-bzip2 --without-openssl --disable-ipv6 \
		&& make -C src parsers versionstamp && make -j2 -C src lighttpd mod_auth.la) >>"$log" 2>&1
	# the server and the module the User-Agent shape patches
	cp "$1/src/lighttpd" "$1/src/.libs/mod_auth.so" "$3/"
}

build_proftpd() {
	local st ld=
	if [ "$2" != x86_64 ]; then
		st=$(stub_crypt "$2")
		ld="-L$st"
	fi
	(cd "$1" && ./configure --host="$(host_of "$2")" CC="$(cc_of "$2")" CFLAGS="-O2 -w" \
		LDFLAGS="$ld" LIBS=-lcrypt \
		--disable-auth-pam --disable-cap --disable-ident --disable-nls --disable-sendfile \
		&& make -j2 proftpd) >>"$log" 2>&1
	cp "$1/proftpd" "$3/"
}

# program: Debian source package/suite, its tree's prefix, variants
declare -A pkg=([vsftpd]=vsftpd/trixie [dhcp6c]=wide-dhcpv6/bookworm
	[lighttpd]=lighttpd/bookworm [proftpd]=proftpd-dfsg/bookworm)
declare -A dirp=([vsftpd]=vsftpd [dhcp6c]=wide-dhcpv6 [lighttpd]=lighttpd [proftpd]=proftpd-dfsg)
declare -A variants=([vsftpd]="clean smiley" [dhcp6c]="clean listener magic"
	[lighttpd]="clean devcgi useragent udpmagic" [proftpd]="clean help")

for p in $progs; do
	src=$(apt_src "${pkg[$p]}" "${dirp[$p]}")
	for a in $arches; do
		command -v "$(cc_of "$a")" >/dev/null || { echo "skip $p $a: no compiler" >&2; continue; }
		for v in ${variants[$p]}; do
			case " ${only:-$v} " in *" $v "*) ;; *) continue ;; esac
			out=$WORK/bin/$p-$v-$a
			rm -rf "$out"
			mkdir -p "$out"
			b=$(tree "$src" "$p" "$v" "$a")
			t0=$(date +%s)
			if ! "build_$p" "$b" "$a" "$out"; then
				echo "build failed: $p $v $a (see $log)" >&2
				rm -rf "$out" "$b"
				continue
			fi
			for f in "$out"/*; do "$(strip_of "$a")" "$f" 2>/dev/null || true; done
			echo "built $p $v $a in $(( $(date +%s) - t0 )) s" >&2
			rm -rf "$b"
			"$POSTERN" scan "$out" --format json --no-progress -o "$WORK/json/$p-$v-$a.json" || true
		done
	done
done

python3 "$here/backdoor_pairs_table.py" "$WORK/json"
