#!/bin/sh
# Compiles every test program for x86-64, armel and mipsel, dynamically and
# statically linked, stripped, into OUT/<arch>-<link>/<name>. Never runs them.
# Usage: build.sh OUT [name...]
set -e
out=$1
shift
here=$(cd "$(dirname "$0")" && pwd)
names=${*:-"bindshell revshell pkttrigger keylogger bruteforce authdaemon multitool"}
for cc in gcc arm-linux-gnueabi-gcc mipsel-linux-gnu-gcc; do
	command -v $cc >/dev/null || { echo "build.sh: $cc missing" >&2; exit 1; }
	case $cc in gcc) arch=x86_64 ;; arm-*) arch=armel ;; mipsel-*) arch=mipsel ;; esac
	mkdir -p "$out/$arch-dynamic" "$out/$arch-static"
	for n in $names; do
		$cc -O2 -s -w -o "$out/$arch-dynamic/$n" "$here/$n.c" &
		$cc -O2 -s -w -static -o "$out/$arch-static/$n" "$here/$n.c"
		wait
	done
done
