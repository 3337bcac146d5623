/* test_access_secrets.c - hard-coded credentials, redacted in evidence. */
#include "access_cases.h"

static const struct acase cases[] = {
	{ "chpasswd", "mkdir -p etc/init.d && printf '#!/bin/sh\\necho \"root:S3cr3t-pw\" | chpasswd\\n' > etc/init.d/setpw",
	  "secret.hardcoded-password", "/etc/init.d/setpw", HIGH, HIGH },
	{ "piped into passwd", "printf '#!/bin/sh\\necho -e \"S3cr3t-pw\\\\nS3cr3t-pw\" | passwd root\\n' > usr/bin/setup.sh",
	  "secret.hardcoded-password", "/usr/bin/setup.sh", HIGH, HIGH },
	{ "password= in config", "mkdir -p etc/app && printf 'user=admin\\npassword=\"S3cr3t-cfg\"\\n' > etc/app/app.conf",
	  "secret.hardcoded-password", "/etc/app/app.conf", MED, MED },
	{ "sshpass -p", "printf '#!/bin/sh\\nsshpass -p S3cr3t-ssh ssh backup@host\\n' > usr/bin/backup",
	  "secret.hardcoded-password", "/usr/bin/backup", MED, MED },
	{ "uci option", "mkdir -p etc/config && printf \"config wifi-iface\\n\\toption key 'x'\\n\\toption admin_password 'S3cr3t-uci'\\n\" > etc/config/wireless",
	  "secret.hardcoded-password", "/etc/config/wireless", MED, MED },
	{ "mysql -p on a command line", "printf '#!/bin/sh\\nmysqldump -u root -pS3cr3t-db shop > /tmp/x\\n' > usr/bin/dbbackup",
	  "secret.hardcoded-password", "/usr/bin/dbbackup", MED, MED },
	{ "password with a trailing comment", "mkdir -p etc/app && printf 'password = S3cr3t-cfg # set by vendor\\n' > etc/app/b.conf",
	  "secret.hardcoded-password", "/etc/app/b.conf", MED, MED },
	{ "OpenSSL's stock sample CMP password: low", "mkdir -p etc/ssl && printf '[insta]\\nsecret = pass:insta # can be used for both client and server side\\n' > etc/ssl/openssl.cnf",
	  "secret.hardcoded-password", "/etc/ssl/openssl.cnf", LOW, LOW },
	{ "a vendor's own password in the same place: medium", "mkdir -p etc/ssl && printf '[insta]\\nsecret = pass:S3cr3t-cmp\\n' > etc/ssl/openssl.cnf",
	  "secret.hardcoded-password", "/etc/ssl/openssl.cnf", MED, MED },
	{ "silent: Configure flags, expressions, -print0, placeholders",
	  "mkdir -p usr/lib/perl etc/app && printf \"d_grpasswd='define'\\ni_pwd='define'\\n\" > usr/lib/perl/config.sh && "
	  "printf '#!/bin/sh\\nCOOKED_PASS = expect_failure ? \"XPASS\": \"PASS\";\\nfind $mysql_datadir ! -uid 0 -print0 | xargs -0 chown mysql\\n' > usr/bin/driver.sh && "
	  "printf '[client]\\npassword   = my_password\\n--password=...\\n' > etc/app/sample.cnf",
	  "secret.hardcoded-password", NULL, 0, 0 },
	{ "silent: variables, nsswitch, pam, empty", "mkdir -p etc/pam.d && printf 'passwd: files\\n' > etc/nsswitch.conf && printf 'password required pam_unix.so\\n' > etc/pam.d/common-password && printf '#!/bin/sh\\nPASSWORD=\"$1\"\\npassword=\\necho \"$USER:$PASS\" | chpasswd\\n' > usr/bin/setpw && printf 'password: $ENV_PW\\n' > etc/app.yml",
	  "secret.hardcoded-password", NULL, 0, 0 },
};

ACASES(cases)
