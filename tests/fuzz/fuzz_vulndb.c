/* fuzz_vulndb.c - the vulnerability data readers (src/analyze/vulnimport.c)
 * on any bytes, into an in-memory database: the first byte picks the reader
 * (OSV JSON, NVD JSON, KEV JSON, KEV CSV, EPSS CSV), the rest is the file;
 * the CVSS v3 scorer gets the same bytes as a vector. Nothing may crash or
 * leak, whatever the input. */
#define _GNU_SOURCE
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "analyze/vulndb.h"
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pst_vimport im;
	const char *text = (const char *)data + 1;
	char *vec;
	json_t *root;
	if (size < 1 || !pst_vdb_open(&im, ":memory:"))
		return 0;
	size--;
	switch (data[0] % 5) {
	case 0: (void)pst_vimport_osv_json(&im, text, size); break;
	case 1: case 2:
		root = json_loadb(text, size, 0, NULL);
		if (root)
			(void)(data[0] % 5 == 1 ? pst_vimport_nvd(&im, root) :
						  pst_vimport_kev_json(&im, root));
		json_decref(root);
		break;
	case 3: (void)pst_vimport_kev_csv(&im, text, size); break;
	default: (void)pst_vimport_epss_csv(&im, text, size); break;
	}
	pst_vdb_close(&im);
	vec = strndup(text, size);
	if (vec)
		(void)pst_cvss3_score(vec);
	free(vec);
	return 0;
}
