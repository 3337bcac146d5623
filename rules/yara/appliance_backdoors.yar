/*
 * postern's pack: vendor back doors in routers, firewalls and cameras.
 *
 * Each rule is written by the postern project from the published analysis it
 * cites in `reference`; every rule has a fixture test in
 * tests/unit/test_yara.c and must stay silent on the Debian d-i root
 * filesystems. Rule ids: signature.postern.<rule> (docs/findings/signature.md).
 * Meta: severity (critical/high/medium/low/info), description, reference,
 * and redact = true where the matched bytes are a credential.
 */

rule dlink_xmlset_useragent_backdoor
{
	meta:
		description = "D-Link web server authentication bypass: a request whose User-Agent is 'xmlset_roodkcableoj28840ybtide' skips the login (CVE-2013-6026)"
		severity = "critical"
		reference = "http://www.devttys0.com/2013/10/reverse-engineering-a-d-link-backdoor/"
		cve = "CVE-2013-6026"
	strings:
		$ua = "xmlset_roodkcableoj28840ybtide"
		// the same string reversed ("edit by 04882 joel backdoor"), as some
		// builds compare it
		$ua_rev = "editby04882joelbackdoor_teslmx"
	condition:
		any of them
}

rule tenda_w302r_mfg_backdoor
{
	meta:
		description = "Tenda/Medialink MfgThread back door: a UDP service (port 7329) taking 'w302r_mfg' packets that run commands as root"
		severity = "critical"
		reference = "http://www.devttys0.com/2013/10/from-china-with-love/"
	strings:
		$mfg = "w302r_mfg"
	condition:
		$mfg
}

rule netis_netcore_udp53413_backdoor
{
	meta:
		description = "Netis/Netcore back door: UDP port 53413 service with the hard-coded password 'netcore' giving command execution"
		severity = "critical"
		reference = "http://blog.trendmicro.com/trendlabs-security-intelligence/netis-routers-leave-wide-open-backdoor/"
	strings:
		$pw = "netcore" fullword
		$svc = "igdmptd" fullword
		$port = "53413" fullword
		// the port as compiled code holds it (htons(53413): bytes D0 A5 in
		// network order): in a little-endian sockaddr word with AF_INET (x86
		// immediate, ARM literal pool, data; big-endian MIPS builds that
		// word with lui/ori, below), x86 `mov word [..], 0xa5d0`, MIPS
		// li/ori (big-endian: the immediate as is; little-endian: the
		// byte-swapped value, word stored little-endian)
		$port_sa_le = { 02 00 D0 A5 }
		$port_x86 = { 66 C7 4? ?? D0 A5 }
		$port_mips_be = { (24|25|26|27|34|35|36|37) ?? D0 A5 }
		$port_mips_le = { D0 A5 ?? (24|25|26|27|34|35|36|37|3C) }
		// ARM: the halfword alone in a literal pool (zero- or sign-extended)
		$port_arm = { D0 A5 (00 00|FF FF) }
	condition:
		$pw and ($svc or $port or any of ($port_*))
}

rule sercomm_scmm_tcp32764_backdoor
{
	meta:
		description = "Sercomm configuration back door (TCP 32764): 'ScMM'/'MMcS' framed commands dump the configuration or run commands without authentication"
		severity = "critical"
		reference = "https://github.com/elvanderb/TCP-32764"
	strings:
		// The daemon compares the header's first word as an integer with
		// 0x53634D4D ('ScMM'; the same bytes read 'MMcS' on a
		// little-endian device): in the code, not among the strings.
		// x86 cmp imm32 and ARM literal pools hold the word in memory
		// order; MIPS builds it with lui 0x5363 then ori/addiu 0x4d4d
		// (an integer 0x53634d4d), or, where memcmp(p, "ScMM", 4) on a
		// little-endian device loads the bytes as 0x4d4d6353, lui 0x4d4d
		// then addiu 0x6353 (the halves in the instruction's byte order:
		// 53 63 on mipsel).
		$imm_le = "MMcS"
		$imm_be = "ScMM"
		$mips_be = { 3C ?? 53 63 [0-12] (24|25|26|27|34|35|36|37) ?? 4D 4D }
		$mips_le = { 63 53 ?? 3C [0-12] 4D 4D ?? (24|25|26|27|34|35|36|37) }
		$mips_be_rev = { 3C ?? 4D 4D [0-12] (24|25|26|27|34|35|36|37) ?? 63 53 }
		$mips_le_rev = { 4D 4D ?? 3C [0-12] 53 63 ?? (24|25|26|27|34|35|36|37) }
		// PowerPC (big-endian): lis rD, 0x5363 then ori/addi 0x4d4d
		$ppc = { (3C|3D|3E|3F) ?? 53 63 [0-12] (38|39|3A|3B|60|61|62|63) ?? 4D 4D }
		// ARMv7: movw 0x4d4d then movt 0x5363, in Thumb-2 and ARM encodings
		$arm_thumb = { 44 F6 4D 5? [0-8] C5 F2 63 3? }
		$arm_v7 = { 4D ?D 04 E3 [0-8] 63 ?3 45 E3 }
		// AArch64: movz #0x4d4d then movk #0x5363, lsl #16 (or the other
		// way round), w or x register: the two 16-bit halves in fixed
		// instruction bits, as specific as ARMv7's pair
		$a64 = { ?? A9 89 (52|D2) [0-12] ?? 6C AA (72|F2) }
		$a64_rev = { ?? 6C AA (52|D2) [0-12] ?? A9 89 (72|F2) }
		// TCP 32764 (htons: bytes 7F FC) as bind()'s sockaddr is built: a
		// word with AF_INET (x86 immediate, ARM literal pool, .rodata),
		// x86 `mov word [..], 0xfc7f`, MIPS li/addiu (big-endian) or
		// lui/ori of the byte-swapped value (little-endian)
		$port_sa_le = { 02 00 7F FC }
		$port_x86 = { 66 C7 4? ?? 7F FC }
		$port_mips_be = { (24|25|26|27|34|35|36|37) ?? 7F FC }
		$port_mips_le = { 7F FC ?? (24|25|26|27|34|35|36|37|3C) }
		// PowerPC li (addi) or ori of 0x7ffc
		$port_ppc = { (38|39|3A|3B|60|61|62|63) ?? 7F FC }
		// ARM: the halfword in a literal pool (zero- or sign-extended), or `mvn rD, #0x380`
		// (~0x380 = 0xfc7f), ARM's cheapest way to make it
		$port_arm = { 7F FC (00 00|FF FF) }
		$port_arm_mvn = { 0E ?D E0 E3 }
		// Thumb-2 movw/movt #0xfc7f (the ARM encoding has too few fixed
		// bits to search for: the 8-byte movw/movt pair of the magic is
		// enough there)
		$port_thumb = { (4F|CF) F6 7F 4? }
		$daemon = "scfgmgr" fullword
		$port = "32764" fullword
	condition:
		any of ($arm_*) or any of ($a64*) or
		((any of ($imm_*) or any of ($mips_*) or $ppc) and (any of ($port_*) or $daemon or $port))
}

rule sercomm_ethertype_8888_knock
{
	meta:
		description = "Sercomm back door reactivation: ft_tool listens for Ethernet type 0x8888 frames whose payload is md5('DGN1000') and then starts 'scfgmgr -f' (the TCP 32764 back door)"
		severity = "critical"
		reference = "https://nakedsecurity.sophos.com/2014/04/23/the-soho-router-backdoor-that-was-fixed-by-hiding-it-behind-another-backdoor/"
	strings:
		$restart = "scfgmgr -f"
		$md5_hex = "45d1bb339b07a6618b2114dbc0d7783e" nocase
		$md5_raw = { 45 d1 bb 33 9b 07 a6 61 8b 21 14 db c0 d7 78 3e }
	condition:
		any of them
}

rule zyxel_zyfwp_hardcoded_account
{
	meta:
		description = "Zyxel firewall/AP controller undocumented admin account 'zyfwp' with a hard-coded password (CVE-2020-29583)"
		severity = "critical"
		reference = "https://www.eyecontrol.nl/blog/undocumented-user-account-in-zyxel-products.html"
		cve = "CVE-2020-29583"
		redact = true
	strings:
		$pw = "PrOw!aN_fXp"
	condition:
		$pw
}

rule fortinet_fortimanager_access_backdoor
{
	meta:
		description = "FortiOS SSH back door: the 'Fortimanager_Access' account answers a challenge with a hard-coded secret (CVE-2016-1909)"
		severity = "critical"
		reference = "https://seclists.org/fulldisclosure/2016/Jan/26"
		cve = "CVE-2016-1909"
		redact = true
	strings:
		$user = "Fortimanager_Access"
		$secret = "FGTAbc11*xy+Qqz27"
	condition:
		any of them
}

rule juniper_screenos_auth_backdoor
{
	meta:
		description = "Juniper ScreenOS unauthorized code: a master password disguised as a debug format string lets anyone log in over SSH/telnet (CVE-2015-7755)"
		severity = "critical"
		reference = "https://www.rapid7.com/blog/post/2015/12/20/cve-2015-7755-juniper-screenos-authentication-backdoor/"
		cve = "CVE-2015-7755"
	strings:
		$pw = "<<< %s(un='%s') = %u"
	condition:
		$pw
}

rule juniper_screenos_dual_ec_rogue_q
{
	meta:
		description = "Juniper ScreenOS Dual_EC_DRBG with the Q point substituted by the attackers (CVE-2015-7756): VPN traffic decryptable by whoever chose Q"
		severity = "critical"
		reference = "https://eprint.iacr.org/2016/376"
		cve = "CVE-2015-7756"
		// Value review (2026-11): taken from Checkoway et al. (the reference);
		// no second public copy of it was found in the sources reviewed, so
		// it rests on that paper alone.
		source = "Checkoway et al., A Systematic Analysis of the Juniper Dual EC Incident (CCS 2016): the x coordinate of the Q in ScreenOS 6.2.0r15-6.3.0r20"
	strings:
		$q = "2c55e5e45edf713dc43475effe8813a60326a64d9ba3d2e39cb639b0f3b0ad10" nocase
	condition:
		$q
}

rule juniper_screenos_dual_ec_q
{
	meta:
		description = "Juniper ScreenOS Dual_EC_DRBG Q point (vendor-chosen, origin unverifiable): a generator whose output is predictable to whoever knows the discrete log of Q"
		severity = "high"
		reference = "https://eprint.iacr.org/2016/376"
		// Value review (2026-11): the same value (its first 62 hex digits) is
		// listed as a Dual EC constant by public crypto-constant scanners.
		source = "Checkoway et al. (CCS 2016): the x coordinate of the Q ScreenOS 6.2.0r1-r14 shipped from 2008"
	strings:
		$q = "9585320EEAF81044F20D55030A035B11BECE81C785E6C933E4A8A131F6578107" nocase
	condition:
		$q
}

rule hikvision_auth_bypass_token
{
	meta:
		description = "Hikvision IP camera authentication bypass: the magic 'auth=YWRtaW46MTEK' (base64 'admin:11') parameter grants admin access (CVE-2017-7921)"
		severity = "critical"
		reference = "https://seclists.org/fulldisclosure/2017/Sep/23"
		cve = "CVE-2017-7921"
	strings:
		$token = "YWRtaW46MTEK"
	condition:
		$token
}

rule hikvision_config_key
{
	meta:
		description = "Hikvision hard-coded AES-128 key for the exported configurationFile: anyone can decrypt a device's configuration and its user passwords"
		severity = "high"
		reference = "https://seclists.org/fulldisclosure/2017/Sep/23"
		// Value review (2026-11): the key public CVE-2017-7921 configurationFile
		// decrypters use (AES-128-ECB with this key, then XOR with 73 8B 55 44).
		source = "public CVE-2017-7921 configurationFile decryption tools: AES-128-ECB key 279977f6..., then XOR 73 8B 55 44"
		redact = true
	strings:
		$key_hex = "279977f62f6cfd2d91cd75b889ce0c9a" nocase
		$key_raw = { 27 99 77 f6 2f 6c fd 2d 91 cd 75 b8 89 ce 0c 9a }
	condition:
		any of them
}

rule dual_ec_drbg_nist_p256_q
{
	meta:
		description = "Dual_EC_DRBG with the NIST SP 800-90A P-256 Q point: the generator whose designer can predict its output from the discrete log of Q (the suspected NSA trapdoor); withdrawn by NIST in 2014"
		severity = "high"
		reference = "https://csrc.nist.gov/publications/detail/sp/800-90a/archive/2012-01-23"
		// Value review (2026-11): Qx/Qy as in SP 800-90A (2012) appendix A.1,
		// the same values public Dual EC implementations and fwupd's
		// DualEcBackdoorForNsa rule use.
		source = "NIST SP 800-90A (2012) A.1, curve P-256: Qx = c97445f4...52018192, Qy = b28ef557...1e610046"
	strings:
		$qx_hex = "c97445f45cdef9f0d3e05e1e585fc297235b82b5be8ff3efca67c59852018192" nocase ascii wide
		$qy_hex = "b28ef557ba31dfcbdd21ac46e2a91e3c304f44cb87058ada2cb815151e610046" nocase ascii wide
		$qx_raw = { C9 74 45 F4 5C DE F9 F0 D3 E0 5E 1E 58 5F C2 97 23 5B 82 B5 BE 8F F3 EF CA 67 C5 98 52 01 81 92 }
		$qy_raw = { B2 8E F5 57 BA 31 DF CB DD 21 AC 46 E2 A9 1E 3C 30 4F 44 CB 87 05 8A DA 2C B8 15 15 1E 61 00 46 }
	condition:
		any of them
}

rule vsftpd_234_smiley_backdoor
{
	meta:
		description = "vsftpd 2.3.4 tampered source: a user name containing ':)' opens a root shell on TCP port 6200"
		severity = "critical"
		reference = "https://scarybeastsecurity.blogspot.com/2011/07/alert-vsftpd-download-backdoored.html"
	strings:
		$banner = "vsFTPd" nocase
		$sh = "/bin/sh" fullword
		// TCP 6200 (htons: bytes 18 38) as bind()'s sockaddr is built: a
		// word with AF_INET, x86 `mov word [..], 0x3818` (base+disp8,
		// rsp-relative through a SIB byte as gcc -O1 lays it out, disp32),
		// MIPS li/ori (either byte order), ARM literal pool
		$port_sa_le = { 02 00 18 38 }
		$port_x86 = { 66 C7 4? ?? 18 38 }
		$port_x86_sib = { 66 C7 44 24 ?? 18 38 }
		$port_x86_d32 = { 66 C7 8? ?? ?? ?? ?? 18 38 }
		$port_x86_sib32 = { 66 C7 84 24 ?? ?? ?? ?? 18 38 }
		$port_mips_be = { (24|34) (02|03|04|05|06|07|42|63|84|A5|C6|E7) 18 38 }
		$port_mips_le = { 18 38 ?? (24|25|26|27|34|35|36|37|3C) }
		$port_arm = { 18 38 (00 00|FF FF) }
	condition:
		// the ':)' test itself is two character compares, no string
		$banner and $sh and any of ($port_*)
}

rule proftpd_acidbitchez_backdoor
{
	meta:
		description = "ProFTPD 1.3.3c tampered source: 'HELP ACIDBITCHEZ' gives a root shell"
		severity = "critical"
		reference = "https://www.rapid7.com/db/modules/exploit/unix/ftp/proftpd_133c_backdoor/"
	strings:
		$arg = "ACIDBITCHEZ"
		$sh = "/bin/sh;/sbin/sh"
	condition:
		any of them
}
