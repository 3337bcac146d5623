/* test_access_keys.c - private keys in every encoding, authorized_keys
 * resolved through /etc/passwd, certificates. */
#include "access_cases.h"

#define PASSWD "printf 'root:*:0:0:root:/root:/bin/sh\\nalice:*:1000:1000::/home/alice:/bin/sh\\n' > etc/passwd"
/* a DER key made by CMD, between seeded random bytes, in etc/NAME.bin */
#define DERBLOB(name, cmd)                                                            \
	"randbytes 3000 " name "a > etc/" name ".bin && " cmd " 2>/dev/null >> etc/" name \
	".bin && randbytes 2000 " name "b >> etc/" name ".bin"
#define RSAB(bits) "openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:" #bits " 2>/dev/null"
#define RSA "openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 2>/dev/null"

static const struct acase cases[] = {
	{ "PEM RSA (traditional)", "mkdir -p etc/ssl/private && " RSA " | openssl rsa -traditional 2>/dev/null > etc/ssl/private/server.key",
	  "key.private", "/etc/ssl/private/server.key", HIGH, HIGH },
	{ "PEM PKCS#8", "mkdir -p etc/ssl/private && " RSA " > etc/ssl/private/p8.key",
	  "key.private", "/etc/ssl/private/p8.key", HIGH, HIGH },
	{ "PEM EC", "openssl ecparam -name prime256v1 -genkey -noout > etc/ec.pem 2>/dev/null",
	  "key.private", "/etc/ec.pem", HIGH, HIGH },
	{ "PEM DSA", "openssl genpkey -genparam -algorithm DSA -pkeyopt dsa_paramgen_bits:1024 > /tmp/dsap.$$ 2>/dev/null && openssl genpkey -paramfile /tmp/dsap.$$ 2>/dev/null | openssl dsa 2>/dev/null > etc/dsa.key; rm -f /tmp/dsap.$$",
	  "key.private", "/etc/dsa.key", HIGH, HIGH },
	{ "encrypted PKCS#8", RSA " -aes256 -pass pass:x > etc/enc.key",
	  "key.private-encrypted", "/etc/enc.key", MED, MED },
	{ "OpenSSH unencrypted", "ssh-keygen -q -t ed25519 -N '' -f etc/id_ed25519",
	  "key.private", "/etc/id_ed25519", HIGH, HIGH },
	{ "OpenSSH encrypted", "ssh-keygen -q -t ed25519 -N 'x-pass' -f etc/id_enc",
	  "key.private-encrypted", "/etc/id_enc", MED, MED },
	{ "PuTTY", "ssh-keygen -q -t rsa -b 2048 -N '' -f /tmp/pk.$$ && { echo 'PuTTY-User-Key-File-2: ssh-rsa'; echo 'Encryption: none'; echo 'Comment: x'; b=$(cut -d' ' -f2 /tmp/pk.$$.pub | fold -w 64); echo \"Public-Lines: $(echo \"$b\" | wc -l)\"; echo \"$b\"; echo 'Private-Lines: 1'; echo AAAA; echo 'Private-MAC: 00'; } > etc/key.ppk; rm -f /tmp/pk.$$*",
	  "key.private", "/etc/key.ppk", HIGH, HIGH },
	{ "raw DER", RSA " | openssl rsa -outform DER 2>/dev/null > etc/key.der",
	  "key.private", "/etc/key.der", HIGH, HIGH },
	{ "PEM inside a program", "cp /bin/true usr/bin/httpd && " RSA " >> usr/bin/httpd",
	  "key.embedded-private", "/usr/bin/httpd", HIGH, HIGH },
	{ "DER inside a blob",
	  "randbytes 4000 test_access_keys1 > etc/blob.bin && " RSA
	  " | openssl rsa -outform DER 2>/dev/null >> etc/blob.bin && "
	  "randbytes 3000 test_access_keys2 >> etc/blob.bin",
	  "key.embedded-private", "/etc/blob.bin", HIGH, HIGH },
	/* DER keys inside a blob, one per shape: the SEQUENCE header in front of
	 * the version takes two, three or four bytes */
	{ "DER PKCS#1 RSA 1024 inside a blob",
	  DERBLOB("k1", RSAB(1024) " | openssl rsa -traditional -outform DER"),
	  "key.embedded-private", "/etc/k1.bin", HIGH, HIGH },
	{ "DER PKCS#1 RSA 2048 inside a blob",
	  DERBLOB("k2", RSAB(2048) " | openssl rsa -traditional -outform DER"),
	  "key.embedded-private", "/etc/k2.bin", HIGH, HIGH },
	{ "DER PKCS#1 RSA 4096 inside a blob",
	  DERBLOB("k3", RSAB(4096) " | openssl rsa -traditional -outform DER"),
	  "key.embedded-private", "/etc/k3.bin", HIGH, HIGH },
	{ "DER PKCS#8 RSA 1024 inside a blob",
	  DERBLOB("k4", RSAB(1024) " | openssl pkcs8 -topk8 -nocrypt -outform DER"),
	  "key.embedded-private", "/etc/k4.bin", HIGH, HIGH },
	{ "DER SEC1 EC P-256 inside a blob",
	  DERBLOB("k5", "openssl ecparam -name prime256v1 -genkey -noout"
		  " | openssl ec -outform DER"),
	  "key.embedded-private", "/etc/k5.bin", HIGH, HIGH },
	{ "DER SEC1 EC P-384 inside a blob",
	  DERBLOB("k6", "openssl ecparam -name secp384r1 -genkey -noout | openssl ec -outform DER"),
	  "key.embedded-private", "/etc/k6.bin", HIGH, HIGH },
	{ "DER SEC1 EC P-521 inside a blob",
	  DERBLOB("k7", "openssl ecparam -name secp521r1 -genkey -noout | openssl ec -outform DER"),
	  "key.embedded-private", "/etc/k7.bin", HIGH, HIGH },
	{ "DER PKCS#8 EC P-256 inside a blob",
	  DERBLOB("k8", "openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256"
			" | openssl pkcs8 -topk8 -nocrypt -outform DER"),
	  "key.embedded-private", "/etc/k8.bin", HIGH, HIGH },
	{ "DER PKCS#8 Ed25519 inside a blob",
	  DERBLOB("k9", "openssl genpkey -algorithm ED25519"
		  " | openssl pkcs8 -topk8 -nocrypt -outform DER"),
	  "key.embedded-private", "/etc/k9.bin", HIGH, HIGH },
	{ "DER RSA 1024 in a program's .rodata",
	  "printf 'static const unsigned char k[] = {%s0};\\nint main(void) { return k[7]; }\\n' "
	  "\"$(" RSAB(1024) " | openssl rsa -traditional -outform DER 2>/dev/null"
	  " | od -An -v -tx1 | sed 's/ *\\([0-9a-f][0-9a-f]\\)/0x\\1,/g' | tr -d '\\n')\""
	  " > /tmp/kr.$$.c && cc -O0 -o usr/bin/daemon /tmp/kr.$$.c; rm -f /tmp/kr.$$.c",
	  "key.embedded-private", "/usr/bin/daemon", HIGH, HIGH },
	{ "silent: a DER certificate inside a blob",
	  DERBLOB("c1", "openssl req -x509 -newkey rsa:2048 -nodes -keyout /dev/null -subj /CN=x"
			" -days 30 -outform DER"),
	  "key.embedded-private", NULL, 0, 0 },
	{ "silent: a DER RSA public key inside a blob",
	  DERBLOB("c2", RSAB(2048) " | openssl rsa -pubout -outform DER"),
	  "key.embedded-private", NULL, 0, 0 },
	{ "silent: a DER EC public key inside a blob",
	  DERBLOB("c3", "openssl ecparam -name prime256v1 -genkey -noout"
			" | openssl ec -pubout -outform DER"),
	  "key.embedded-private", NULL, 0, 0 },
	/* the bare patterns followed by random bytes, so that the elements do not
	 * tile their SEQUENCE, or with a length past its SEQUENCE's end (04 82 ffff,
	 * 04 ff, a 48-byte OCTET STRING in a 46-byte Ed25519 key) */
	{ "silent: key patterns with inconsistent lengths",
	  "randbytes 3000 d1 > etc/d.bin && for h in '30820100020100028181'"
	  " '3082025d02010002820101' '30820277020100300d06092a864886f70d01010105000482ffff'"
	  " '307702010104ff' '3081a40201010430'"
	  " '302e020100300506032b657004300420'; do echo $h | xxd -r -p >> etc/d.bin;"
	  " randbytes 300 d$h >> etc/d.bin; done",
	  "key.embedded-private", NULL, 0, 0 },
	{ "key in a crypto library", "cp /bin/true usr/bin/libmbedtls.so.14 && " RSA " >> usr/bin/libmbedtls.so.14",
	  "key.crypto-library-key", "/usr/bin/libmbedtls.so.14", LOW, LOW },
	{ "key in an object of a static crypto library", "mkdir -p usr/lib /tmp/ar.$$ && cp /bin/true /tmp/ar.$$/certs.o && " RSA " >> /tmp/ar.$$/certs.o && (cd /tmp/ar.$$ && ar rc $OLDPWD/usr/lib/libmbedx509.a certs.o) && rm -rf /tmp/ar.$$",
	  "key.crypto-library-key", "/usr/lib/libmbedx509.a!/certs.o", LOW, LOW },
	{ "openssl speed's published test keys: info", "cp /usr/bin/openssl usr/bin/openssl",
	  "key.known-test-key", "/usr/bin/openssl", INFO, INFO },
	{ "silent: openssl speed's test keys are not embedded-private", "cp /usr/bin/openssl usr/bin/openssl",
	  "key.embedded-private", NULL, 0, 0 },
	{ "key in test data: low", "mkdir -p usr/share/go/src/crypto/tls/testdata && openssl ecparam -name prime256v1 -genkey -noout > usr/share/go/src/crypto/tls/testdata/example-key.pem 2>/dev/null",
	  "key.private", "/testdata/example-key.pem", LOW, LOW },
	{ "key inside a _test source file: low", "mkdir -p usr/share/go/src/crypto/tls && { echo 'package tls'; echo 'const k = `'; openssl ecparam -name prime256v1 -genkey -noout 2>/dev/null; echo '`'; } > usr/share/go/src/crypto/tls/example_test.go",
	  "key.private", "/example_test.go", LOW, LOW },
	{ "a test_-named key under /etc stays high", "mkdir -p etc/ssl/private && openssl ecparam -name prime256v1 -genkey -noout > etc/ssl/private/test_host.key 2>/dev/null",
	  "key.private", "/etc/ssl/private/test_host.key", HIGH, HIGH },
	{ "weak certificate in examples: low", "mkdir -p usr/share/doc/app/examples && openssl req -x509 -newkey rsa:1024 -nodes -keyout /dev/null -subj /CN=weak -days 30 -out usr/share/doc/app/examples/cert.pem 2>/dev/null",
	  "cert.weak-key", "/examples/cert.pem", LOW, LOW },
	{ "silent: public keys, certificate, key-like text", "ssh-keygen -q -t ed25519 -N '' -f /tmp/pub.$$ && cp /tmp/pub.$$.pub etc/id.pub && " RSA " | openssl pkey -pubout > etc/pub.pem && printf '#!/bin/sh\\n# -----BEGIN RSA PRIVATE KEY-----\\n# paste here\\n# -----END RSA PRIVATE KEY-----\\n' > usr/bin/doc.sh; rm -f /tmp/pub.$$*",
	  "key.private", NULL, 0, 0 },
	{ "authorized_keys in root's home (from passwd)", "printf 'root:*:0:0:root:/:/bin/sh\\n' > etc/passwd && mkdir -p .ssh && ssh-keygen -q -t ed25519 -N '' -C vendor@build -f /tmp/ak.$$ && cp /tmp/ak.$$.pub .ssh/authorized_keys; rm -f /tmp/ak.$$*",
	  "key.authorized-keys", "/.ssh/authorized_keys", HIGH, HIGH },
	{ "authorized_keys for a user", PASSWD " && mkdir -p home/alice/.ssh && ssh-keygen -q -t ed25519 -N '' -f /tmp/ak.$$ && cp /tmp/ak.$$.pub home/alice/.ssh/authorized_keys; rm -f /tmp/ak.$$*",
	  "key.authorized-keys", "/home/alice/.ssh/authorized_keys", HIGH, HIGH },
	{ "dropbear authorized_keys", PASSWD " && mkdir -p etc/dropbear && ssh-keygen -q -t ed25519 -N '' -f /tmp/ak.$$ && cp /tmp/ak.$$.pub etc/dropbear/authorized_keys; rm -f /tmp/ak.$$*",
	  "key.authorized-keys", "/etc/dropbear/authorized_keys", HIGH, HIGH },
	{ "stray authorized_keys", PASSWD " && mkdir -p opt && ssh-keygen -q -t ed25519 -N '' -f /tmp/ak.$$ && cp /tmp/ak.$$.pub opt/authorized_keys; rm -f /tmp/ak.$$*",
	  "key.authorized-keys", "/opt/authorized_keys", MED, MED },
	{ "authorized_keys silent (empty, comments)", PASSWD " && mkdir -p root/.ssh && printf '# no keys\\n\\n' > root/.ssh/authorized_keys",
	  "key.authorized-keys", NULL, 0, 0 },
	{ "weak certificate key", "mkdir -p etc/app && openssl req -x509 -newkey rsa:1024 -nodes -keyout /dev/null -subj /CN=weak -days 30 -out etc/app/cert.pem 2>/dev/null",
	  "cert.weak-key", "/etc/app/cert.pem", MED, MED },
	{ "expired certificate", "mkdir -p etc/app && openssl req -new -newkey rsa:2048 -nodes -keyout /tmp/ek.$$ -subj /CN=old -out /tmp/er.$$ 2>/dev/null && openssl x509 -req -in /tmp/er.$$ -key /tmp/ek.$$ -days -1 -out etc/app/old.pem 2>/dev/null; rm -f /tmp/ek.$$ /tmp/er.$$",
	  "cert.expired", "/etc/app/old.pem", LOW, LOW },
	{ "extra CA in the trust store", "mkdir -p usr/local/share/ca-certificates && openssl req -x509 -newkey rsa:2048 -nodes -keyout /dev/null -subj /CN=Vendor-Intercept-CA -days 30 -out usr/local/share/ca-certificates/vendor.crt 2>/dev/null",
	  "cert.extra-ca", "/usr/local/share/ca-certificates/vendor.crt", MED, MED },
	{ "silent: standard roots, a good server certificate", "mkdir -p etc/ssl/certs etc/app && cp /usr/share/ca-certificates/mozilla/ISRG_Root_X1.crt etc/ssl/certs/ && cat /usr/share/ca-certificates/mozilla/*.crt > etc/ssl/certs/ca-certificates.crt && openssl req -x509 -newkey rsa:2048 -nodes -keyout /dev/null -subj /CN=ok -days 30 -out etc/app/cert.pem 2>/dev/null",
	  "cert.extra-ca", NULL, 0, 0 },
	{ "silent: no weak or expired certificate", "mkdir -p etc/app && openssl req -x509 -newkey rsa:2048 -nodes -keyout /dev/null -subj /CN=ok -days 30 -out etc/app/cert.pem 2>/dev/null",
	  "cert.weak-key", NULL, 0, 0 },
	{ "silent: not expired", "mkdir -p etc/app && openssl req -x509 -newkey rsa:2048 -nodes -keyout /dev/null -subj /CN=ok -days 30 -out etc/app/cert.pem 2>/dev/null",
	  "cert.expired", NULL, 0, 0 },
};

ACASES(cases)
