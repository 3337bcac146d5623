#!/bin/sh
# Compiles test programs, stripped, into OUT/<arch>-<link>/<name>. Never runs
# them. By default every glibc program for x86-64, armel and mipsel, dynamic and
# static; ARCHS="x86_64 armel mipsel mips i386 powerpc aarch64 sh4 sparc64 m68k"
# (any subset) widens that, as bench/accuracy.sh does.
# Usage: [ARCHS=...] build.sh OUT [name[:DEFINE]...]
#   name:DEFINE  the same source built with -DDEFINE, as OUT/<arch>-<link>/<name>-<define>
#                (lower case), e.g. ircbot:NOTIFY, cfgdaemon:LOGIN
# Programs with their own needs:
#   tinydl, tinyhello  libc-free (-nostdlib), OUT/<arch>-bare/, on every arch above but
#                      i386 and aarch64 (tinydl-sys.h has a system call stub for the others)
#   cfgdaemon          linked to nvram.c: OUT/<arch>-dynamic/libnvram.so, or statically
#   bare-bindshell     libc-free, only for powerpc (its source has stubs for PowerPC and
#                      MIPS n32 alone)
#   nsslogin           -lcrypt, x86_64 only (the cross toolchains ship no static libcrypt)
# sh4, sparc64 and m68k get the libc-free programs only, as in the unit tests.
set -e
out=$1
shift
here=$(cd "$(dirname "$0")" && pwd)
names=${*:-"bindshell revshell pkttrigger keylogger bruteforce authdaemon multitool"}
archs=${ARCHS:-"x86_64 armel mipsel"}
# -nostdlib: no memcpy for an initialiser to call, _start as the entry (MIPS
# defaults to __start), no build-id note, no page padding
bare_flags="-Os -s -nostdlib -static -fno-stack-protector -fno-pic -fno-builtin \
-fno-tree-loop-distribute-patterns -Wl,-e,_start -Wl,-n -Wl,--build-id=none"

cc_of() {
	case $1 in
	x86_64) echo gcc ;; armel) echo arm-linux-gnueabi-gcc ;; mipsel) echo mipsel-linux-gnu-gcc ;;
	mips) echo mips-linux-gnu-gcc ;; i386) echo i686-linux-gnu-gcc ;;
	powerpc) echo powerpc-linux-gnu-gcc ;; aarch64) echo aarch64-linux-gnu-gcc ;;
	sh4) echo sh4-linux-gnu-gcc ;; sparc64) echo sparc64-linux-gnu-gcc ;; m68k) echo m68k-linux-gnu-gcc ;;
	*) echo "build.sh: unknown arch $1" >&2; exit 64 ;;
	esac
}

# one NAME[:DEFINE] for one ARCH with compiler CC
build_one() {
	arch=$1 cc=$2 spec=$3
	n=${spec%%:*} def="" dst=$n
	case $spec in *:*) def="-D${spec#*:}" dst="$n-$(echo "${spec#*:}" | tr 'A-Z' 'a-z')" ;; esac
	src="$here/$n.c"
	case $n in
	tinydl | tinyhello)
		case $arch in i386 | aarch64) return 0 ;; esac # tinydl-sys.h has no stub for them
		mkdir -p "$out/$arch-bare"
		$cc $bare_flags $def -o "$out/$arch-bare/$dst" "$src" -lgcc
		return ;;
	bare-bindshell)
		[ "$arch" = powerpc ] || return 0
		mkdir -p "$out/$arch-bare"
		$cc -O2 -static -s -w -nostdlib -Wl,-e,_start -o "$out/$arch-bare/$dst" "$src"
		return ;;
	esac
	case $arch in sh4 | sparc64 | m68k) return 0 ;; esac
	extra="" sextra=""
	case $n in
	nsslogin) [ "$arch" = x86_64 ] || return 0; extra=-lcrypt sextra=-lcrypt ;;
	cfgdaemon)
		[ -f "$out/$arch-dynamic/libnvram.so" ] ||
			$cc -O2 -s -shared -fPIC -o "$out/$arch-dynamic/libnvram.so" "$here/nvram.c"
		extra="-L$out/$arch-dynamic -lnvram" sextra="$here/nvram.c" ;;
	esac
	$cc -O2 -s -w $def -o "$out/$arch-dynamic/$dst" "$src" $extra &
	$cc -O2 -s -w -static $def -o "$out/$arch-static/$dst" "$src" $sextra
	wait
}

for arch in $archs; do
	cc=$(cc_of "$arch")
	command -v "$cc" >/dev/null || { echo "build.sh: $cc missing" >&2; exit 1; }
	case $arch in sh4 | sparc64 | m68k) ;; *) mkdir -p "$out/$arch-dynamic" "$out/$arch-static" ;; esac
	for spec in $names; do
		build_one "$arch" "$cc" "$spec"
	done
done
