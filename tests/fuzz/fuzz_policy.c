/* fuzz_policy.c - the policy loader on any bytes, then the policy applied to
 * a few findings and the verdict taken: nothing may crash or leak, whatever
 * the YAML. */
#include <string.h>
#include "postern/postern.h"
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const rules[] = { "limit.depth", "service.telnet", "policy.waiver-expired",
					     "account.empty-password" };
	struct pst_node n[2];
	struct pst_finding f[4];
	struct pst_coverage c;
	struct pst_policy *p;
	char err[512];
	size_t i;

	p = pst_policy_parse((const char *)data, size, "fuzz.yaml", err, sizeof(err));
	if (!p)
		return 0;
	memset(n, 0, sizeof(n));
	memset(f, 0, sizeof(f));
	memset(&c, 0, sizeof(c));
	n[0].location = "fw.bin!squashfs@0x40!/etc/inittab";
	n[0].path = "/etc/inittab";
	n[1].location = "fw.bin";
	n[1].path = "/";
	for (i = 0; i < 4; i++) {
		f[i].rule = rules[i];
		f[i].severity = f[i].declared_severity = (enum pst_severity)(i + 1);
		f[i].node = &n[i % 2];
		f[i].category = "access";
		f[i].message = "m";
	}
	pst_policy_apply(p, f, 4, "2026-06-30");
	c.incomplete = size & 1;
	(void)pst_policy_verdict(p, f, 4, &c);
	pst_policy_free(p);
	return 0;
}
