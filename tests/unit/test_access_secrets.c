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
	{ "silent: variables, nsswitch, pam, empty", "mkdir -p etc/pam.d && printf 'passwd: files\\n' > etc/nsswitch.conf && printf 'password required pam_unix.so\\n' > etc/pam.d/common-password && printf '#!/bin/sh\\nPASSWORD=\"$1\"\\npassword=\\necho \"$USER:$PASS\" | chpasswd\\n' > usr/bin/setpw && printf 'password: $ENV_PW\\n' > etc/app.yml",
	  "secret.hardcoded-password", NULL, 0, 0 },
};

ACASES(cases)
