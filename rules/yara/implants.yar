/*
 * postern's pack: supply-chain back doors and implants found on Linux
 * devices and servers.
 *
 * Written by the postern project from the published analyses cited in each
 * rule's `reference`. Each rule has a fixture test in tests/unit/test_yara.c
 * and must stay silent on the Debian d-i root filesystems.
 */

rule xz_liblzma_backdoor_cve_2024_3094
{
	meta:
		description = "xz/liblzma 5.6.0-5.6.1 back door (CVE-2024-3094): the injected object code that hooks RSA_public_decrypt in sshd, or the build-time stages that inject it"
		severity = "critical"
		reference = "https://www.openwall.com/lists/oss-security/2024/03/29/4"
		cve = "CVE-2024-3094"
		// Value review (2026-11): $code is byte for byte the function signature
		// of Vegard Nossum's detect.sh that signature-base's
		// BKDR_XZUtil_Binary_CVE_2024_3094_Mar24_1 ($xc1) also matches; the m4
		// lines are those quoted in the oss-security report.
		source = "https://www.openwall.com/lists/oss-security/2024/03/29/4 ; Neo23x0/signature-base yara/bkdr_xz_util_cve_2024_3094.yar"
	strings:
		// the function prologue Andres Freund's detect.sh looks for in liblzma
		$code = { F3 0F 1E FA 55 48 89 F5 4C 89 CE 53 89 FB 81 E7 00 00 00 80 48 83 EC 28 48 89 54 24 18 48 89 4C 24 10 }
		// build-to-host.m4 stage 0: finds the test file carrying stage 1
		$m4_find = "#{4}[[:alnum:]]{5}#{4}$"
		$m4_map = "tr \"\\t \\-_\" \" \\t_\\-\""
		// stage 1/2 shell scripts carried in the test files
		$hello = "####Hello####"
		$world = "####World####"
	condition:
		$code or ($m4_find and $m4_map) or ($hello and $world)
}

rule bpfdoor_implant
{
	meta:
		description = "BPFDoor passive back door: a classic BPF socket filter waking on magic values 0x7255 (UDP/ICMP) and 0x5293 (TCP), and the daemon names it masquerades as"
		severity = "critical"
		reference = "https://sandflysecurity.com/blog/bpfdoor-an-evasive-linux-backdoor-technical-analysis/"
	strings:
		// struct sock_filter { u16 code; u8 jt, jf; u32 k }: jeq #0x7255 / #0x5293,
		// little-endian (the x86/x86-64 builds analysed). A big-endian form
		// ({ 00 15 ?? ?? 00 00 72 55 }) has only zero-heavy atoms and cost
		// 40% of the pack's scan time: the masquerade names cover those builds.
		$bpf_7255 = { 15 00 ?? ?? 55 72 00 00 }
		$bpf_5293 = { 15 00 ?? ?? 93 52 00 00 }
		$drop = "kdmtmpflush"
		$m1 = "/sbin/udevd -d"
		$m2 = "/sbin/mingetty /dev/tty7"
		$m3 = "/usr/sbin/console-kit-daemon --no-daemon"
		$m4 = "hald-addon-acpi: listening on acpi kernel interface /proc/acpi/event"
		$m5 = "dbus-daemon --system"
		$m6 = "hald-runner"
		$m7 = "pickup -l -t fifo -u"
		$m8 = "avahi-daemon: chroot helper"
		$m9 = "/sbin/auditd -n"
		$m10 = "/usr/lib/systemd/systemd-journald"
	condition:
		($bpf_7255 and $bpf_5293) or ($drop and 2 of ($m*)) or 5 of ($m*)
}

rule tiny_shell_backdoor
{
	meta:
		description = "Tiny SHell (tsh) remote shell back door: the fixed 16-byte handshake challenge of its packet encryption layer"
		severity = "critical"
		reference = "https://github.com/creaktive/tsh/blob/master/pel.c"
	strings:
		$challenge = { 58 90 AE 86 F1 B9 1C F6 29 83 95 71 1D DE 58 0D }
	condition:
		$challenge
}

rule mirai_xor_string_table
{
	meta:
		description = "Mirai bot: its string table obfuscated with the table key 0xdeadbeef (each byte XOR 0x22): watchdog paths, the killer's /proc paths, the busybox probe"
		severity = "critical"
		reference = "https://github.com/jgamblin/Mirai-Source-Code/blob/master/mirai/bot/table.c"
	strings:
		$t1 = "/dev/watchdog" xor(0x22)
		$t2 = "/dev/misc/watchdog" xor(0x22)
		$t3 = "/proc/net/tcp" xor(0x22)
		$t4 = "TSource Engine Query" xor(0x22)
		$t5 = "/bin/busybox MIRAI" xor(0x22)
		$t6 = "MIRAI: applet not found" xor(0x22)
		$t7 = "/etc/resolv.conf" xor(0x22)
		$t8 = "nameserver " xor(0x22)
		$t9 = "ncorrect" xor(0x22)
	condition:
		3 of them
}

rule mirai_default_credentials
{
	meta:
		description = "Mirai bot: the telnet brute-force list of IoT default credentials (plain or XOR 0x22 obfuscated as the scanner stores them)"
		severity = "critical"
		reference = "https://github.com/jgamblin/Mirai-Source-Code/blob/master/mirai/bot/scanner.c"
		redact = true
	strings:
		$c1 = "xc3511"
		$x1 = "xc3511" xor(0x22)
		$c2 = "vizxv"
		$x2 = "vizxv" xor(0x22)
		$c3 = "xmhdipc"
		$x3 = "xmhdipc" xor(0x22)
		$c4 = "juantech"
		$x4 = "juantech" xor(0x22)
		$c5 = "7ujMko0admin"
		$x5 = "7ujMko0admin" xor(0x22)
		$c6 = "7ujMko0vizxv"
		$x6 = "7ujMko0vizxv" xor(0x22)
		$c7 = "Zte521"
		$x7 = "Zte521" xor(0x22)
		$c8 = "hi3518"
		$x8 = "hi3518" xor(0x22)
		$c9 = "jvbzd"
		$x9 = "jvbzd" xor(0x22)
		$c10 = "klv1234"
		$x10 = "klv1234" xor(0x22)
		$c11 = "ikwb"
		$x11 = "ikwb" xor(0x22)
		$c12 = "smcadmin"
		$x12 = "smcadmin" xor(0x22)
		$c13 = "meinsm"
		$x13 = "meinsm" xor(0x22)
		$c14 = "zlxx."
		$x14 = "zlxx." xor(0x22)
	condition:
		5 of ($c*, $x*)
}

rule mirai_loader_dlr
{
	meta:
		description = "Mirai's downloader (dlr): the HTTP request for the bot built for its architecture, or its dvrHelper output file with its status words written to the telnet session"
		severity = "critical"
		reference = "https://github.com/jgamblin/Mirai-Source-Code/blob/master/dlr/main.c"
	strings:
		$get = "GET /bins/mirai."
		$out = "dvrHelper"
		$m1 = "MIRAI\n"
		$m2 = "NIF\n"
		$m3 = "FIN\n"
	condition:
		uint32(0) == 0x464c457f and ($get or ($out and 2 of ($m*)))
}
