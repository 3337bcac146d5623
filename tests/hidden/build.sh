#!/bin/sh
# Builds the hidden-command test servers (tests/hidden/*.c), each clean and
# back-doored (-DBACKDOOR), for x86-64, armel, mipsel, aarch64 and i386,
# dynamic and stripped, into OUT/<arch>/<name>-{clean,backdoor}; armel again
# as Thumb code (-mthumb: Thumb-1 on the toolchain's armv5te,
# OUT/armel-thumb/; and -march=armv7-a -mthumb: Thumb-2 as armhf builds it,
# OUT/armel-thumb2/); plus static unstripped builds for armel into
# OUT/armel-static/ and static stripped ones (-static -s: library functions
# without names) for x86-64, armel and mipsel into OUT/<arch>-stripped/.
# modauth is a web server's module: a shared object (-shared -fPIC, no
# static build).
# Never runs them.
# Usage: build.sh OUT [name...]
set -e
out=$1
shift
here=$(cd "$(dirname "$0")" && pwd)
names=${*:-"websecret webua cfgmagic udpcmd udpmsg udpcold ftpsmile ftphelp webwrap modauth"}
# how NAME is linked: a module is a shared object resolved by its server
link() { if [ "$1" = modauth ]; then echo "-shared -fPIC"; else echo "-L$2 -lnvram"; fi; }
for cc in gcc arm-linux-gnueabi-gcc mipsel-linux-gnu-gcc aarch64-linux-gnu-gcc \
	i686-linux-gnu-gcc; do
	command -v $cc >/dev/null || { echo "build.sh: $cc missing" >&2; exit 1; }
	case $cc in
	gcc) arch=x86_64 ;; arm-*) arch=armel ;; mipsel-*) arch=mipsel ;;
	aarch64-*) arch=aarch64 ;; i686-*) arch=i386 ;;
	esac
	mkdir -p "$out/$arch" "$out/$arch-lib"
	$cc -O2 -shared -fPIC -w -o "$out/$arch-lib/libnvram.so" "$here/nvram_stub.c"
	for n in $names; do
		for v in clean backdoor; do
			d=; [ $v = backdoor ] && d=-DBACKDOOR
			# shellcheck disable=SC2046
			$cc -O2 -s -w $d -o "$out/$arch/$n-$v" "$here/$n.c" $(link $n "$out/$arch-lib") &
		done
		wait
	done
done
for t in "armel-thumb|-mthumb" "armel-thumb2|-march=armv7-a -mthumb"; do
	arch=${t%%|*} flags=${t#*|}
	mkdir -p "$out/$arch" "$out/$arch-lib"
	# shellcheck disable=SC2086
	arm-linux-gnueabi-gcc -O2 $flags -shared -fPIC -w -o "$out/$arch-lib/libnvram.so" \
		"$here/nvram_stub.c"
	for n in $names; do
		for v in clean backdoor; do
			d=; [ $v = backdoor ] && d=-DBACKDOOR
			# shellcheck disable=SC2086
			arm-linux-gnueabi-gcc -O2 $flags -s -w $d -o "$out/$arch/$n-$v" "$here/$n.c" \
				$(link $n "$out/$arch-lib") &
		done
		wait
	done
done
mkdir -p "$out/armel-static"
for n in $names; do
	[ "$n" = modauth ] && continue
	for v in clean backdoor; do
		d=; [ $v = backdoor ] && d=-DBACKDOOR
		arm-linux-gnueabi-gcc -O2 -static -w $d -o "$out/armel-static/$n-$v" "$here/$n.c" \
			"$here/nvram_stub.c"
	done
done
for t in "x86_64|gcc" "armel|arm-linux-gnueabi-gcc" "mipsel|mipsel-linux-gnu-gcc"; do
	arch=${t%%|*}-stripped cc=${t#*|}
	mkdir -p "$out/$arch"
	for n in $names; do
		[ "$n" = modauth ] && continue
		for v in clean backdoor; do
			d=; [ $v = backdoor ] && d=-DBACKDOOR
			$cc -O2 -static -s -w $d -o "$out/$arch/$n-$v" "$here/$n.c" \
				"$here/nvram_stub.c" &
		done
		wait
	done
done
