/* test_access_keys.c - private keys in every encoding, authorized_keys
 * resolved through /etc/passwd, certificates. */
#include "access_cases.h"

#define PASSWD "printf 'root:*:0:0:root:/root:/bin/sh\\nalice:*:1000:1000::/home/alice:/bin/sh\\n' > etc/passwd"
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
	{ "DER inside a blob", "head -c 4000 /dev/urandom > etc/blob.bin && " RSA " | openssl rsa -outform DER 2>/dev/null >> etc/blob.bin && head -c 3000 /dev/urandom >> etc/blob.bin",
	  "key.embedded-private", "/etc/blob.bin", HIGH, HIGH },
	{ "key in a crypto library", "cp /bin/true usr/bin/libmbedtls.so.14 && " RSA " >> usr/bin/libmbedtls.so.14",
	  "key.crypto-library-key", "/usr/bin/libmbedtls.so.14", LOW, LOW },
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
